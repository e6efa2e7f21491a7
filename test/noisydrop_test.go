package test

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// TestNoisyLineDroppedOctets downloads 2 MB to the client over a line
// that flips bits at a BER of 1e-5 and loses octets in both directions. A lost octet leaves a
// frame short, or merges two frames when it is a Flag Sequence; HDLC must
// drop them by their FCS and resynchronise, and TCP recover what was
// lost, byte for byte, without the link going down.
func TestNoisyLineDroppedOctets(t *testing.T) {
	const size = 2 << 20
	noise := ppptest.Faults{BER: 1e-5, Drop: 1e-5}
	clientEnd, networkEnd, toNetwork, toClient := noisyLine(t, noise)
	cfg := gprsppp.Config{Restart: time.Second}
	client, network := pair(t, clientEnd, networkEnd, cfg, gprsppp.NetworkConfig{Restart: time.Second})
	serveHash(t, client, ":9", size)

	start := time.Now()
	sendHashed(t, network, clientAddr.String()+":9", size)
	t.Logf("downloaded %d MB in %v", size>>20, time.Since(start))

	for _, l := range []struct {
		name string
		link *gprsppp.Link
		line *ppptest.FaultyConn // damages what this link receives
	}{
		{"client", client, toClient},
		{"network", network, toNetwork},
	} {
		select {
		case <-l.link.Done():
			t.Fatalf("%s: link went down: %v", l.name, l.link.Err())
		default:
		}
		s, f := l.link.Stats(), l.line.Stats()
		t.Logf("%s received: %+v; line faults %+v", l.name, s, f)
		if l.name == "client" && (f.Dropped == 0 || s.FCSErrors == 0) {
			t.Errorf("%s: %d octets dropped and %d FCS errors, want some of both", l.name, f.Dropped, s.FCSErrors)
		}
	}
}

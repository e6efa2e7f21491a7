package test

import (
	"io"
	"sync"
	"testing"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// tap records what is written through a line end.
type tap struct {
	io.ReadWriteCloser
	mu  sync.Mutex
	out []byte
}

func (t *tap) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.out = append(t.out, p...)
	t.mu.Unlock()
	return t.ReadWriteCloser.Write(p)
}

func (t *tap) written() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.out...)
}

// ipv4Frames decodes a recorded line with one FCS and counts the IPv4
// frames that pass it.
func ipv4Frames(wire []byte, fcs32 bool) int {
	d := ppp.Decoder{FCS32: fcs32}
	n := 0
	d.Decode(wire, func(f []byte) {
		if proto, _, err := ppp.ParseFrame(f); err == nil && proto == ppp.ProtocolIPv4 {
			n++
		}
	})
	return n
}

// TCP goes through a link that negotiated the 32-bit FCS, and the frames
// on the line carry it in both directions; with a peer that rejects the
// option the link keeps the 16-bit FCS.
func TestFCS32TCPEcho(t *testing.T) {
	for _, tc := range []struct {
		name             string
		client, network  bool // FCS32 configured
		want32, wantFCS2 bool // IPv4 frames pass the 32-bit, the 16-bit FCS
	}{
		{"both ask", true, true, true, false},
		{"network rejects", true, false, false, true},
		{"client rejects", false, true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := ppptest.Pipe()
			ta, tb := &tap{ReadWriteCloser: a}, &tap{ReadWriteCloser: b}
			client, network := pair(t, ta, tb, gprsppp.Config{FCS32: tc.client}, gprsppp.NetworkConfig{FCS32: tc.network})
			serveNetwork(t, network)
			echoTCP(t, client, "10.64.64.1:7", 256<<10)

			for side, w := range map[string][]byte{"client": ta.written(), "network": tb.written()} {
				n32, n16 := ipv4Frames(w, true), ipv4Frames(w, false)
				if (n32 > 100) != tc.want32 || (n16 > 100) != tc.wantFCS2 || n32 > 0 && n16 > 0 {
					t.Errorf("%s sent %d IPv4 frames with a good 32-bit FCS and %d with a good 16-bit FCS", side, n32, n16)
				}
			}
			for side, l := range map[string]*gprsppp.Link{"client": client, "network": network} {
				if s := l.Stats(); s.FCSErrors != 0 || s.Runts != 0 || s.TooLong != 0 {
					t.Errorf("%s dropped frames: %+v", side, s)
				}
			}
		})
	}
}

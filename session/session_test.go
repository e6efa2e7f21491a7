package session

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// gate passes bytes from src to dst until closed is set.
func gate(dst io.WriteCloser, src io.Reader, closed *atomic.Bool) {
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 && !closed.Load() {
			dst.Write(buf[:n])
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// gatedLink brings up a client with a keepalive on clk (10 s × 3) and a
// network side, joined through gates that silent stops; x writes to the
// client as the network side would.
func gatedLink(t *testing.T, clk clock.Clock) (client *Session, silent *atomic.Bool, x io.Writer) {
	t.Helper()
	a, xa := ppptest.Pipe()
	y, b := ppptest.Pipe()
	silent = new(atomic.Bool)
	go gate(y, xa, silent)
	go gate(xa, y, silent)
	client = Start(a, Config{Clock: clk, EchoInterval: 10 * time.Second, EchoFailures: 3})
	network := Start(b, Config{Role: RoleNetwork,
		LocalAddr: netip.MustParseAddr("10.0.0.1"), PeerAddr: netip.MustParseAddr("10.0.0.2")})
	t.Cleanup(func() { network.Close() })
	waitFor(t, client.Up(), "link up")
	return client, silent, xa
}

func waitFor(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
	}
}

// The keepalive ends a link whose peer went silent after exactly
// EchoInterval × (EchoFailures + 1) of the injected clock.
func TestKeepaliveWithManualClock(t *testing.T) {
	clk := clock.NewManual(time.Unix(0, 0))
	client, silent, _ := gatedLink(t, clk)

	silent.Store(true)
	for i := 0; i < 4; i++ {
		if client.Err() != nil {
			t.Fatalf("link ended after %d intervals: %v", i, client.Err())
		}
		clk.Advance(10 * time.Second)
	}
	waitFor(t, client.Done(), "end of the link")
	if err := client.Err(); !errors.Is(err, ErrKeepalive) {
		t.Fatalf("reason %v, want ErrKeepalive", err)
	}
}

// Close returns even when the line's writes block forever.
func TestCloseWithBlockedWrite(t *testing.T) {
	a, b := net.Pipe() // unbuffered: with nobody reading b, writes block
	defer b.Close()
	s := Start(a, Config{Restart: 100 * time.Millisecond})
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	waitFor(t, closed, "Close to return")
	if err := s.Err(); !errors.Is(err, ErrClosed) {
		t.Errorf("reason %v, want ErrClosed", err)
	}
}

// A Terminate-Request while negotiating is acknowledged and does not
// become the link's reason for ending.
func TestTerminateRequestWhileNegotiating(t *testing.T) {
	a, b := ppptest.Pipe()
	s := Start(a, Config{Restart: 100 * time.Millisecond})
	var enc ppp.Encoder
	enc.ACCM = 0xffffffff
	termReq := ppp.ControlPacket{Code: 5, Identifier: 9}.Append(nil)
	b.Write(enc.AppendFrame(nil, ppp.ProtocolLCP, termReq))
	// The Terminate-Ack shows the request was processed.
	var seen []byte
	buf := make([]byte, 64)
	for !bytes.Contains(seen, []byte{0xc0, 0x21, 0x7d, 0x26}) { // LCP, code 6 escaped
		n, err := b.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, buf[:n]...)
	}
	b.Close() // then the line dies
	waitFor(t, s.Done(), "end of the link")
	if err := s.Err(); !errors.Is(err, ErrIO) {
		t.Errorf("reason %v, want ErrIO", err)
	}
}

// A Code-Reject of an Echo-Request that was never sent (none awaits its
// reply) leaves the keepalive running: the link still ends when the peer
// goes silent, after EchoInterval × (EchoFailures + 1).
func TestSpoofedEchoRejectKeepsKeepalive(t *testing.T) {
	clk := clock.NewManual(time.Unix(0, 0))
	client, silent, x := gatedLink(t, clk)

	silent.Store(true)
	var enc ppp.Encoder
	enc.ACCM = 0xffffffff
	rejected := ppp.ControlPacket{Code: 9, Identifier: 77, Data: []byte{0, 0, 0, 0}}.Append(nil) // Echo-Request
	codeReject := ppp.ControlPacket{Code: 7, Identifier: 1, Data: rejected}.Append(nil)
	x.Write(enc.AppendFrame(nil, ppp.ProtocolLCP, codeReject))
	// The reject is counted once processed; then the silent peer is
	// found out by the keepalive as before.
	deadline := time.Now().Add(10 * time.Second)
	for client.Stats().CodeRejectsIgnored == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the Code-Reject was never processed")
		}
		runtime.Gosched()
	}
	for i := 0; i < 4; i++ {
		if client.Err() != nil {
			t.Fatalf("link ended after %d intervals: %v", i, client.Err())
		}
		clk.Advance(10 * time.Second)
	}
	waitFor(t, client.Done(), "end of the link by the keepalive")
	if err := client.Err(); !errors.Is(err, ErrKeepalive) {
		t.Fatalf("reason %v, want ErrKeepalive", err)
	}
}

package netstack_test

import (
	"context"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// Unacked counts what the peer has not acknowledged and reaches zero once
// it has acknowledged everything (AT+QISACK relies on that).
func TestUnacked(t *testing.T) {
	a, b := netstacktest.PairConfig(t,
		netstack.Config{LocalAddr: netip.MustParseAddr("10.0.0.1"), TrackUnacked: true},
		netstack.Config{LocalAddr: netip.MustParseAddr("10.0.0.2")})
	l, err := b.Listen("tcp", ":9")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			io.Copy(io.Discard, c)
		}
	}()
	c, err := a.DialContext(context.Background(), "tcp", "10.0.0.2:9")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u := c.(interface{ Unacked() (int, error) })
	if n, err := u.Unacked(); n != 0 || err != nil {
		t.Fatalf("before writing: %d, %v", n, err)
	}
	if _, err := c.Write(make([]byte, 100000)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := u.Unacked()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d unacknowledged after 10 s", n)
		}
		c.SetReadDeadline(time.Now().Add(10 * time.Millisecond)) // wait a little for ACKs
		c.Read(make([]byte, 1))
	}
}

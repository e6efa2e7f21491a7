package netstack_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"testing"

	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// Addresses from TEST-NET-1 (RFC 5737); packets to them never leave the
// in-memory link.
var (
	addrA      = netip.MustParseAddr("192.0.2.1")
	addrB      = netip.MustParseAddr("192.0.2.2")
	addrNobody = netip.MustParseAddr("192.0.2.99") // routed to B, which drops it
)

// TestMain fails the run if any test, internal or external, left a
// goroutine behind.
func TestMain(m *testing.M) {
	before := testenv.Goroutines()
	code := m.Run()
	if leaked := testenv.WaitGoroutines(before); leaked != "" {
		fmt.Fprintln(os.Stderr, leaked)
		code = 1
	}
	os.Exit(code)
}

// checkGoroutines fails t if, once its cleanups (registered later, so run
// earlier) have finished, more goroutines are running than when it was
// called.
func checkGoroutines(t *testing.T) {
	t.Helper()
	before := testenv.Goroutines()
	t.Cleanup(func() {
		if leaked := testenv.WaitGoroutines(before); leaked != "" {
			t.Error(leaked)
		}
	})
}

// pair is netstacktest.Pair between addrA and addrB with a leak check.
func pair(t *testing.T) (a, b *netstack.Stack) {
	t.Helper()
	checkGoroutines(t)
	return netstacktest.Pair(t, addrA, addrB)
}

// listen listens on s and closes the listener at cleanup.
func listen(t *testing.T, s *netstack.Stack, address string) net.Listener {
	t.Helper()
	l, err := s.Listen("tcp", address)
	if err != nil {
		t.Fatalf("Listen(%q): %v", address, err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// hostPort returns "ip:port" for addr on port from a listener address.
func hostPort(addr netip.Addr, l net.Addr) string {
	_, port, _ := net.SplitHostPort(l.String())
	return net.JoinHostPort(addr.String(), port)
}

// dialDiscard connects from a to a TCP discard service on b (192.0.2.2:7)
// and closes the connection at cleanup.
func dialDiscard(t *testing.T, a, b *netstack.Stack) net.Conn {
	t.Helper()
	lb := listen(t, b, ":7")
	go func() {
		if c, err := lb.Accept(); err == nil {
			defer c.Close()
			io.Copy(io.Discard, c)
		}
	}()
	c, err := a.DialContext(context.Background(), "tcp", "192.0.2.2:7")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

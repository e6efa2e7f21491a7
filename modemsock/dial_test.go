package modemsock

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"
)

// lookupAnswer is what a heldNet's lookup returns once released.
type lookupAnswer struct {
	addrs []netip.Addr
	err   error
}

// heldNet is a pipeNet whose lookups and dials wait for the test: each
// LookupNetIP sends its name on asked and returns what release gives, or
// ctx's error (then it sends on aborted); each DialContext sends its
// address on dialing and fails with refused[address], or connects when
// connect gives it leave.
type heldNet struct {
	*pipeNet
	asked   chan string
	release chan lookupAnswer
	aborted chan error
	dialing chan string
	connect chan struct{}
	refused map[string]bool
}

func newHeldNet() *heldNet {
	return &heldNet{pipeNet: newPipeNet(), asked: make(chan string, 4), release: make(chan lookupAnswer),
		aborted: make(chan error, 4), dialing: make(chan string, 4), connect: make(chan struct{}),
		refused: map[string]bool{}}
}

func (h *heldNet) LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error) {
	h.asked <- host
	select {
	case a := <-h.release:
		return a.addrs, a.err
	case <-ctx.Done():
		h.aborted <- ctx.Err()
		return nil, &net.DNSError{Err: ctx.Err().Error(), Name: host, IsTimeout: true}
	}
}

func (h *heldNet) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	h.dialing <- address
	if h.refused[address] {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	select {
	case <-h.connect:
		return h.pipeNet.DialContext(ctx, network, address)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// DialResolved dials as DialContext does, the addresses and port given
// sent on dialing in one string ("10.0.0.1:7", "[2001:db8::1]:7 192.0.2.1:7").
func (h *heldNet) DialResolved(ctx context.Context, network string, addrs []netip.Addr, port uint16) (net.Conn, error) {
	var each []string
	for _, a := range addrs {
		each = append(each, netip.AddrPortFrom(a, port).String())
	}
	return h.DialContext(ctx, network, strings.Join(each, " "))
}

// recv takes a value from ch, failing the test after 10 s.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
		panic("unreachable")
	}
}

// TestDialResolving follows a dial to a name: Resolving while the lookup
// is held, Connecting while the connect is held, then Connected to the
// address found.
func TestDialResolving(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	s := l.core.Dial(n, false, "echo.example:7", time.Minute)
	if s.State() != Resolving {
		t.Fatalf("state %v at once, want resolving", s.State())
	}
	if host := recv(t, n.asked, "lookup"); host != "echo.example" {
		t.Errorf("looked up %q, want echo.example", host)
	}
	if s.State() != Resolving {
		t.Fatalf("state %v during the lookup, want resolving", s.State())
	}
	n.release <- lookupAnswer{addrs: []netip.Addr{netip.MustParseAddr("10.0.0.1")}}
	l.until("connecting", func() bool { return s.State() == Connecting })
	if addr := recv(t, n.dialing, "dial"); addr != "10.0.0.1:7" {
		t.Errorf("dialled %q, want 10.0.0.1:7", addr)
	}
	close(n.connect)
	if ev := l.await(EventConnected); ev.Socket != s || s.State() != Connected {
		t.Errorf("event %+v, state %v; want connected", ev, s.State())
	}
}

// TestDialLiteral checks that an IP literal is dialled at once, without
// a lookup.
func TestDialLiteral(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	close(n.connect)
	s := l.core.Dial(n, true, "10.0.0.1:7", time.Minute)
	if s.State() != Connecting {
		t.Fatalf("state %v at once, want connecting", s.State())
	}
	l.await(EventConnected)
	if addr := recv(t, n.dialing, "dial"); addr != "10.0.0.1:7" {
		t.Errorf("dialled %q, want 10.0.0.1:7", addr)
	}
	select {
	case host := <-n.asked:
		t.Errorf("looked up %q for an IP literal", host)
	default:
	}
}

// TestDialCloseResolving closes a socket during its lookup: the lookup
// is aborted, nothing is dialled and no event follows.
func TestDialCloseResolving(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	s := l.core.Dial(n, false, "echo.example:7", time.Minute)
	recv(t, n.asked, "lookup")
	s.Close()
	if err := recv(t, n.aborted, "aborted lookup"); !errors.Is(err, context.Canceled) {
		t.Errorf("lookup ended with %v, want canceled", err)
	}
	recv(t, l.posted, "the lookup's answer")() // its closure, on the loop
	if s.State() != Closed || len(l.events) != 0 {
		t.Errorf("state %v, events %v; want closed, none", s.State(), l.events)
	}
	select {
	case addr := <-n.dialing:
		t.Errorf("dialled %q after Close", addr)
	default:
	}
}

// TestDialLookupFails fails the dial with the lookup's DNS error.
func TestDialLookupFails(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	s := l.core.Dial(n, false, "nowhere.example:7", time.Minute)
	recv(t, n.asked, "lookup")
	n.release <- lookupAnswer{err: &net.DNSError{Err: "no such host", Name: "nowhere.example", IsNotFound: true}}
	ev := l.await(EventConnectFailed)
	var dnsErr *net.DNSError
	if ev.Socket != s || s.State() != Closed || !errors.As(ev.Err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("event %+v, state %v; want a not-found *net.DNSError, closed", ev, s.State())
	}
}

// TestDialLookupTimeout ends a lookup that never answers at the dial's
// timeout, with an error that reports the deadline.
func TestDialLookupTimeout(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	l.core.Dial(n, false, "slow.example:7", time.Millisecond)
	ev := l.await(EventConnectFailed)
	var dnsErr *net.DNSError
	if !errors.As(ev.Err, &dnsErr) {
		t.Errorf("failed with %v, want a *net.DNSError", ev.Err)
	}
	if err := recv(t, n.aborted, "aborted lookup"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lookup ended with %v, want the deadline", err)
	}
}

// TestDialResolvedAnswer passes the lookup's whole answer, both
// families in its order, to the network's DialResolved, which chooses
// among them; its error fails the dial as it is.
func TestDialResolvedAnswer(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	both := "[2001:db8::1]:7 192.0.2.1:7"
	n.refused[both] = true
	s := l.core.Dial(n, false, "dual.example:7", time.Minute)
	recv(t, n.asked, "lookup")
	n.release <- lookupAnswer{addrs: []netip.Addr{netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("192.0.2.1")}}
	l.until("connecting", func() bool { return s.State() == Connecting })
	if addr := recv(t, n.dialing, "dial"); addr != both {
		t.Errorf("dialled %q, want %q", addr, both)
	}
	if ev := l.await(EventConnectFailed); ev.Socket != s || !errors.Is(ev.Err, syscall.ECONNREFUSED) {
		t.Errorf("event %+v, want the refusal", ev)
	}
}

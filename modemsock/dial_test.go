package modemsock

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// lookupAnswer is what a heldNet's lookup returns once released.
type lookupAnswer struct {
	addrs []netip.Addr
	err   error
}

// heldNet is a pipeNet whose lookups and dials wait for the test: each
// LookupNetIP sends its name on asked and returns what release gives, or
// ctx's error (then it sends on aborted); each DialContext sends its
// address on dialing and fails with refused[address], waits for ctx to
// end for held[address] (then sends the address on dropped), or connects
// when connect gives it leave.
type heldNet struct {
	*pipeNet
	v6      []netip.Addr // IPv6Addrs
	asked   chan string
	release chan lookupAnswer
	aborted chan error
	dialing chan string
	connect chan struct{}
	refused map[string]bool
	held    map[string]bool
	dropped chan string
}

func newHeldNet() *heldNet {
	return &heldNet{pipeNet: newPipeNet(), asked: make(chan string, 4), release: make(chan lookupAnswer),
		aborted: make(chan error, 4), dialing: make(chan string, 4), connect: make(chan struct{}),
		refused: map[string]bool{}, held: map[string]bool{}, dropped: make(chan string, 4)}
}

func (h *heldNet) IPv6Addrs() []netip.Addr { return h.v6 }

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
	if h.held[address] {
		<-ctx.Done()
		h.dropped <- address
		return nil, ctx.Err()
	}
	select {
	case <-h.connect:
		return h.pipeNet.DialContext(ctx, network, address)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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

// TestDialAddresses dials the addresses a name has, in order, skipping
// those of a family the network does not carry.
func TestDialAddresses(t *testing.T) {
	v6 := netip.MustParseAddr("2001:db8::1")
	v4 := netip.MustParseAddr("192.0.2.1")
	global := []netip.Addr{netip.MustParseAddr("fe80::2"), netip.MustParseAddr("2001:db8:1::2")}
	linkLocal := global[:1]
	for _, tc := range []struct {
		name    string
		own6    []netip.Addr // the network's IPv6 addresses
		addrs   []netip.Addr // the lookup's answer
		refused []string
		want    []string // the addresses dialled
		wantErr error    // nil: connected
	}{
		{"first connects", global, []netip.Addr{v6, v4}, nil, []string{"[2001:db8::1]:7"}, nil},
		{"falls back", global, []netip.Addr{v6, v4}, []string{"[2001:db8::1]:7"},
			[]string{"[2001:db8::1]:7", "192.0.2.1:7"}, nil},
		{"all refused", global, []netip.Addr{v6, v4}, []string{"[2001:db8::1]:7", "192.0.2.1:7"},
			[]string{"[2001:db8::1]:7", "192.0.2.1:7"}, syscall.ECONNREFUSED},
		{"no global IPv6", linkLocal, []netip.Addr{v6, v4}, nil, []string{"192.0.2.1:7"}, nil},
		{"mapped IPv4", nil, []netip.Addr{netip.AddrFrom16(v4.As16())}, nil, []string{"192.0.2.1:7"}, nil},
		{"no usable family", linkLocal, []netip.Addr{v6}, nil, nil, errNoAddresses},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, n := newLoop(t, 0), newHeldNet()
			l.core.fallbackDelay = time.Hour // the other family only once the first failed
			n.v6 = tc.own6
			for _, a := range tc.refused {
				n.refused[a] = true
			}
			close(n.connect)
			s := l.core.Dial(n, false, "dual.example:7", time.Minute)
			recv(t, n.asked, "lookup")
			n.release <- lookupAnswer{addrs: tc.addrs}
			kind := EventConnected
			if tc.wantErr != nil {
				kind = EventConnectFailed
			}
			ev := l.await(kind)
			if !errors.Is(ev.Err, tc.wantErr) || ev.Socket != s {
				t.Errorf("event %+v, want %v", ev, tc.wantErr)
			}
			close(n.dialing)
			var got []string
			for a := range n.dialing {
				got = append(got, a)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("dialled (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDialHappyEyeballs races the families of a name whose first
// address does not answer: the second family, tried after the delay,
// connects, and the first one's dial is aborted.
func TestDialHappyEyeballs(t *testing.T) {
	l, n := newLoop(t, 0), newHeldNet()
	l.core.fallbackDelay = time.Millisecond
	n.v6 = []netip.Addr{netip.MustParseAddr("2001:db8:1::2")}
	n.held["[2001:db8::1]:7"] = true
	close(n.connect)
	s := l.core.Dial(n, false, "dual.example:7", time.Minute)
	recv(t, n.asked, "lookup")
	n.release <- lookupAnswer{addrs: []netip.Addr{netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("192.0.2.1")}}
	if ev := l.await(EventConnected); ev.Socket != s {
		t.Fatalf("event %+v", ev)
	}
	if got := recv(t, n.dropped, "aborted dial"); got != "[2001:db8::1]:7" {
		t.Errorf("aborted %q, want the IPv6 dial", got)
	}
	close(n.dialing)
	got := map[string]bool{}
	for a := range n.dialing {
		got[a] = true
	}
	if diff := cmp.Diff(map[string]bool{"[2001:db8::1]:7": true, "192.0.2.1:7": true}, got); diff != "" {
		t.Errorf("dialled (-want +got):\n%s", diff)
	}
}

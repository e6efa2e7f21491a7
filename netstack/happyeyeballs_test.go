package netstack

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// dialParallel between two stacks with IPv4 and IPv6 link-local
// addresses: the first family wins when it answers; a refusal starts the
// other family at once, without waiting for the delay (an hour here, so
// that a dial that waits for it fails); an unanswered first family gives
// way after the delay; when both fail the first family's error is
// returned.
func TestDialParallel(t *testing.T) {
	a, b, _ := cuttablePair(t)
	for i, s := range []*Stack{a, b} {
		if err := s.ConfigureIPv6(IPv6Config{InterfaceID: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	v4, v6 := netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("fe80::2")
	silent6 := netip.MustParseAddr("fe80::99") // no one's address: no answer
	for network, address := range map[string]string{"tcp": ":7", "tcp4": "192.0.2.2:8"} {
		closeEach(t, b, network, address)
	}
	for _, tc := range []struct {
		name      string
		port      uint16
		primaries []netip.Addr
		delay     time.Duration
		want      netip.Addr // the winner; invalid for a failure
	}{
		{"first family answers", 7, []netip.Addr{v6}, time.Hour, v6},
		{"first family refused: the other at once", 8, []netip.Addr{v6}, time.Hour, v4},
		{"first family silent: the other after the delay", 7, []netip.Addr{silent6}, 50 * time.Millisecond, v4},
		{"both refused: the first family's error", 9, []netip.Addr{v6}, time.Hour, netip.Addr{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := a.dialParallel(ctx, "tcp", tc.port, tc.primaries, []netip.Addr{v4}, tc.delay)
			if !tc.want.IsValid() {
				var opErr *net.OpError
				if err == nil || !errors.Is(err, syscall.ECONNREFUSED) || !errors.As(err, &opErr) ||
					opErr.Addr.(*net.TCPAddr).AddrPort().Addr().WithZone("") != v6 {
					t.Fatalf("dial: %v, %v; want the refusal of [%v]:%d", c, err, v6, tc.port)
				}
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Close()
			if got := c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().WithZone("").Unmap(); got != tc.want {
				t.Errorf("connected to %v, want %v", got, tc.want)
			}
		})
	}
}

// DialResolved dials a name's answer as DialContext would after its own
// lookup: only the addresses the stack can reach (here IPv4, mapped or
// not, as the stack has no global IPv6 address), and errNoAddresses when
// none is.
func TestDialResolved(t *testing.T) {
	a, b, _ := cuttablePair(t)
	closeEach(t, b, "tcp", ":7")
	v4, global6 := netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::2")
	for _, tc := range []struct {
		name  string
		addrs []netip.Addr
		want  netip.Addr // invalid: fails with errNoAddresses
	}{
		{"IPv6 unreachable, IPv4 dialled", []netip.Addr{global6, v4}, v4},
		{"a mapped IPv4 address", []netip.Addr{netip.AddrFrom16(v4.As16())}, v4},
		{"nothing reachable", []netip.Addr{global6}, netip.Addr{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := a.DialResolved(ctx, "tcp", tc.addrs, 7)
			if !tc.want.IsValid() {
				if !errors.Is(err, errNoAddresses) {
					t.Fatalf("DialResolved = %v, %v; want errNoAddresses", c, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got := netip.MustParseAddrPort(c.RemoteAddr().String()).Addr(); got != tc.want {
				t.Errorf("connected to %v, want %v", got, tc.want)
			}
		})
	}
}

// closeEach listens on s at address until the test ends, closing each
// connection it accepts.
func closeEach(t *testing.T, s *Stack, network, address string) {
	t.Helper()
	l, err := s.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}

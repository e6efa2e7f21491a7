package netstacktest

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/netstack"
)

// IPv6 addresses EnableIPv6 gives a Pair.
var (
	// RouterAddr6 is the router's global address.
	RouterAddr6 = netip.MustParseAddr("2001:db8:64::1")
	// HostAddr6 is what the host forms by SLAAC from the advertised
	// prefix and its interface identifier ::2.
	HostAddr6 = netip.MustParseAddr("2001:db8:64::2")
)

// EnableIPv6 turns IPv6 on for a Pair as IPv6CP would, router the
// network side (identifier ::1, RouterAddr6, advertising 2001:db8:64::/64
// with RouterAddr6 as the DNS server) and host the client (identifier
// ::2), and waits until the host has formed HostAddr6.
func EnableIPv6(t testing.TB, host, router *netstack.Stack) {
	t.Helper()
	changed := host.Changed()
	r := &netstack.Router{
		Prefix: netip.PrefixFrom(RouterAddr6, 64).Masked(), Addrs: []netip.Addr{RouterAddr6},
		DNS: []netip.Addr{RouterAddr6}, Interval: time.Hour,
	}
	if err := router.ConfigureIPv6(netstack.IPv6Config{InterfaceID: 1, Router: r}); err != nil {
		t.Fatalf("netstacktest: %v", err)
	}
	if err := host.ConfigureIPv6(netstack.IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatalf("netstacktest: %v", err)
	}
	deadline := time.After(10 * time.Second)
	for !slices.Contains(host.IPv6Addrs(), HostAddr6) {
		select {
		case <-changed:
			changed = host.Changed()
		case <-deadline:
			t.Fatalf("netstacktest: no IPv6 address %v: have %v", HostAddr6, host.IPv6Addrs())
		}
	}
}

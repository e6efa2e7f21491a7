package netstack_test

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// A router that advertises its link-local address as the DNS server (as
// dnsmasq does by default): the resolver reaches it over IPv6 on the
// link, and AAAA records come back, IPv6 first once the host has a
// global address.
func TestLookupNetIPLinkLocalRDNSS(t *testing.T) {
	checkGoroutines(t)
	client, network := netstacktest.PairConfig(t,
		netstack.Config{}, // IPv6 only: no IPv4 address, no IPv4 DNS server
		netstack.Config{LocalAddr: addrB})
	serveDNS(t, network)
	changed := client.Changed()
	router := &netstack.Router{Prefix: netip.MustParsePrefix("2001:db8:64::/64"),
		Addrs: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")},
		DNS:   []netip.Addr{netip.MustParseAddr("fe80::1")}, Interval: time.Hour}
	if err := network.ConfigureIPv6(netstack.IPv6Config{InterfaceID: 1, Router: router}); err != nil {
		t.Fatal(err)
	}
	if err := client.ConfigureIPv6(netstack.IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.After(10 * time.Second); len(client.DNSServers()) == 0; {
		select {
		case <-changed:
			changed = client.Changed()
		case <-deadline:
			t.Fatal("no DNS server advertised")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := client.LookupNetIP(ctx, "modem.example")
	if err != nil {
		t.Fatal(err)
	}
	if want := []netip.Addr{addrB, netip.MustParseAddr("198.51.100.7")}; !slices.Equal(got, want) {
		t.Errorf("A records %v, want %v", got, want)
	}
	got, err = client.LookupNetIP(ctx, "v6only.example")
	if err != nil || !slices.Equal(got, []netip.Addr{netip.MustParseAddr("2001:db8::1")}) {
		t.Errorf("AAAA lookup: %v, %v", got, err)
	}
}

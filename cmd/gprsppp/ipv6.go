package main

import (
	"fmt"
	"io"
	"net/netip"
	"slices"

	"github.com/gprsppp/gprsppp"
)

// simIPv6Addr is the simulated network's IPv6 address, in the /64 it
// advertises, where its services and DNS answer.
var simIPv6Addr = netip.MustParseAddr("2001:db8:64::1")

// simIPv6 is what the simulator offers over IPv6: a 3GPP-style
// gateway that assigns the client the identifier ::2 and advertises
// 2001:db8:64::/64 off-link, with itself as the DNS server.
func simIPv6() *gprsppp.NetworkIPv6 {
	return &gprsppp.NetworkIPv6{
		Prefix: netip.PrefixFrom(simIPv6Addr, 64).Masked(), Addr: simIPv6Addr,
		DNS: []netip.Addr{simIPv6Addr},
	}
}

// ipv6State is what a link has of IPv6, as printed.
type ipv6State struct{ addrs, dns []netip.Addr }

func currentIPv6(l *gprsppp.Link) ipv6State {
	return ipv6State{l.IPv6Addrs(), l.IPv6DNSServers()}
}

func (a ipv6State) equal(b ipv6State) bool {
	return slices.Equal(a.addrs, b.addrs) && slices.Equal(a.dns, b.dns)
}

// printIPv6 prints an "ipv6:" line each time the link's IPv6 addresses
// or DNS servers change from printed (a router advertisement after the
// ready line), until the link ends.
func printIPv6(out io.Writer, l *gprsppp.Link, printed ipv6State) {
	for {
		changed := l.Renumbered()
		if now := currentIPv6(l); !now.equal(printed) {
			fmt.Fprintf(out, "ipv6: addresses %v, DNS %v\n", now.addrs, now.dns)
			printed = now
		}
		select {
		case <-changed:
		case <-l.Done():
			return
		}
	}
}

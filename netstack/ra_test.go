package netstack

import (
	"bytes"
	"context"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/internal/clock"
)

// dnsmasqRA is the ICMPv6 body of the router advertisement the pppd test
// VM's dnsmasq sends (ra-stateless, off-link): flags O, router lifetime
// 30 s, the prefix 2001:db8:64::/64 with A set and L clear, RDNSS
// 2001:db8:64::1.
var dnsmasqRA = bytes.Join([][]byte{
	{134, 0, 0, 0},           // type, code, checksum (not checked here)
	{64, 0x40, 0, 30},        // hop limit, flags (O), router lifetime
	{0, 0, 0, 0, 0, 0, 0, 0}, // reachable time, retrans timer
	{3, 4, 64, 0x40},         // prefix information, /64, A
	{0, 0, 0x0e, 0x10},       // valid lifetime 3600 s
	{0, 0, 0x0e, 0x10},       // preferred lifetime 3600 s
	{0, 0, 0, 0},             // reserved
	{0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	{25, 3, 0, 0},   // RDNSS, 1 server
	{0, 0, 0, 0x3c}, // lifetime 60 s
	{0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	{5, 1, 0, 0, 0, 0, 0x05, 0xdc}, // MTU 1500 (skipped)
}, nil)

func TestParseRouterAdvertisement(t *testing.T) {
	got, err := ParseRouterAdvertisement(dnsmasqRA)
	if err != nil {
		t.Fatal(err)
	}
	want := RouterAdvertisement{
		HopLimit: 64, Other: true, RouterLifetime: 30 * time.Second,
		Prefixes: []PrefixInfo{{
			Prefix: netip.MustParsePrefix("2001:db8:64::/64"), Autonomous: true,
			ValidLifetime: time.Hour, PreferredLifetime: time.Hour,
		}},
		DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}, DNSLifetime: time.Minute,
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for name, bad := range map[string][]byte{
		"truncated":          dnsmasqRA[:10],
		"zero option length": append(slices.Clone(dnsmasqRA[:16]), 3, 0, 0, 0, 0, 0, 0, 0),
		"option past end":    dnsmasqRA[:len(dnsmasqRA)-1],
		"solicitation":       routerSolicitation(),
		"short RDNSS":        append(slices.Clone(dnsmasqRA[:16]), 25, 1, 0, 0, 0, 0, 0, 0),
	} {
		if _, err := ParseRouterAdvertisement(bad); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// A router advertisement we build parses back to itself, and a host
// takes its prefix and DNS server from the packet as it comes off the
// link, checksum and all.
func TestRouterAdvertisementRoundTrip(t *testing.T) {
	ra, err := ParseRouterAdvertisement(dnsmasqRA)
	if err != nil {
		t.Fatal(err)
	}
	ra.Other = false
	back, err := ParseRouterAdvertisement(ra.Append(nil))
	if err != nil || !cmp.Equal(ra, back, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
		cmp.Comparer(func(a, b netip.Addr) bool { return a == b })) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	pkt := icmpv6Packet(netip.MustParseAddr("fe80::1"), allNodes, ra.Append(nil))
	src, msg, ok := ndpMessage(pkt)
	if !ok || src != netip.MustParseAddr("fe80::1") || !bytes.Equal(msg, pkt[40:]) {
		t.Fatalf("ndpMessage: %v %v", src, ok)
	}
	pkt[50] ^= 1 // a flipped bit fails the checksum
	if _, _, ok := ndpMessage(pkt); ok {
		t.Error("a corrupted packet passed the checksum")
	}
}

// recorder is a Writer that keeps what the stack sends.
type recorder struct {
	mu   sync.Mutex
	pkts [][]byte
	sent chan struct{}
}

func (r *recorder) WritePacket(p []byte) error {
	r.mu.Lock()
	r.pkts = append(r.pkts, slices.Clone(p))
	r.mu.Unlock()
	select {
	case r.sent <- struct{}{}:
	default:
	}
	return nil
}

// next waits for a sent ICMPv6 message of type typ.
func (r *recorder) next(t *testing.T, typ byte) []byte {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		r.mu.Lock()
		for i, p := range r.pkts {
			if _, msg, ok := ndpMessage(p); ok && msg[0] == typ {
				r.pkts = slices.Delete(r.pkts, i, i+1)
				r.mu.Unlock()
				return p
			}
		}
		r.mu.Unlock()
		select {
		case <-r.sent:
		case <-deadline:
			t.Fatalf("no ICMPv6 type %d sent", typ)
		}
	}
}

// A host stack solicits, takes an advertisement's prefix with its own
// identifier and the DNS server; a router stack answers a solicitation
// with its prefix.
func TestRouterDiscovery(t *testing.T) {
	host := &recorder{sent: make(chan struct{}, 1)}
	h, err := New(Config{Out: host})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rtr := &recorder{sent: make(chan struct{}, 1)}
	r, err := New(Config{Out: rtr})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := h.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	router := &Router{Prefix: netip.MustParsePrefix("2001:db8:64::/64"), Addrs: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")},
		DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}, Interval: time.Hour}
	if err := r.ConfigureIPv6(IPv6Config{InterfaceID: 1, Router: router}); err != nil {
		t.Fatal(err)
	}
	rtr.next(t, icmpv6RouterAdvert) // the unsolicited one
	rs := host.next(t, icmpv6RouterSolicit)
	if src := netip.AddrFrom16([16]byte(rs[8:24])); src != netip.MustParseAddr("fe80::2") {
		t.Errorf("solicitation from %v", src)
	}
	changed := h.Changed()
	r.DeliverInbound(rs)
	ra := rtr.next(t, icmpv6RouterAdvert)
	if dst := netip.AddrFrom16([16]byte(ra[24:40])); dst != netip.MustParseAddr("fe80::2") {
		t.Errorf("advertisement to %v, want the soliciting host", dst)
	}
	h.DeliverInbound(ra)
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no change after the advertisement")
	}
	want := []netip.Addr{netip.MustParseAddr("fe80::2"), netip.MustParseAddr("2001:db8:64::2")}
	if got := h.IPv6Addrs(); !slices.Equal(got, want) {
		t.Errorf("addresses %v, want %v", got, want)
	}
	if got := h.DNSServers(); !slices.Equal(got, router.DNS) {
		t.Errorf("DNS servers %v, want %v", got, router.DNS)
	}
}

func FuzzParseRouterAdvertisement(f *testing.F) {
	f.Add(dnsmasqRA)
	f.Add(RouterAdvertisement{DNS: []netip.Addr{netip.MustParseAddr("fe80::1")}}.Append(nil))
	f.Add(routerSolicitation())
	f.Fuzz(func(t *testing.T, b []byte) {
		ra, err := ParseRouterAdvertisement(b)
		if err != nil {
			return
		}
		// What we build from it parses to the same.
		again, err := ParseRouterAdvertisement(ra.Append(nil))
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if len(again.Prefixes) != len(ra.Prefixes) || len(again.DNS) != len(ra.DNS) {
			t.Fatalf("re-parse changed the options: %+v vs %+v", again, ra)
		}
		for i, p := range ra.Prefixes {
			if again.Prefixes[i].Prefix != p.Prefix.Masked() {
				t.Fatalf("prefix %v became %v", p.Prefix, again.Prefixes[i].Prefix)
			}
		}
	})
}

// FuzzDeliverIPv6 feeds arbitrary IPv6 packets to a host stack with
// IPv6 configured: router discovery must never panic.
func FuzzDeliverIPv6(f *testing.F) {
	f.Add(icmpv6Packet(netip.MustParseAddr("fe80::1"), allNodes, dnsmasqRA))
	f.Add(icmpv6Packet(netip.MustParseAddr("::"), allRouters, routerSolicitation()))
	s, err := New(Config{Out: &recorder{sent: make(chan struct{}, 1)}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	if err := s.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pkt []byte) {
		if len(pkt) >= 44 && pkt[0]>>4 == 6 {
			// Give most inputs a valid checksum so they get past it.
			pkt[42], pkt[43] = 0, 0
			if len(pkt) >= 40 {
				copy(pkt[42:], []byte{byte(icmpv6Checksum(pkt) >> 8), byte(icmpv6Checksum(pkt))})
			}
		}
		s.DeliverInbound(pkt)
	})
}

// What an advertisement gives ends with its lifetime unless another
// advertisement renews it: the address and the DNS servers both go, at
// their lifetimes on the stack's clock, and Changed tells so.
func TestRouterAdvertisementLifetimes(t *testing.T) {
	clk := clock.NewManual(time.Unix(1_700_000_000, 0))
	s, err := New(Config{Out: &recorder{sent: make(chan struct{}, 1)}, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	ra := RouterAdvertisement{
		HopLimit: 64, RouterLifetime: time.Minute,
		Prefixes: []PrefixInfo{{Prefix: netip.MustParsePrefix("2001:db8:64::/64"), Autonomous: true,
			ValidLifetime: 10 * time.Second, PreferredLifetime: 10 * time.Second}},
		DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}, DNSLifetime: 20 * time.Second,
	}
	advertise := func(ra RouterAdvertisement) {
		s.DeliverInbound(icmpv6Packet(netip.MustParseAddr("fe80::1"), allNodes, ra.Append(nil)))
	}
	state := func() (int, int) { return len(s.IPv6Addrs()), len(s.IPv6DNSServers()) }
	advertise(ra)
	if a, d := state(); a != 2 || d != 1 {
		t.Fatalf("after the advertisement: %v, DNS %v", s.IPv6Addrs(), s.IPv6DNSServers())
	}
	// At 6 s an advertisement without RDNSS renews the address to 16 s
	// and keeps the servers, whose lifetime still ends at 20 s.
	clk.Advance(6 * time.Second)
	noDNS := ra
	noDNS.DNS = nil
	advertise(noDNS)
	clk.Advance(10*time.Second - time.Millisecond) // 15.999 s
	if a, d := state(); a != 2 || d != 1 {
		t.Fatalf("at 15.999 s: %v, DNS %v; want the renewed address and the servers", s.IPv6Addrs(), s.IPv6DNSServers())
	}
	changed := s.Changed()
	clk.Advance(time.Millisecond) // 16 s: the address's renewed lifetime ends
	select {
	case <-changed:
	default:
		t.Error("no change when the address expired")
	}
	if a, d := state(); a != 1 || d != 1 {
		t.Fatalf("at 16 s: %v, DNS %v; want the link-local address and the servers", s.IPv6Addrs(), s.IPv6DNSServers())
	}
	clk.Advance(4 * time.Second) // 20 s: the servers' lifetime ends
	if a, d := state(); a != 1 || d != 0 {
		t.Fatalf("at 20 s: %v, DNS %v; want the servers gone", s.IPv6Addrs(), s.IPv6DNSServers())
	}
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers left", n)
	}
}

// A host solicits at once, then 4 s apart on the stack's clock, three
// times in all when no router answers (RFC 4861 §6.3.7), and keeps its
// link-local address.
func TestRouterSolicitationTimes(t *testing.T) {
	clk := clock.NewManual(time.Unix(1_700_000_000, 0))
	out := &recorder{sent: make(chan struct{}, 1)}
	s, err := New(Config{Out: out, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		out.mu.Lock()
		defer out.mu.Unlock()
		return len(out.pkts)
	}
	for i := 1; i <= maxRtrSolicitations; i++ {
		out.next(t, icmpv6RouterSolicit) // the timer of the next is armed before it goes
		if i == maxRtrSolicitations {
			break
		}
		clk.Advance(rtrSolicitationInterval - time.Millisecond)
		if n := count(); n != 0 {
			t.Fatalf("solicitation %d came before 4 s", i+1)
		}
		clk.Advance(time.Millisecond)
	}
	// The third is the last: no timer for a fourth.
	if n := clk.Pending(); n != 0 {
		t.Errorf("after three solicitations: %d timers", n)
	}
	if got := s.IPv6Addrs(); len(got) != 1 || !got[0].IsLinkLocalUnicast() {
		t.Errorf("addresses %v", got)
	}
}

// A router lifetime of 0 (not a default router) changes nothing on a
// PPP link: the address is formed, and a connection to a destination
// beyond the peer still goes out to it.
func TestRouterLifetimeZeroKeepsTheRoute(t *testing.T) {
	out := &recorder{sent: make(chan struct{}, 1)}
	s, err := New(Config{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	ra := RouterAdvertisement{HopLimit: 64, RouterLifetime: 0,
		Prefixes: []PrefixInfo{{Prefix: netip.MustParsePrefix("2001:db8:64::/64"), Autonomous: true,
			ValidLifetime: time.Hour, PreferredLifetime: time.Hour}}}
	s.DeliverInbound(icmpv6Packet(netip.MustParseAddr("fe80::1"), allNodes, ra.Append(nil)))
	if got := s.IPv6Addrs(); len(got) != 2 {
		t.Fatalf("addresses %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.DialContext(ctx, "tcp", "[2001:db8:99::1]:80")
	dst := netip.MustParseAddr("2001:db8:99::1")
	deadline := time.After(5 * time.Second)
	for {
		out.mu.Lock()
		found := slices.ContainsFunc(out.pkts, func(p []byte) bool {
			return len(p) >= 40 && p[0]>>4 == 6 && p[6] == 6 && netip.AddrFrom16([16]byte(p[24:40])) == dst
		})
		out.mu.Unlock()
		if found {
			return
		}
		select {
		case <-out.sent:
		case <-deadline:
			t.Fatal("no SYN to 2001:db8:99::1 went out over the link")
		}
	}
}

// RemoveIPv6 takes the addresses, the DNS servers and the lifetimes'
// timers away and tells Changed; ConfigureIPv6 brings IPv6 back.
func TestRemoveIPv6(t *testing.T) {
	clk := clock.NewManual(time.Unix(1_700_000_000, 0))
	s, err := New(Config{Out: &recorder{sent: make(chan struct{}, 1)}, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.RemoveIPv6() // without IPv6: nothing
	if err := s.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	ra := RouterAdvertisement{HopLimit: 64, RouterLifetime: time.Minute,
		Prefixes: []PrefixInfo{{Prefix: netip.MustParsePrefix("2001:db8:64::/64"), Autonomous: true,
			ValidLifetime: time.Hour, PreferredLifetime: time.Hour}},
		DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}, DNSLifetime: time.Hour}
	s.DeliverInbound(icmpv6Packet(netip.MustParseAddr("fe80::1"), allNodes, ra.Append(nil)))
	if len(s.IPv6Addrs()) != 2 || len(s.IPv6DNSServers()) != 1 {
		t.Fatalf("after the advertisement: %v, DNS %v", s.IPv6Addrs(), s.IPv6DNSServers())
	}
	changed := s.Changed()
	s.RemoveIPv6()
	select {
	case <-changed:
	default:
		t.Error("no change")
	}
	if len(s.IPv6Addrs()) != 0 || len(s.IPv6DNSServers()) != 0 || len(s.DNSServers()) != 0 {
		t.Errorf("left: %v, DNS %v", s.IPv6Addrs(), s.DNSServers())
	}
	// Past the old lifetimes nothing fires (their timers went), and the
	// old solicitation routine ends when its timer fires.
	clk.Advance(2 * time.Hour)
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers left", n)
	}
	if err := s.ConfigureIPv6(IPv6Config{InterfaceID: 2}); err != nil {
		t.Fatal(err)
	}
	if got := s.IPv6Addrs(); len(got) != 1 || got[0] != netip.MustParseAddr("fe80::2") {
		t.Errorf("after ConfigureIPv6 again: %v", got)
	}
}

package netstack

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// Router solicitation as RFC 4861 §10 has it for hosts.
const (
	maxRtrSolicitations     = 3
	rtrSolicitationInterval = 4 * time.Second
	// defaultRAInterval is how often a router stack advertises
	// unsolicited when Router.Interval is zero.
	defaultRAInterval = 10 * time.Second
	// minIPv6MTU is the smallest link MTU IPv6 allows (RFC 8200 §5).
	minIPv6MTU = 1280
)

var (
	allNodes   = netip.MustParseAddr("ff02::1")
	allRouters = netip.MustParseAddr("ff02::2")
)

// IPv6Config configures IPv6 on a stack once IPv6CP has opened; see
// ConfigureIPv6.
type IPv6Config struct {
	// InterfaceID is our interface identifier from IPv6CP: the stack
	// owns fe80::<InterfaceID>, and forms its global addresses from the
	// prefixes routers advertise with it (SLAAC, RFC 4862, with the
	// identifier the link gave rather than one from a MAC it does not
	// have). Zero is not allowed.
	InterfaceID uint64
	// Router, if set, makes the stack the link's router (the network
	// side): it advertises a prefix and DNS servers and answers router
	// solicitations. Nil makes it a host that solicits and follows the
	// advertisements.
	Router *Router
}

// Router is what a router stack owns and advertises (RFC 4861 §6.2).
type Router struct {
	// Addrs are the router's global addresses, owned by the stack
	// besides its link-local one.
	Addrs []netip.Addr
	// Prefix is the prefix advertised for SLAAC (A flag set), normally
	// a /64.
	Prefix netip.Prefix
	// OnLink sets the prefix's L flag; false clears it, as 3GPP
	// gateways do.
	OnLink bool
	// DNS are the recursive DNS servers advertised (RFC 8106); empty
	// advertises none.
	DNS []netip.Addr
	// Interval is the time between unsolicited advertisements; zero
	// means 10 s.
	Interval time.Duration
}

// ipv6State is what the stack knows of IPv6; guarded by Stack.mu.
type ipv6State struct {
	iid       uint64
	linkLocal netip.Addr
	global    []netip.Addr // formed from advertised prefixes, or Router.Addrs
	dns       []netip.Addr // from RDNSS
	router    *Router
	raSeen    bool
	timers    lifetimes
}

// ipv6Protocol is gVisor's IPv6 with what a PPP link needs: no NDP
// configuration of gVisor's own (router discovery and SLAAC are done
// here, from the IPv6CP identifier, since gVisor can only form addresses
// from a MAC or an RFC 7217 secret), no link-local address generated
// from a link address the link does not have, and no DAD (the zero
// DADConfigs): on a point-to-point link the peer's identifier differs
// from ours by IPv6CP.
func ipv6Protocol() stack.NetworkProtocolFactory {
	return ipv6.NewProtocolWithOptions(ipv6.Options{AutoGenLinkLocal: false})
}

// ConfigureIPv6 turns IPv6 on once IPv6CP has opened: the link-local
// address and, for a host, router solicitation; for a router, its
// addresses and advertisements. Called again with a new identifier
// (IPv6CP renegotiated) it moves the addresses, aborting the sockets
// bound to the old ones; with the same one it does nothing.
func (s *Stack) ConfigureIPv6(cfg IPv6Config) error {
	if cfg.InterfaceID == 0 {
		return fmt.Errorf("netstack: IPv6: zero interface identifier")
	}
	s.mu.Lock()
	old := s.v6
	if old.iid == cfg.InterfaceID {
		s.mu.Unlock()
		return nil
	}
	s.v6.timers.stopAll()
	s.v6 = ipv6State{iid: cfg.InterfaceID, linkLocal: withIID(netip.MustParseAddr("fe80::"), cfg.InterfaceID), router: cfg.Router}
	if cfg.Router != nil {
		s.v6.global = slices.Clone(cfg.Router.Addrs)
	}
	v6 := s.v6
	s.mu.Unlock()
	for _, a := range append([]netip.Addr{old.linkLocal}, old.global...) {
		if a.IsValid() {
			s.ipstack.RemoveAddress(nicID, tcpip.AddrFrom16(a.As16()))
			s.abortBoundTo(a)
		}
	}
	if err := s.addAddr6(v6.linkLocal, 64); err != nil {
		return err
	}
	for _, a := range v6.global {
		if err := s.addAddr6(a, 64); err != nil {
			return err
		}
	}
	s.log.Info("netstack: IPv6 link-local address", "addr", v6.linkLocal)
	if mtu := s.MTU(); mtu < minIPv6MTU {
		// RFC 8200 §5: IPv6 needs links of 1280 octets; gVisor's IPv6
		// refuses to send over a smaller MTU (calculateNetworkMTU).
		s.log.Warn("netstack: the link's MTU is below IPv6's minimum; the stack sends no IPv6 over it", "mtu", mtu, "min", minIPv6MTU)
	}
	s.notify()
	s.wg.Add(1)
	if cfg.Router != nil {
		go s.routineAdvertise(v6.linkLocal, cfg.Router)
	} else {
		go s.routineSolicit(v6.linkLocal)
	}
	return nil
}

// RemoveIPv6 turns IPv6 off again, as when IPv6CP goes down while the
// link stays: the link-local and global addresses go (sockets bound to
// them are aborted), and with them the RDNSS servers and the timers;
// router discovery stops. ConfigureIPv6 turns it on again. Without
// IPv6 it does nothing.
func (s *Stack) RemoveIPv6() {
	s.mu.Lock()
	old := s.v6
	if old.iid == 0 {
		s.mu.Unlock()
		return
	}
	s.v6.timers.stopAll()
	s.v6 = ipv6State{}
	s.mu.Unlock()
	for _, a := range append([]netip.Addr{old.linkLocal}, old.global...) {
		s.ipstack.RemoveAddress(nicID, tcpip.AddrFrom16(a.As16()))
		s.abortBoundTo(a)
	}
	s.log.Info("netstack: IPv6 addresses removed", "addrs", append([]netip.Addr{old.linkLocal}, old.global...))
	s.notify()
}

// withIID returns prefix's upper 64 bits with iid as the lower ones.
func withIID(prefix netip.Addr, iid uint64) netip.Addr {
	a := prefix.As16()
	binary.BigEndian.PutUint64(a[8:], iid)
	return netip.AddrFrom16(a)
}

func (s *Stack) addAddr6(a netip.Addr, bits int) error {
	addr := tcpip.ProtocolAddress{
		Protocol:          ipv6.ProtocolNumber,
		AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpip.AddrFrom16(a.As16()), PrefixLen: bits},
	}
	if err := s.ipstack.AddProtocolAddress(nicID, addr, stack.AddressProperties{}); err != nil {
		return fmt.Errorf("netstack: add address %v: %w", a, convertError(err))
	}
	return nil
}

// IPv6Addrs returns the stack's IPv6 addresses: the link-local one
// first, then the global ones as they arrived; none before
// ConfigureIPv6.
func (s *Stack) IPv6Addrs() []netip.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.v6.linkLocal.IsValid() {
		return nil
	}
	return append([]netip.Addr{s.v6.linkLocal}, s.v6.global...)
}

// IPv6DNSServers returns the DNS servers the last router advertisement
// gave (RFC 8106); DNSServers includes them.
func (s *Stack) IPv6DNSServers() []netip.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.v6.dns)
}

// hasGlobal6 reports whether the stack has a global IPv6 address, to
// reach destinations beyond the link with.
func (s *Stack) hasGlobal6() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.v6.global) > 0
}

// Changed returns a channel closed the next time the stack's addresses
// or DNS servers change: an IPv6 address or DNS server from a router
// advertisement, or Renumber. Call it again after each change.
func (s *Stack) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notify closes the Changed channel and replaces it.
func (s *Stack) notify() {
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// handleNDP looks at an inbound IPv6 packet for router discovery: a
// host takes advertisements, a router answers solicitations. It runs on
// the delivering goroutine, before gVisor sees the packet.
func (s *Stack) handleNDP(pkt []byte) {
	src, msg, ok := ndpMessage(pkt)
	if !ok {
		return
	}
	s.mu.Lock()
	r, iid, ll := s.v6.router, s.v6.iid, s.v6.linkLocal
	s.mu.Unlock()
	switch {
	case iid == 0:
	case msg[0] == icmpv6RouterAdvert && r == nil && !src.IsUnspecified():
		ra, err := ParseRouterAdvertisement(msg)
		if err != nil {
			s.ep.dropIn(err.Error(), len(pkt))
			return
		}
		s.applyRA(src, ra)
	case msg[0] == icmpv6RouterSolicit && r != nil:
		dst := src
		if src.IsUnspecified() {
			dst = allNodes
		}
		s.log.Debug("netstack: router solicitation answered", "from", src)
		s.sendRA(ll, dst, r)
	}
}

// applyRA takes a router advertisement's prefixes (an address from
// each autonomous /64 and our identifier) and DNS servers.
//
// The router lifetime is deliberately not acted on. RFC 4861 §6.3.4
// would make a router advertising 0 no default router, and drop the
// default route when a lifetime runs out; but a PPP link has one
// neighbour, the peer, and every packet the stack sends goes to it
// whatever the route table says. So ::/0 stays routed to the link from
// the start (setup), as pppd's defaultroute6 routes it to ppp0:
// a peer that is no router answers for destinations beyond it itself
// (an ICMPv6 error) or drops them, and a dual-stack dial then falls
// back to IPv4 (dialParallel). Dropping the route would only turn that
// into a local "no route" error, at the price of a route table that
// follows timers.
func (s *Stack) applyRA(from netip.Addr, ra RouterAdvertisement) {
	if ra.RouterLifetime == 0 {
		s.log.Debug("netstack: router advertisement with router lifetime 0; IPv6 stays routed to the link's only neighbour", "router", from)
	}
	s.mu.Lock()
	s.v6.raSeen = true
	iid := s.v6.iid
	var add, remove []netip.Addr
	for _, p := range ra.Prefixes {
		if !p.Autonomous || p.Prefix.Bits() != 64 || p.Prefix.Addr().IsLinkLocalUnicast() {
			continue
		}
		a := withIID(p.Prefix.Addr(), iid)
		have := slices.Contains(s.v6.global, a)
		switch {
		case p.ValidLifetime > 0 && !have:
			s.v6.global = append(s.v6.global, a)
			add = append(add, a)
		case p.ValidLifetime == 0 && have:
			s.v6.global = slices.DeleteFunc(s.v6.global, func(g netip.Addr) bool { return g == a })
			remove = append(remove, a)
		}
		if p.ValidLifetime > 0 {
			s.armAddr(a, p.ValidLifetime)
		} else {
			s.disarmAddr(a)
		}
	}
	// An advertisement without RDNSS leaves the servers as they are;
	// one with lifetime zero withdraws them (RFC 8106 §5.1).
	dns := s.v6.dns
	switch {
	case len(ra.DNS) == 0:
	case ra.DNSLifetime == 0:
		dns = nil
		s.v6.timers.dns.stop()
	default:
		dns = ra.DNS
		s.armDNS(ra.DNSLifetime)
	}
	dnsChanged := !slices.Equal(dns, s.v6.dns)
	s.v6.dns = slices.Clone(dns)
	s.mu.Unlock()
	for _, a := range add {
		if err := s.addAddr6(a, 64); err != nil {
			s.log.Info("netstack: IPv6 address from router advertisement", "addr", a, "err", err)
			continue
		}
		s.log.Info("netstack: IPv6 address from router advertisement", "addr", a, "router", from)
	}
	for _, a := range remove {
		s.ipstack.RemoveAddress(nicID, tcpip.AddrFrom16(a.As16()))
		s.abortBoundTo(a)
		s.log.Info("netstack: IPv6 address withdrawn", "addr", a, "router", from)
	}
	if dnsChanged {
		s.log.Info("netstack: IPv6 DNS servers from router advertisement", "dns", dns, "router", from)
	}
	if len(add) > 0 || len(remove) > 0 || dnsChanged {
		s.notify()
	}
}

// routineSolicit sends router solicitations until an advertisement
// comes, at most maxRtrSolicitations of them (RFC 4861 §6.3.7). A
// router that never answers leaves the link-local address alone.
func (s *Stack) routineSolicit(src netip.Addr) {
	defer s.wg.Done()
	for i := 1; ; i++ {
		s.mu.Lock()
		done := s.v6.raSeen || s.v6.linkLocal != src
		s.mu.Unlock()
		if done {
			return
		}
		if i == maxRtrSolicitations {
			s.solicit(src)
			return
		}
		// The next one is timed before this one goes, so that a test
		// on a manual clock finds the timer once it sees the packet.
		next, t := s.after(rtrSolicitationInterval)
		s.solicit(src)
		select {
		case <-next:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
}

// solicit sends one router solicitation from src.
func (s *Stack) solicit(src netip.Addr) {
	s.log.Debug("netstack: router solicitation", "from", src)
	s.writeRaw(icmpv6Packet(src, allRouters, routerSolicitation()))
}

// after returns a channel closed once d has passed on the stack's
// clock, and its timer.
func (s *Stack) after(d time.Duration) (<-chan struct{}, clock.Timer) {
	ch := make(chan struct{})
	return ch, s.clk.AfterFunc(d, func() { close(ch) })
}

// routineAdvertise sends unsolicited router advertisements every
// Router.Interval until the stack closes or moves to another address.
func (s *Stack) routineAdvertise(src netip.Addr, r *Router) {
	defer s.wg.Done()
	every := r.Interval
	if every <= 0 {
		every = defaultRAInterval
	}
	for {
		s.mu.Lock()
		moved := s.v6.linkLocal != src
		s.mu.Unlock()
		if moved {
			return
		}
		next, t := s.after(every)
		s.sendRA(src, allNodes, r)
		select {
		case <-next:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
}

// sendRA sends one router advertisement of r from src to dst.
func (s *Stack) sendRA(src, dst netip.Addr, r *Router) {
	ra := RouterAdvertisement{
		HopLimit:       64,
		RouterLifetime: 1800 * time.Second,
		Prefixes: []PrefixInfo{{
			Prefix: r.Prefix, OnLink: r.OnLink, Autonomous: true,
			ValidLifetime: 24 * time.Hour, PreferredLifetime: 4 * time.Hour,
		}},
		DNS:         r.DNS,
		DNSLifetime: 3 * max(r.Interval, defaultRAInterval),
	}
	s.writeRaw(icmpv6Packet(src, dst, ra.Append(nil)))
}

// writeRaw sends a packet the stack built itself, not gVisor.
func (s *Stack) writeRaw(pkt []byte) {
	if s.closed() {
		return
	}
	if err := s.ep.out.WritePacket(pkt); err != nil {
		s.ep.counters.droppedOut.Add(1)
		s.log.Debug("netstack: dropped outbound packet", "len", len(pkt), "err", err)
	}
}

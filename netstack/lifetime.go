package netstack

import (
	"net/netip"
	"slices"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"gvisor.dev/gvisor/pkg/tcpip"
)

// lifetimes ends what router advertisements gave once they stop
// renewing it: each SLAAC address after its prefix's valid lifetime
// (RFC 4862 §5.5.3), the DNS servers after the RDNSS lifetime (RFC 8106
// §5.1). Every advertisement restarts the timers of what it carries, with
// the lifetime it gives: RFC 4862's two-hour floor against forged
// advertisements is not applied, since on a PPP link only the peer can
// send them.
// Guarded by Stack.mu, as the rest of ipv6State.
type lifetimes struct {
	addrs map[netip.Addr]expiry
	dns   expiry
	gen   uint64 // tells a timer that fired from its replacement
}

// expiry is one running timer and its generation.
type expiry struct {
	t   clock.Timer
	gen uint64
}

func (e expiry) stop() {
	if e.t != nil {
		e.t.Stop()
	}
}

// stopAll stops every timer, for a stack that closes or moves to
// another identifier.
func (l *lifetimes) stopAll() {
	for _, e := range l.addrs {
		e.stop()
	}
	l.dns.stop()
	*l = lifetimes{}
}

// armAddr (re)starts the valid lifetime of a SLAAC address; s.mu is held.
func (s *Stack) armAddr(a netip.Addr, valid time.Duration) {
	l := &s.v6.timers
	if l.addrs == nil {
		l.addrs = map[netip.Addr]expiry{}
	}
	l.addrs[a].stop()
	l.gen++
	gen := l.gen
	l.addrs[a] = expiry{s.clk.AfterFunc(valid, func() { s.expireAddr(a, gen) }), gen}
}

// disarmAddr stops the timer of an address that went; s.mu is held.
func (s *Stack) disarmAddr(a netip.Addr) {
	s.v6.timers.addrs[a].stop()
	delete(s.v6.timers.addrs, a)
}

// armDNS (re)starts the lifetime of the RDNSS servers; s.mu is held.
func (s *Stack) armDNS(lifetime time.Duration) {
	l := &s.v6.timers
	l.dns.stop()
	l.gen++
	gen := l.gen
	l.dns = expiry{s.clk.AfterFunc(lifetime, func() { s.expireDNS(gen) }), gen}
}

// expireAddr removes a SLAAC address whose lifetime ran out.
func (s *Stack) expireAddr(a netip.Addr, gen uint64) {
	s.mu.Lock()
	if s.closed() || s.v6.timers.addrs[a].gen != gen || !slices.Contains(s.v6.global, a) {
		s.mu.Unlock()
		return
	}
	delete(s.v6.timers.addrs, a)
	s.v6.global = slices.DeleteFunc(s.v6.global, func(g netip.Addr) bool { return g == a })
	s.mu.Unlock()
	s.ipstack.RemoveAddress(nicID, tcpip.AddrFrom16(a.As16()))
	s.abortBoundTo(a)
	s.log.Info("netstack: IPv6 address expired", "addr", a)
	s.notify()
}

// expireDNS forgets the RDNSS servers whose lifetime ran out.
func (s *Stack) expireDNS(gen uint64) {
	s.mu.Lock()
	if s.closed() || s.v6.timers.dns.gen != gen || len(s.v6.dns) == 0 {
		s.mu.Unlock()
		return
	}
	s.v6.dns = nil
	s.v6.timers.dns = expiry{}
	s.mu.Unlock()
	s.log.Info("netstack: IPv6 DNS servers expired")
	s.notify()
}

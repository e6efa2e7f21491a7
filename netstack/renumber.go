package netstack

import (
	"fmt"
	"net/netip"
	"slices"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// Renumber moves the stack to what a renegotiated IPCP and LCP agreed
// on: a new local address, DNS servers and MTU. When the address
// changes, the old one is removed and every socket bound to it is
// aborted, since the peer no longer routes it; sockets bound to no
// particular address (listeners, unconnected UDP) carry on with the new
// one. A changed MTU applies to connections opened from now on.
func (s *Stack) Renumber(local netip.Addr, dns []netip.Addr, mtu uint32) error {
	if local.IsValid() && !local.Is4() {
		return fmt.Errorf("netstack: renumber: local address %v is not IPv4", local)
	}
	s.mu.Lock()
	old := s.localAddr
	if !local.IsValid() {
		local = old // no IPv4 (yet): an IPv6-only renegotiation
	}
	s.localAddr = local
	s.dnsServers = slices.Clone(dns)
	s.mu.Unlock()
	if mtu != 0 {
		if err := s.ipstack.SetNICMTU(nicID, mtu); err != nil {
			return fmt.Errorf("netstack: renumber: MTU %d: %w", mtu, convertError(err))
		}
	}
	if local == old {
		return nil
	}
	defer s.notify()
	s.log.Info("netstack: address changed", "old", old, "new", local)
	addr := tcpip.ProtocolAddress{
		Protocol:          ipv4.ProtocolNumber,
		AddressWithPrefix: tcpip.AddrFrom4(local.As4()).WithPrefix(),
	}
	if err := s.ipstack.AddProtocolAddress(nicID, addr, stack.AddressProperties{}); err != nil {
		return fmt.Errorf("netstack: renumber: add %v: %w", local, convertError(err))
	}
	if !old.IsValid() {
		return nil
	}
	if err := s.ipstack.RemoveAddress(nicID, tcpip.AddrFrom4(old.As4())); err != nil {
		return fmt.Errorf("netstack: renumber: remove %v: %w", old, convertError(err))
	}
	s.abortBoundTo(old)
	return nil
}

// abortBoundTo aborts the transport endpoints whose local address is a.
func (s *Stack) abortBoundTo(a netip.Addr) {
	want := tcpip.AddrFromSlice(a.AsSlice())
	for _, e := range s.ipstack.RegisteredEndpoints() {
		ep, ok := e.(interface {
			GetLocalAddress() (tcpip.FullAddress, tcpip.Error)
		})
		if !ok {
			continue
		}
		if fa, err := ep.GetLocalAddress(); err == nil && fa.Addr == want {
			e.Abort()
		}
	}
}

package gprsppp

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/gprsppp/gprsppp/netstack"
)

// PDP types for Config.PDPType (3GPP TS 27.007 §10.1.1).
const (
	PDPTypeIP     = "IP"
	PDPTypeIPv6   = "IPV6"
	PDPTypeIPv4v6 = "IPV4V6"
)

// ParsePDPType checks a PDP type, in any case, and returns it in the
// form AT+CGDCONT takes; empty means PDPTypeIP.
func ParsePDPType(s string) (string, error) {
	switch t := strings.ToUpper(s); t {
	case "":
		return PDPTypeIP, nil
	case PDPTypeIP, PDPTypeIPv6, PDPTypeIPv4v6:
		return t, nil
	}
	return "", fmt.Errorf("gprsppp: PDP type %q is not IP, IPV6 or IPV4V6", s)
}

// pdpFamilies tells which address families a PDP type carries; an
// invalid one is IPv4 alone (Dial refuses it before).
func pdpFamilies(pdpType string) (v4, v6 bool) {
	switch strings.ToUpper(pdpType) {
	case PDPTypeIPv6:
		return false, true
	case PDPTypeIPv4v6:
		return true, true
	}
	return true, false
}

// NetworkIPv6 is what the network end of a link offers over IPv6, as a
// 3GPP gateway for an IPV6 or IPV4V6 context. Zero values take the
// defaults given.
type NetworkIPv6 struct {
	// LocalID is the gateway's IPv6CP interface identifier (its
	// link-local address fe80::<LocalID>); zero means 1.
	LocalID uint64
	// PeerID is the identifier the client is told to use: IPv6CP naks
	// any other, as 3GPP networks do; zero means 2.
	PeerID uint64
	// Prefix is the /64 advertised for SLAAC; the zero value means
	// 2001:db8:64::/64.
	Prefix netip.Prefix
	// Addr is the gateway's own global address, where its services
	// answer; the zero value means the prefix's ::1.
	Addr netip.Addr
	// DNS are the DNS servers advertised (RFC 8106 RDNSS); empty
	// advertises none.
	DNS []netip.Addr
	// OnLink sets the prefix's on-link flag; false clears it, as 3GPP
	// gateways do.
	OnLink bool
	// Interval is the time between unsolicited router advertisements;
	// zero means 10 s.
	Interval time.Duration
}

func (c *NetworkIPv6) localID() uint64 {
	if c == nil {
		return 0
	}
	if c.LocalID == 0 {
		return 1
	}
	return c.LocalID
}

func (c *NetworkIPv6) peerID() uint64 {
	if c == nil {
		return 0
	}
	if c.PeerID == 0 {
		return 2
	}
	return c.PeerID
}

// prefix returns the advertised prefix and the gateway's address in it.
func (c *NetworkIPv6) prefix() (netip.Prefix, netip.Addr) {
	p := c.Prefix
	if !p.IsValid() {
		p = netip.MustParsePrefix("2001:db8:64::/64")
	}
	a := c.Addr
	if !a.IsValid() {
		a = p.Masked().Addr().Next()
	}
	return p.Masked(), a
}

// router returns what the network side's stack owns and advertises.
func (c *NetworkIPv6) router() *netstack.Router {
	if c == nil {
		return nil
	}
	p, a := c.prefix()
	return &netstack.Router{Addrs: []netip.Addr{a}, Prefix: p, OnLink: c.OnLink, DNS: c.DNS, Interval: c.Interval}
}

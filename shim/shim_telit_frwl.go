package shim

import (
	"fmt"
	"net/netip"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// AT#FRWL=<action>,"<ip>","<mask>": 1 adds an ACCEPT chain, 0 removes
// it, 2 removes them all (seed 004 sends an address with it, which is
// ignored). AT#FRWL? lists them. Listeners take connections only from
// sources that some chain accepts (incoming & mask == ip & mask) once
// there is one; with none, from anyone. Peers the host dialed itself
// are always let in (they are on the module's ACCEPT chain while
// connected).
func (s *shimSession) cmdTelitFRWL(c *shimCmd) error {
	m := s.tl()
	switch c.Op {
	case at.Test:
		s.line(`#FRWL: (0-2),"<ip_addr>","<net_mask>"`)
		return nil
	case at.Read:
		for _, p := range m.frwl {
			s.line(fmt.Sprintf("#FRWL: %q,%q", p.Addr(), telitMask(p.Bits())))
		}
		return nil
	case at.Set:
	default:
		return at.Error
	}
	action, ok := c.intArg(0, 0, 2)
	if !ok || (len(c.args) != 3 && !(action == 2 && len(c.args) == 1)) {
		return at.Error
	}
	if action == 2 {
		m.frwl = nil
		return nil
	}
	p, err := telitPrefix(c.args[1].val, c.args[2].val)
	if err != nil {
		return at.Error
	}
	i := -1
	for k, q := range m.frwl {
		if q == p {
			i = k
		}
	}
	switch {
	case action == 1 && i < 0:
		m.frwl = append(m.frwl, p)
	case action == 0 && i >= 0:
		m.frwl = append(m.frwl[:i], m.frwl[i+1:]...)
	case action == 0:
		return at.Error // no such chain
	}
	return nil
}

// telitPrefix is the chain of an address and a dotted mask.
func telitPrefix(ip, mask string) (netip.Prefix, error) {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return netip.Prefix{}, fmt.Errorf("shim: bad address %q", ip)
	}
	mk, err := netip.ParseAddr(mask)
	if err != nil || !mk.Is4() {
		return netip.Prefix{}, fmt.Errorf("shim: bad mask %q", mask)
	}
	b := mk.As4()
	bits, seenZero := 0, false
	for _, x := range b {
		for i := 7; i >= 0; i-- {
			switch one := x>>i&1 == 1; {
			case one && seenZero:
				return netip.Prefix{}, fmt.Errorf("shim: mask %q is not contiguous", mask)
			case one:
				bits++
			default:
				seenZero = true
			}
		}
	}
	return a.Prefix(bits)
}

// telitMask is the dotted mask of a prefix length.
func telitMask(bits int) string {
	var b [4]byte
	for i := range bits {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(b).String()
}

// allowed is the firewall: whether a listener may take a connection
// from a.
func (m *telitModule) allowed(a netip.Addr) bool {
	if len(m.frwl) == 0 {
		return true
	}
	for _, p := range m.frwl {
		if p.Contains(a) {
			return true
		}
	}
	for _, k := range m.socks.All() {
		if k.dialed && k.sock != nil && k.sock.State() == modemsock.Connected && k.sock.Remote().Addr() == a {
			return true
		}
	}
	return false
}

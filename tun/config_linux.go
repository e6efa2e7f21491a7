package tun

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"
)

// Up gives the interface s's addresses (removing any other) and MTU and
// sets it up.
func (d *Device) Up(s Settings) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nl == nil {
		return fmt.Errorf("tun: %s: %w", d.name, errClosed)
	}
	if err := d.flushLocked(s.Addrs); err != nil {
		return err
	}
	if s.MTU > 0 {
		if err := d.nl.Link.Set(&rtnetlink.LinkMessage{Family: unix.AF_UNSPEC, Index: d.index, Attributes: &rtnetlink.LinkAttributes{MTU: uint32(s.MTU)}}); err != nil {
			return fmt.Errorf("tun: %s: set MTU %d: %w", d.name, s.MTU, err)
		}
	}
	for _, a := range s.Addrs {
		if err := d.addLocked(a); err != nil {
			return err
		}
	}
	if err := d.setFlagsLocked(unix.IFF_UP); err != nil {
		return fmt.Errorf("tun: %s: set up: %w", d.name, err)
	}
	return nil
}

// Down sets the interface down and removes its addresses, with which go
// its routes, while the link is away.
func (d *Device) Down() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nl == nil {
		return fmt.Errorf("tun: %s: %w", d.name, errClosed)
	}
	if err := d.setFlagsLocked(0); err != nil {
		return fmt.Errorf("tun: %s: set down: %w", d.name, err)
	}
	return d.flushLocked(nil)
}

// AddDefaultRoute adds a default route of family's (4 or 6) through the
// interface. Like pppd's defaultroute it does not replace one there
// already: that fails with an error wrapping unix.EEXIST.
func (d *Device) AddDefaultRoute(family int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nl == nil {
		return fmt.Errorf("tun: %s: %w", d.name, errClosed)
	}
	af := uint8(unix.AF_INET)
	if family == 6 {
		af = unix.AF_INET6
	}
	err := d.nl.Route.Add(&rtnetlink.RouteMessage{
		Family: af, Table: unix.RT_TABLE_MAIN, Protocol: unix.RTPROT_BOOT,
		Scope: unix.RT_SCOPE_LINK, Type: unix.RTN_UNICAST,
		Attributes: rtnetlink.RouteAttributes{OutIface: d.index},
	})
	if errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("tun: %s: IPv%d default route: %w: not replacing the host's", d.name, family, err)
	}
	if err != nil {
		return fmt.Errorf("tun: %s: IPv%d default route: %w", d.name, family, err)
	}
	return nil
}

var errClosed = errors.New("device closed")

func (d *Device) setFlagsLocked(flags uint32) error {
	return d.nl.Link.Set(&rtnetlink.LinkMessage{Family: unix.AF_UNSPEC, Index: d.index, Flags: flags, Change: unix.IFF_UP})
}

// flushLocked removes the interface's addresses but those in keep.
func (d *Device) flushLocked(keep []Address) error {
	msgs, err := d.nl.Address.List()
	if err != nil {
		return fmt.Errorf("tun: %s: list addresses: %w", d.name, err)
	}
	for _, m := range msgs {
		if m.Index != d.index || wanted(m, keep) {
			continue
		}
		if err := d.nl.Address.Delete(&m); err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) {
			return fmt.Errorf("tun: %s: remove address %v: %w", d.name, m.Attributes.Local, err)
		}
	}
	return nil
}

// wanted tells whether the interface's address m is one of keep, which
// Up then need not add again.
func wanted(m rtnetlink.AddressMessage, keep []Address) bool {
	if m.Attributes == nil {
		return false
	}
	// IPv6 addresses without a peer come with IFA_ADDRESS alone.
	local := m.Attributes.Local
	if local == nil {
		local = m.Attributes.Address
	}
	for _, a := range keep {
		// Without a peer, IFA_ADDRESS is the address itself.
		peer := a.Peer
		if !peer.IsValid() {
			peer = a.Local.Addr()
		}
		if a.Local.Bits() == int(m.PrefixLength) && sameIP(local, a.Local.Addr()) && sameIP(m.Attributes.Address, peer) {
			return true
		}
	}
	return false
}

func sameIP(ip []byte, a netip.Addr) bool {
	b, ok := netip.AddrFromSlice(ip)
	return ok && b.Unmap() == a.Unmap()
}

func (d *Device) addLocked(a Address) error {
	err := d.nl.Address.New(addressMessage(d.index, a))
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("tun: %s: add address %v peer %v: %w", d.name, a.Local, a.Peer, err)
	}
	return nil
}

// addressMessage is RTM_NEWADDR's body for a: on a point-to-point link
// IFA_LOCAL is our address and IFA_ADDRESS the peer's (rtnetlink(7)).
func addressMessage(index uint32, a Address) *rtnetlink.AddressMessage {
	local := a.Local.Addr()
	m := &rtnetlink.AddressMessage{
		Family: unix.AF_INET, PrefixLength: uint8(a.Local.Bits()), Index: index,
		Attributes: &rtnetlink.AddressAttributes{Local: local.AsSlice(), Address: local.AsSlice()},
	}
	if local.Is6() {
		m.Family = unix.AF_INET6
		m.Attributes.Flags = unix.IFA_F_NODAD // the link has no one else to collide with
	}
	if a.Peer.IsValid() {
		m.Attributes.Address = a.Peer.AsSlice()
	}
	return m
}

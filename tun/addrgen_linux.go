package tun

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// noKernelLinkLocal tells the kernel to make no IPv6 addresses of its
// own on the interface (ip link set dev NAME addrgenmode none): a PPP
// link's IPv6 link-local address comes from the interface identifier
// IPV6CP negotiated (RFC 5072 section 5), and Up adds it with the
// link's other addresses. Until then the host sends no IPv6 (no router
// solicitations, no MLD) into a link that has none. A kernel without
// IPv6 refuses the attribute, which then does not matter.
//
// jsimonetti/rtnetlink's LinkAttributes do not hold IFLA_AF_SPEC, so the
// request is built here: an ifinfomsg for the interface, then
// IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE: NONE } }.
// in6AddrGenModeNone is IN6_ADDR_GEN_MODE_NONE of linux/if_link.h, which
// x/sys/unix does not name.
const in6AddrGenModeNone = 1

func noKernelLinkLocal(index uint32) error {
	c, err := netlink.Dial(unix.NETLINK_ROUTE, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	ae := netlink.NewAttributeEncoder()
	ae.Nested(unix.IFLA_AF_SPEC, func(ae *netlink.AttributeEncoder) error {
		ae.Nested(unix.AF_INET6, func(ae *netlink.AttributeEncoder) error {
			ae.Uint8(unix.IFLA_INET6_ADDR_GEN_MODE, in6AddrGenModeNone)
			return nil
		})
		return nil
	})
	attrs, err := ae.Encode()
	if err != nil {
		return err
	}
	body := make([]byte, unix.SizeofIfInfomsg, unix.SizeofIfInfomsg+len(attrs))
	body[0] = unix.AF_UNSPEC
	binary.NativeEndian.PutUint32(body[4:], index)
	_, err = c.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_NEWLINK, Flags: netlink.Request | netlink.Acknowledge},
		Data:   append(body, attrs...),
	})
	if errors.Is(err, unix.EAFNOSUPPORT) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("IPv6 address generation off: %w", err)
	}
	return nil
}

// Package tun gives a PPP link to the host's own TCP/IP through a Linux
// TUN interface (Documentation/networking/tuntap.rst): Create makes the
// interface from /dev/net/tun in IFF_TUN|IFF_NO_PI mode, so that each
// Read and Write is one bare IPv4 or IPv6 packet, which is exactly what a
// PPP link carries; Device.Up gives it its addresses (point to point,
// with the peer's address where the link has one), its MTU and, on
// request, a default route, over rtnetlink (rtnetlink(7), through
// github.com/jsimonetti/rtnetlink); Device.Down takes it down and its
// addresses off while the link is away; Close removes it.
//
// Creating the interface needs CAP_NET_ADMIN and the TUN driver's
// /dev/net/tun; in a container, docker run --device /dev/net/tun
// --cap-add NET_ADMIN. Without either, Create fails with an error that
// says which, wrapping os.ErrNotExist or os.ErrPermission.
//
// The package knows nothing of PPP: the root package's TUN moves the
// packets between a Device and a Link.
package tun

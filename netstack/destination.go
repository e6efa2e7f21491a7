package netstack

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrLocalOnly is matched, with errors.Is, by the error of a dial whose
// destination must never leave a host (a *DestinationError). Front ends
// branch on it to answer "not allowed" rather than "unreachable".
var ErrLocalOnly = errors.New("destination never leaves a host")

// DestinationError reports a destination that is never sent over the
// link: loopback, unspecified, reserved and other addresses that RFC 1122
// §3.2.1.3 and the RFC 6890 registries forbid as destinations or mark as
// not forwardable. Sending them would only fail after TCP's whole
// connection timeout, since no router on the path may carry them.
type DestinationError struct {
	Addr netip.Addr
	// What names the kind of address: "a loopback address", ...
	What string
	// Ref is the specification that says so: "RFC 1122 §3.2.1.3".
	Ref string
}

// Error implements error.
func (e *DestinationError) Error() string {
	return fmt.Sprintf("%v is %s (%s), which never leaves a host: not sent over the link", e.Addr, e.What, e.Ref)
}

// Unwrap lets errors.Is match ErrLocalOnly.
func (e *DestinationError) Unwrap() error { return ErrLocalOnly }

// CheckDestination returns a *DestinationError if a connection to addr
// over network ("tcp", "udp" and their 4 and 6 forms) must not be sent
// over the link, and nil otherwise. Multicast and limited broadcast are
// refused for TCP only: a datagram to them is legitimate on a link.
func CheckDestination(network string, addr netip.Addr) error {
	addr = addr.Unmap()
	refuse := func(what, ref string) error { return &DestinationError{Addr: addr, What: what, Ref: ref} }
	switch {
	case !addr.IsValid():
		return nil
	case addr.IsLoopback():
		return refuse("a loopback address", "RFC 1122 §3.2.1.3, RFC 6890")
	case addr.IsUnspecified():
		return refuse("the unspecified address", "RFC 1122 §3.2.1.3, RFC 6890")
	case addr.Is4() && addr.As4()[0] == 0:
		return refuse(`in "this network" (0.0.0.0/8)`, "RFC 1122 §3.2.1.3, RFC 6890")
	case addr.Is4() && addr != limitedBroadcast && reserved4.Contains(addr):
		return refuse("reserved (240.0.0.0/4)", "RFC 1112 §4, RFC 6890")
	case addr.Is4() && addr.IsLinkLocalUnicast():
		return refuse("an IPv4 link-local address", "RFC 3927 §2.6.2, RFC 6890")
	case strings.HasPrefix(network, "tcp") && (addr.IsMulticast() || addr == limitedBroadcast):
		return refuse("a multicast or broadcast address, which TCP cannot reach", "RFC 1122 §4.2.3.10")
	}
	return nil
}

var (
	limitedBroadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})
	reserved4        = netip.MustParsePrefix("240.0.0.0/4")
)

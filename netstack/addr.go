package netstack

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
)

var (
	errPort        = errors.New("netstack: port must be a number from 0 to 65535")
	errFamily      = errors.New("netstack: address family does not match the network")
	errListenName  = errors.New("netstack: listen address must be an IP literal")
	errNoAddresses = errors.New("netstack: no address of a family the link carries found")
)

// splitHostPort splits "host:port" and parses the port, which must be
// numeric: there is no services database to look names up in.
func splitHostPort(address string) (host string, port uint16, err error) {
	host, ps, err := net.SplitHostPort(address)
	if err != nil {
		return "", 0, err
	}
	p, err := strconv.ParseUint(ps, 10, 16)
	if err != nil {
		return "", 0, errPort
	}
	return host, uint16(p), nil
}

// parseIP parses an IP literal, IPv4 (also IPv4-mapped) or IPv6 with an
// optional zone, which is ignored: the link is the only interface. ok is
// false for anything that is not an IP literal (a host name).
func parseIP(host string) (ip netip.Addr, ok bool, err error) {
	ip, perr := netip.ParseAddr(host)
	if perr != nil {
		return netip.Addr{}, false, nil
	}
	return ip.Unmap().WithZone(""), true, nil
}

// familyOK reports whether network ("tcp4", "udp6", ...) may carry ip.
func familyOK(network string, ip netip.Addr) bool {
	switch network[len(network)-1] {
	case '4':
		return ip.Is4()
	case '6':
		return ip.Is6()
	}
	return true
}

// netProto is the network protocol of ip.
func netProto(ip netip.Addr) tcpip.NetworkProtocolNumber {
	if ip.Is4() {
		return ipv4.ProtocolNumber
	}
	return ipv6.ProtocolNumber
}

// listenSpec is what a Listen or ListenPacket address asks for: the
// address and port to bind, the endpoint's network protocol and, for an
// IPv6 endpoint, whether it takes IPv6 alone.
type listenSpec struct {
	full   tcpip.FullAddress
	proto  tcpip.NetworkProtocolNumber
	v6only bool
}

// listenAddr parses a Listen or ListenPacket address: "" and ":port" mean
// every local address, of both families for "tcp" and "udp" (a
// dual-stack IPv6 endpoint), otherwise the host must be an IP literal of
// the network's family.
func listenAddr(network, address string) (listenSpec, error) {
	spec := listenSpec{proto: ipv6.ProtocolNumber, v6only: strings.HasSuffix(network, "6")}
	if strings.HasSuffix(network, "4") {
		spec.proto = ipv4.ProtocolNumber
	}
	if address == "" {
		return spec, nil
	}
	host, port, err := splitHostPort(address)
	if err != nil {
		return listenSpec{}, err
	}
	spec.full.Port = port
	if host == "" {
		return spec, nil
	}
	ip, ok, err := parseIP(host)
	switch {
	case err != nil:
		return listenSpec{}, err
	case !ok:
		return listenSpec{}, errListenName
	case !familyOK(network, ip):
		return listenSpec{}, errFamily
	case ip.IsUnspecified() && ip.Is6():
		spec.v6only = true // "[::]:port" as in the net package: IPv6 alone
	case ip.IsUnspecified():
		spec.proto = ipv4.ProtocolNumber
	default:
		spec.proto = netProto(ip)
		spec.v6only = ip.Is6()
		spec.full = fullAddr(netip.AddrPortFrom(ip, port))
	}
	return spec, nil
}

// fullAddr converts an address and port for gVisor: IPv4-mapped
// addresses as IPv4, link-local ones on the link's NIC.
func fullAddr(ap netip.AddrPort) tcpip.FullAddress {
	a := ap.Addr().Unmap()
	full := tcpip.FullAddress{Addr: tcpip.AddrFromSlice(a.AsSlice()), Port: ap.Port()}
	if a.Is6() && (a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) {
		full.NIC = nicID
	}
	return full
}

// netAddr converts a gVisor address into the net.Addr type the net
// package would use for network ("tcp..." or "udp...").
func netAddr(network string, a tcpip.FullAddress) net.Addr {
	ip := net.IP(a.Addr.AsSlice())
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4
	}
	if a.Addr.Len() == 0 {
		ip = net.IPv4zero.To4()
	}
	if isUDP(network) {
		return &net.UDPAddr{IP: ip, Port: int(a.Port)}
	}
	return &net.TCPAddr{IP: ip, Port: int(a.Port)}
}

func isUDP(network string) bool { return network == "udp" || network == "udp4" || network == "udp6" }

func isTCP(network string) bool { return network == "tcp" || network == "tcp4" || network == "tcp6" }

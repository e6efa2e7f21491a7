package netstack

import (
	"errors"
	"net"
	"net/netip"
	"strconv"

	"gvisor.dev/gvisor/pkg/tcpip"
)

var (
	errPort        = errors.New("netstack: port must be a number from 0 to 65535")
	errNotIPv4     = errors.New("netstack: only IPv4 is supported")
	errListenName  = errors.New("netstack: listen address must be an IP literal")
	errNoAddresses = errors.New("netstack: no IPv4 address found")
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

// parseIP parses an IP literal. ok is false for anything that is not an
// IP literal (a host name); an IPv6 literal is an error.
func parseIP(host string) (ip netip.Addr, ok bool, err error) {
	ip, perr := netip.ParseAddr(host)
	if perr != nil {
		return netip.Addr{}, false, nil
	}
	if ip = ip.Unmap(); !ip.Is4() {
		return netip.Addr{}, true, errNotIPv4
	}
	return ip, true, nil
}

// listenAddr parses a Listen or ListenPacket address: "" and ":port" mean
// every local address, otherwise the host must be an IPv4 literal.
func listenAddr(address string) (tcpip.FullAddress, error) {
	if address == "" {
		return tcpip.FullAddress{}, nil
	}
	host, port, err := splitHostPort(address)
	if err != nil {
		return tcpip.FullAddress{}, err
	}
	full := tcpip.FullAddress{Port: port}
	if host == "" {
		return full, nil
	}
	ip, ok, err := parseIP(host)
	switch {
	case err != nil:
		return tcpip.FullAddress{}, err
	case !ok:
		return tcpip.FullAddress{}, errListenName
	case !ip.IsUnspecified():
		full.Addr = tcpip.AddrFrom4(ip.As4())
	}
	return full, nil
}

// fullAddr converts an IPv4 address and port for gVisor.
func fullAddr(ap netip.AddrPort) tcpip.FullAddress {
	return tcpip.FullAddress{Addr: tcpip.AddrFrom4(ap.Addr().As4()), Port: ap.Port()}
}

// netAddr converts a gVisor address into the net.Addr type the net
// package would use for network ("tcp..." or "udp...").
func netAddr(network string, a tcpip.FullAddress) net.Addr {
	ip := net.IP(a.Addr.AsSlice())
	if a.Addr.Len() == 0 {
		ip = net.IPv4zero.To4()
	}
	if isUDP(network) {
		return &net.UDPAddr{IP: ip, Port: int(a.Port)}
	}
	return &net.TCPAddr{IP: ip, Port: int(a.Port)}
}

func isUDP(network string) bool { return network == "udp" || network == "udp4" }

func isTCP(network string) bool { return network == "tcp" || network == "tcp4" }

package netstack

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// Owns tells whether an inbound IP packet (IPv4 or IPv6, by its version
// nibble) belongs to one of the stack's sockets: a TCP or UDP packet whose
// flow has an endpoint here (a connection, or a listener on its port), or
// an ICMP or ICMPv6 error quoting a packet of such a flow. Everything else
// is not the stack's: other protocols, ICMP echo, and fragments, which
// carry no ports past the first and so are left whole to whoever
// reassembles them.
//
// It is how a link shared with the host's own TCP/IP (a TUN interface
// with the same address) splits what comes in: the stack's flows to the
// stack, the rest to the host. Owns does not keep pkt.
func (s *Stack) Owns(pkt []byte) bool {
	f, ok := parseFlow(pkt)
	if !ok {
		return false
	}
	id := stack.TransportEndpointID{
		LocalPort:     f.local.Port(),
		LocalAddress:  tcpipAddr(f.local.Addr()),
		RemotePort:    f.remote.Port(),
		RemoteAddress: tcpipAddr(f.remote.Addr()),
	}
	netProto := header.IPv4ProtocolNumber
	if f.local.Addr().Is6() {
		netProto = header.IPv6ProtocolNumber
	}
	return s.ipstack.FindTransportEndpoint(netProto, tcpip.TransportProtocolNumber(f.proto), id, nicID) != nil
}

// tcpipAddr converts a without allocating, as AsSlice would.
func tcpipAddr(a netip.Addr) tcpip.Address {
	if a.Is4() {
		return tcpip.AddrFrom4(a.As4())
	}
	return tcpip.AddrFrom16(a.As16())
}

// SetPortRange sets the range of local ports the stack picks from for
// its own connections and lookups. A host sharing the link's address
// gives the stack a range its own kernel does not use, so that the two
// never open the same flow. Connections already open keep their ports.
func (s *Stack) SetPortRange(lo, hi uint16) error {
	if err := s.ipstack.SetPortRange(lo, hi); err != nil {
		return fmt.Errorf("netstack: port range %d-%d: %w", lo, hi, convertError(err))
	}
	return nil
}

// flow is the TCP or UDP flow an inbound packet belongs to, seen from
// this side of the link.
type flow struct {
	proto         uint8 // header.TCPProtocolNumber or UDPProtocolNumber
	local, remote netip.AddrPort
}

// IP protocol numbers parseFlow follows.
const (
	protoICMPv4   = 1
	protoTCP      = 6
	protoUDP      = 17
	protoICMPv6   = 58
	v6HopByHop    = 0
	v6Routing     = 43
	v6Fragment    = 44
	v6DestOptions = 60
)

// parseFlow finds the flow of an inbound packet: its own, for TCP and
// UDP, or for an ICMP or ICMPv6 error the flow of the packet it quotes,
// which this side sent. ok is false for anything else, for fragments and
// for truncated or malformed headers.
func parseFlow(pkt []byte) (f flow, ok bool) {
	proto, src, dst, payload, ok := splitIP(pkt)
	if !ok {
		return flow{}, false
	}
	switch proto {
	case protoTCP, protoUDP:
		if len(payload) < 4 {
			return flow{}, false
		}
		return flow{
			proto:  proto,
			remote: netip.AddrPortFrom(src, binary.BigEndian.Uint16(payload)),
			local:  netip.AddrPortFrom(dst, binary.BigEndian.Uint16(payload[2:])),
		}, true
	case protoICMPv4, protoICMPv6:
		if !isICMPError(proto, payload) || len(payload) < 8 {
			return flow{}, false
		}
		return quotedFlow(payload[8:], dst)
	}
	return flow{}, false
}

// isICMPError tells whether an ICMP message quotes a packet: destination
// unreachable, time exceeded, parameter problem (RFC 792), and for ICMPv6
// also packet too big (RFC 4443).
func isICMPError(proto uint8, msg []byte) bool {
	if len(msg) == 0 {
		return false
	}
	if proto == protoICMPv4 {
		return msg[0] == 3 || msg[0] == 11 || msg[0] == 12
	}
	return msg[0] >= 1 && msg[0] <= 4
}

// quotedFlow is the flow of the packet an ICMP error quotes, a packet
// this side sent (so its source is the local end), which must have come
// from the address the error was sent to. The quote holds the IP header
// and at least the first 8 octets of what follows (RFC 792): enough for
// the ports.
func quotedFlow(quote []byte, to netip.Addr) (flow, bool) {
	proto, src, dst, payload, ok := splitIP(quote)
	if !ok || src != to || (proto != protoTCP && proto != protoUDP) || len(payload) < 4 {
		return flow{}, false
	}
	return flow{
		proto:  proto,
		local:  netip.AddrPortFrom(src, binary.BigEndian.Uint16(payload)),
		remote: netip.AddrPortFrom(dst, binary.BigEndian.Uint16(payload[2:])),
	}, true
}

// splitIP splits an IPv4 or IPv6 packet into its upper-layer protocol,
// addresses and what follows the headers. The payload may be cut short
// (an ICMP quote is); the headers may not. ok is false for fragments.
func splitIP(pkt []byte) (proto uint8, src, dst netip.Addr, payload []byte, ok bool) {
	if len(pkt) == 0 {
		return 0, src, dst, nil, false
	}
	switch pkt[0] >> 4 {
	case 4:
		return parseIPv4(pkt)
	case 6:
		return parseIPv6(pkt)
	}
	return 0, src, dst, nil, false
}

func parseIPv4(pkt []byte) (proto uint8, src, dst netip.Addr, payload []byte, ok bool) {
	ihl := int(pkt[0]&0x0f) * 4
	if ihl < header.IPv4MinimumSize || len(pkt) < ihl {
		return 0, src, dst, nil, false
	}
	// More Fragments set, or a fragment offset: a piece of a datagram.
	if binary.BigEndian.Uint16(pkt[6:])&0x3fff != 0 {
		return 0, src, dst, nil, false
	}
	src = netip.AddrFrom4([4]byte(pkt[12:16]))
	dst = netip.AddrFrom4([4]byte(pkt[16:20]))
	return pkt[9], src, dst, pkt[ihl:], true
}

// maxExtensionHeaders bounds the IPv6 extension headers parseIPv6 walks.
const maxExtensionHeaders = 8

func parseIPv6(pkt []byte) (proto uint8, src, dst netip.Addr, payload []byte, ok bool) {
	if len(pkt) < header.IPv6MinimumSize {
		return 0, src, dst, nil, false
	}
	src = netip.AddrFrom16([16]byte(pkt[8:24]))
	dst = netip.AddrFrom16([16]byte(pkt[24:40]))
	next, rest := pkt[6], pkt[header.IPv6MinimumSize:]
	for range maxExtensionHeaders {
		switch next {
		case v6HopByHop, v6Routing, v6DestOptions:
			if len(rest) < 8 {
				return 0, src, dst, nil, false
			}
			n := (int(rest[1]) + 1) * 8
			if len(rest) < n {
				return 0, src, dst, nil, false
			}
			next, rest = rest[0], rest[n:]
		case v6Fragment:
			return 0, src, dst, nil, false
		default:
			return next, src, dst, rest, true
		}
	}
	return 0, src, dst, nil, false
}

package netstack

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Packets as they arrive from the link, built field by field.
var (
	ownsLocal  = netip.MustParseAddr("10.64.64.2")
	ownsRemote = netip.MustParseAddr("10.64.64.1")
	ownsLocal6 = netip.MustParseAddr("2001:db8::2")
	ownsPeer6  = netip.MustParseAddr("2001:db8::1")
)

// ipv4Packet is an IPv4 header (20 octets, checksum left zero: parseFlow
// does not check it) from src to dst carrying payload as proto.
func ipv4Packet(proto uint8, src, dst netip.Addr, fragment uint16, payload []byte) []byte {
	h := []byte{
		0x45, 0, 0, 0, // version, IHL, DSCP, total length (below)
		0, 1, 0, 0, // identification, flags and fragment offset (below)
		64, proto, 0, 0, // TTL, protocol, checksum
	}
	binary.BigEndian.PutUint16(h[2:], uint16(20+len(payload)))
	binary.BigEndian.PutUint16(h[6:], fragment)
	h = append(h, src.AsSlice()...)
	h = append(h, dst.AsSlice()...)
	return append(h, payload...)
}

// ipv6Packet is an IPv6 header from src to dst, then payload as next.
func ipv6Packet(next uint8, src, dst netip.Addr, payload []byte) []byte {
	h := []byte{0x60, 0, 0, 0, 0, 0, next, 64}
	binary.BigEndian.PutUint16(h[4:], uint16(len(payload)))
	h = append(h, src.AsSlice()...)
	h = append(h, dst.AsSlice()...)
	return append(h, payload...)
}

// portPair is the start of a TCP or UDP header: source and destination port.
func portPair(src, dst uint16) []byte {
	return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(nil, src), dst)
}

func cat(chunks ...[]byte) []byte {
	var b []byte
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}

func ownsCases() []struct {
	name string
	pkt  []byte
	want flow
	ok   bool
} {
	tcpIn := ipv4Packet(protoTCP, ownsRemote, ownsLocal, 0, cat(portPair(80, 61001), make([]byte, 16)))
	// What this side sent, quoted in an ICMP error: 10.64.64.2:61001 → 10.64.64.1:53.
	quoted := ipv4Packet(protoUDP, ownsLocal, ownsRemote, 0, cat(portPair(61001, 53), []byte{0, 8, 0, 0}))
	return []struct {
		name string
		pkt  []byte
		want flow
		ok   bool
	}{
		{"TCP", tcpIn, flow{protoTCP, netip.AddrPortFrom(ownsLocal, 61001), netip.AddrPortFrom(ownsRemote, 80)}, true},
		{"UDP", ipv4Packet(protoUDP, ownsRemote, ownsLocal, 0, portPair(53, 40000)), flow{protoUDP, netip.AddrPortFrom(ownsLocal, 40000), netip.AddrPortFrom(ownsRemote, 53)}, true},
		{"port unreachable quoting UDP", ipv4Packet(protoICMPv4, ownsRemote, ownsLocal, 0, cat([]byte{3, 3, 0, 0, 0, 0, 0, 0}, quoted)),
			flow{protoUDP, netip.AddrPortFrom(ownsLocal, 61001), netip.AddrPortFrom(ownsRemote, 53)}, true},
		{"ICMP error quoting someone else's packet", ipv4Packet(protoICMPv4, ownsRemote, netip.MustParseAddr("10.0.0.9"), 0, cat([]byte{3, 3, 0, 0, 0, 0, 0, 0}, quoted)), flow{}, false},
		{"echo reply", ipv4Packet(protoICMPv4, ownsRemote, ownsLocal, 0, []byte{0, 0, 0, 0, 0, 1, 0, 1}), flow{}, false},
		{"first fragment", ipv4Packet(protoUDP, ownsRemote, ownsLocal, 0x2000, portPair(53, 40000)), flow{}, false},
		{"later fragment", ipv4Packet(protoUDP, ownsRemote, ownsLocal, 0x0010, portPair(53, 40000)), flow{}, false},
		{"GRE", ipv4Packet(47, ownsRemote, ownsLocal, 0, make([]byte, 8)), flow{}, false},
		{"ports cut short", ipv4Packet(protoTCP, ownsRemote, ownsLocal, 0, []byte{0, 80}), flow{}, false},
		{"IHL past the end", tcpIn[:19], flow{}, false},
		{"IHL below 5", append([]byte{0x44}, tcpIn[1:]...), flow{}, false},
		{"version 5", append([]byte{0x55}, tcpIn[1:]...), flow{}, false},
		{"empty", nil, flow{}, false},
		{"IPv6 TCP", ipv6Packet(protoTCP, ownsPeer6, ownsLocal6, cat(portPair(443, 50000), make([]byte, 16))),
			flow{protoTCP, netip.AddrPortFrom(ownsLocal6, 50000), netip.AddrPortFrom(ownsPeer6, 443)}, true},
		{"IPv6 UDP after hop-by-hop options", ipv6Packet(v6HopByHop, ownsPeer6, ownsLocal6, cat([]byte{protoUDP, 0, 1, 4, 0, 0, 0, 0}, portPair(53, 50001))),
			flow{protoUDP, netip.AddrPortFrom(ownsLocal6, 50001), netip.AddrPortFrom(ownsPeer6, 53)}, true},
		{"IPv6 fragment", ipv6Packet(v6Fragment, ownsPeer6, ownsLocal6, cat([]byte{protoUDP, 0, 0, 1, 0, 0, 0, 1}, portPair(53, 50001))), flow{}, false},
		{"IPv6 packet too big quoting TCP", ipv6Packet(protoICMPv6, ownsPeer6, ownsLocal6, cat([]byte{2, 0, 0, 0, 0, 0, 5, 0},
			ipv6Packet(protoTCP, ownsLocal6, ownsPeer6, cat(portPair(50000, 443), make([]byte, 4))))),
			flow{protoTCP, netip.AddrPortFrom(ownsLocal6, 50000), netip.AddrPortFrom(ownsPeer6, 443)}, true},
		{"IPv6 echo request", ipv6Packet(protoICMPv6, ownsPeer6, ownsLocal6, []byte{128, 0, 0, 0, 0, 1, 0, 1}), flow{}, false},
		{"IPv6 header cut short", ipv6Packet(protoTCP, ownsPeer6, ownsLocal6, nil)[:39], flow{}, false},
		{"IPv6 options past the end", ipv6Packet(v6DestOptions, ownsPeer6, ownsLocal6, []byte{protoUDP, 3, 0, 0, 0, 0, 0, 0}), flow{}, false},
	}
}

func TestParseFlow(t *testing.T) {
	for _, tc := range ownsCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseFlow(tc.pkt)
			if ok != tc.ok {
				t.Fatalf("parseFlow ok = %v, want %v", ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(flow{}), cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("parseFlow (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseFlow checks that no packet makes parseFlow panic, and that
// what it finds is a TCP or UDP flow between addresses of one family
// that the packet holds.
func FuzzParseFlow(f *testing.F) {
	for _, tc := range ownsCases() {
		f.Add(tc.pkt)
	}
	f.Fuzz(func(t *testing.T, pkt []byte) {
		got, ok := parseFlow(pkt)
		if !ok {
			if got != (flow{}) {
				t.Fatalf("parseFlow failed but returned %+v", got)
			}
			return
		}
		if got.proto != protoTCP && got.proto != protoUDP {
			t.Fatalf("flow of protocol %d", got.proto)
		}
		if got.local.Addr().Is4() != got.remote.Addr().Is4() || got.local.Addr().Is4() != (pkt[0]>>4 == 4) {
			t.Fatalf("flow %v ↔ %v from an IPv%d packet", got.local, got.remote, pkt[0]>>4)
		}
	})
}

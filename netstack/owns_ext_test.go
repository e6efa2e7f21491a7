package netstack_test

import (
	"context"
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// tcpTo is a TCP segment's IPv4 and port headers from src to dst.
func tcpTo(src, dst netip.AddrPort) []byte {
	h := []byte{0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0}
	h = append(h, src.Addr().AsSlice()...)
	h = append(h, dst.Addr().AsSlice()...)
	h = binary.BigEndian.AppendUint16(h, src.Port())
	h = binary.BigEndian.AppendUint16(h, dst.Port())
	return append(h, make([]byte, 16)...)
}

// The stack owns the flows of its listeners and connections, and no other.
func TestOwns(t *testing.T) {
	a, b := pair(t)
	c := dialDiscard(t, a, b) // a's connection to b's listener on port 7
	local := netip.MustParseAddrPort(c.LocalAddr().String())
	for _, tc := range []struct {
		name string
		on   interface{ Owns([]byte) bool }
		pkt  []byte
		want bool
	}{
		{"to a listener", b, tcpTo(netip.AddrPortFrom(addrA, 40000), netip.AddrPortFrom(addrB, 7)), true},
		{"to a port nobody listens on", b, tcpTo(netip.AddrPortFrom(addrA, 40000), netip.AddrPortFrom(addrB, 8)), false},
		{"to a connection", a, tcpTo(netip.AddrPortFrom(addrB, 7), local), true},
		{"to the connection's port from another peer port", a, tcpTo(netip.AddrPortFrom(addrB, 9), local), false},
	} {
		if got := tc.on.Owns(tc.pkt); got != tc.want {
			t.Errorf("%s: Owns = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// BenchmarkOwns is the cost a TUN adds to each inbound packet: one TCP
// segment of the stack's own connection, and one of the host's.
func BenchmarkOwns(b *testing.B) {
	a, peer := netstacktest.Pair(b, addrA, addrB)
	l, err := peer.Listen("tcp", ":7")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	c, err := a.DialContext(context.Background(), "tcp", "192.0.2.2:7")
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	local := netip.MustParseAddrPort(c.LocalAddr().String())
	for _, bc := range []struct {
		name string
		pkt  []byte
	}{
		{"stack's", tcpTo(netip.AddrPortFrom(addrB, 7), local)},
		{"host's", tcpTo(netip.AddrPortFrom(addrB, 80), netip.AddrPortFrom(addrA, 40000))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				a.Owns(bc.pkt)
			}
		})
	}
}

package tcpmss

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

var (
	src4, dst4 = netip.MustParseAddr("10.64.64.64"), netip.MustParseAddr("10.64.64.1")
	src6, dst6 = netip.MustParseAddr("2001:db8:64::2"), netip.MustParseAddr("2001:db8:64::1")
)

// segment builds a TCP segment from src to dst with flags and options,
// inside an IPv4 or IPv6 header, with valid checksums.
func segment(src, dst netip.Addr, flags header.TCPFlags, opts []byte) []byte {
	tcpLen := header.TCPMinimumSize + len(opts)
	ipLen := header.IPv4MinimumSize
	if src.Is6() {
		ipLen = header.IPv6MinimumSize
	}
	pkt := make([]byte, ipLen+tcpLen)
	s, d := tcpip.AddrFromSlice(src.AsSlice()), tcpip.AddrFromSlice(dst.AsSlice())
	if src.Is4() {
		ip := header.IPv4(pkt)
		ip.Encode(&header.IPv4Fields{TotalLength: uint16(len(pkt)), TTL: 64, Protocol: uint8(header.TCPProtocolNumber), SrcAddr: s, DstAddr: d})
		ip.SetChecksum(^ip.CalculateChecksum())
	} else {
		header.IPv6(pkt).Encode(&header.IPv6Fields{PayloadLength: uint16(tcpLen), TransportProtocol: header.TCPProtocolNumber, HopLimit: 64, SrcAddr: s, DstAddr: d})
	}
	tcp := header.TCP(pkt[ipLen:])
	tcp.Encode(&header.TCPFields{SrcPort: 40000, DstPort: 80, SeqNum: 1, DataOffset: uint8(tcpLen), Flags: flags, WindowSize: 65535})
	copy(tcp[header.TCPMinimumSize:], opts)
	tcp.SetChecksum(^tcp.CalculateChecksum(header.PseudoHeaderChecksum(header.TCPProtocolNumber, s, d, uint16(tcpLen))))
	return pkt
}

// checksumValid reports whether pkt's TCP checksum is right.
func checksumValid(t *testing.T, pkt []byte) bool {
	t.Helper()
	seg, _, ok := tcpSegment(pkt)
	if !ok {
		t.Fatalf("not a TCP packet: % x", pkt)
	}
	var src, dst tcpip.Address
	if pkt[0]>>4 == 4 {
		src, dst = header.IPv4(pkt).SourceAddress(), header.IPv4(pkt).DestinationAddress()
	} else {
		src, dst = header.IPv6(pkt).SourceAddress(), header.IPv6(pkt).DestinationAddress()
	}
	sum := header.PseudoHeaderChecksum(header.TCPProtocolNumber, src, dst, uint16(len(seg)))
	return checksum.Checksum(seg, sum) == 0xffff
}

// mssOf returns the MSS option's value in pkt, or 0.
func mssOf(pkt []byte) int {
	seg, _, _ := tcpSegment(pkt)
	opts := header.ParseSynOptions(header.TCP(seg).Options(), false)
	if opts.MSS == header.TCPDefaultMSS {
		return 0
	}
	return int(opts.MSS)
}

func mssOption(v uint16) []byte { return binary.BigEndian.AppendUint16([]byte{2, 4}, v) }

func TestClamp(t *testing.T) {
	ts := []byte{8, 10, 0, 0, 0, 1, 0, 0, 0, 0}
	for _, tc := range []struct {
		name    string
		pkt     []byte
		size    int
		changed bool
		wantMSS int
	}{
		{"IPv4 SYN", segment(src4, dst4, header.TCPFlagSyn, append(mssOption(1460), 1, 1, 4, 2)), 232, true, 192},
		{"IPv4 SYN-ACK", segment(dst4, src4, header.TCPFlagSyn|header.TCPFlagAck, append(mssOption(1460), 1, 1, 4, 2)), 232, true, 192},
		{"IPv6 SYN", segment(src6, dst6, header.TCPFlagSyn, append(mssOption(1440), 1, 1, 4, 2)), 232, true, 172},
		// After one NOP the value sits at an odd offset, across two of
		// the checksum's words.
		{"odd offset", segment(src4, dst4, header.TCPFlagSyn, append(append([]byte{1}, mssOption(1460)...), 1, 1, 1)), 232, true, 192},
		{"after timestamps", segment(src4, dst4, header.TCPFlagSyn, append(append([]byte{1, 1}, ts...), mssOption(1460)...)), 232, true, 192},
		{"MSS already small", segment(src4, dst4, header.TCPFlagSyn, mssOption(100)), 232, false, 100},
		{"at the floor", segment(src4, dst4, header.TCPFlagSyn, mssOption(1460)), 60, true, 88},
		{"not a SYN", segment(src4, dst4, header.TCPFlagAck, mssOption(1460)), 232, false, 1460},
		{"no MSS option", segment(src4, dst4, header.TCPFlagSyn, []byte{1, 1, 4, 2}), 232, false, 0},
		{"end of options first", segment(src4, dst4, header.TCPFlagSyn, append([]byte{0, 1, 1, 1}, mssOption(1460)...)), 232, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := bytes.Clone(tc.pkt)
			if got := Clamp(tc.pkt, tc.size); got != tc.changed {
				t.Fatalf("Clamp = %v, want %v", got, tc.changed)
			}
			if !tc.changed && !bytes.Equal(before, tc.pkt) {
				t.Fatalf("unchanged packet was modified:\n% x\n% x", before, tc.pkt)
			}
			if !checksumValid(t, tc.pkt) {
				t.Fatalf("TCP checksum invalid after Clamp: % x", tc.pkt)
			}
			if got := mssOf(tc.pkt); got != tc.wantMSS {
				t.Fatalf("MSS %d, want %d", got, tc.wantMSS)
			}
		})
	}
}

// Packets Clamp must leave alone whatever they hold.
func TestClampLeavesOthers(t *testing.T) {
	udp := segment(src4, dst4, header.TCPFlagSyn, mssOption(1460))
	udp[9] = 17
	frag := segment(src4, dst4, header.TCPFlagSyn, mssOption(1460))
	frag[6] |= 0x20 // more fragments
	short := segment(src4, dst4, header.TCPFlagSyn, mssOption(1460))
	binary.BigEndian.PutUint16(short[2:], 30) // total length inside the TCP header
	badOptLen := segment(src4, dst4, header.TCPFlagSyn, []byte{3, 9, 0, 0, 2, 4, 5, 0xb4})
	for name, pkt := range map[string][]byte{
		"empty": nil, "UDP": udp, "fragment": frag, "truncated": short, "option longer than the header": badOptLen,
		"IPv6 extension header": func() []byte { p := segment(src6, dst6, header.TCPFlagSyn, mssOption(1440)); p[6] = 0; return p }(),
	} {
		before := bytes.Clone(pkt)
		if Clamp(pkt, 232) || !bytes.Equal(before, pkt) {
			t.Errorf("%s: changed", name)
		}
	}
}

// FuzzClamp: whatever the input, Clamp does not panic, changes nothing
// but an MSS option's value and the TCP checksum, keeps a valid
// checksum valid, and leaves no MSS above the limit.
func FuzzClamp(f *testing.F) {
	f.Add(segment(src4, dst4, header.TCPFlagSyn, append(mssOption(1460), 1, 1, 4, 2)), 232)
	f.Add(segment(src6, dst6, header.TCPFlagSyn|header.TCPFlagAck, append([]byte{1}, append(mssOption(1440), 1, 1, 1)...)), 300)
	f.Add(segment(src4, dst4, header.TCPFlagAck, nil), 0)
	f.Fuzz(func(t *testing.T, pkt []byte, size int) {
		before := bytes.Clone(pkt)
		_, _, isTCP := tcpSegment(pkt)
		valid := isTCP && checksumValid(t, pkt)
		changed := Clamp(pkt, size)
		if !changed {
			if !bytes.Equal(before, pkt) {
				t.Fatalf("reported unchanged but modified")
			}
			return
		}
		diff := 0
		for i := range pkt {
			if pkt[i] != before[i] {
				diff++
			}
		}
		if diff > 4 {
			t.Fatalf("%d octets changed, want at most 4 (MSS and checksum)", diff)
		}
		if valid && !checksumValid(t, pkt) {
			t.Fatalf("checksum broken:\n% x\n% x", before, pkt)
		}
	})
}

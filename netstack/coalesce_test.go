package netstack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// tcpSeg describes a TCP segment for tests.
type tcpSeg struct {
	v6       bool
	src, dst uint16 // ports; the addresses are fixed
	seq, ack uint32
	flags    header.TCPFlags
	win      uint16
	opts     []byte // a multiple of 4 octets
	payload  []byte
	corrupt  bool // flip a payload bit after the checksum is set
}

var (
	segSrc4 = tcpip.AddrFrom4([4]byte{192, 0, 2, 1})
	segDst4 = tcpip.AddrFrom4([4]byte{192, 0, 2, 2})
	segSrc6 = tcpip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1})
	segDst6 = tcpip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 2})
)

// bytes builds the segment in IPv4 (DF, TTL 64) or IPv6 (hop limit 64)
// with valid checksums.
func (s tcpSeg) bytes() []byte {
	tcpLen := header.TCPMinimumSize + len(s.opts) + len(s.payload)
	ipLen := header.IPv4MinimumSize
	src, dst := segSrc4, segDst4
	if s.v6 {
		ipLen = header.IPv6MinimumSize
		src, dst = segSrc6, segDst6
	}
	b := make([]byte, ipLen+tcpLen)
	if s.v6 {
		header.IPv6(b).Encode(&header.IPv6Fields{
			PayloadLength: uint16(tcpLen), TransportProtocol: header.TCPProtocolNumber,
			HopLimit: 64, SrcAddr: src, DstAddr: dst,
		})
	} else {
		ip := header.IPv4(b)
		ip.Encode(&header.IPv4Fields{
			TotalLength: uint16(len(b)), Flags: header.IPv4FlagDontFragment, TTL: 64,
			Protocol: uint8(header.TCPProtocolNumber), SrcAddr: src, DstAddr: dst,
		})
		ip.SetChecksum(^ip.CalculateChecksum())
	}
	tcp := header.TCP(b[ipLen:])
	tcp.Encode(&header.TCPFields{
		SrcPort: s.src, DstPort: s.dst, SeqNum: s.seq, AckNum: s.ack,
		DataOffset: uint8(header.TCPMinimumSize + len(s.opts)), Flags: s.flags, WindowSize: s.win,
	})
	copy(tcp[header.TCPMinimumSize:], s.opts)
	copy(tcp[header.TCPMinimumSize+len(s.opts):], s.payload)
	xsum := header.PseudoHeaderChecksum(header.TCPProtocolNumber, src, dst, uint16(tcpLen))
	xsum = checksum.Checksum(s.payload, xsum)
	tcp.SetChecksum(^tcp.CalculateChecksum(xsum))
	if s.corrupt {
		b[len(b)-1] ^= 0x10
	}
	return b
}

// checksumsValid reports whether a TCP packet's IPv4 header checksum
// (for IPv4) and TCP checksum are right.
func checksumsValid(pkt []byte) bool {
	s, ok := tcpFlow(pkt)
	if !ok {
		return false
	}
	src, dst := tcpip.AddrFromSlice(s.addrs()[:len(s.addrs())/2]), tcpip.AddrFromSlice(s.addrs()[len(s.addrs())/2:])
	if !s.v6 && !header.IPv4(pkt).IsChecksumValid() {
		return false
	}
	tcp := header.TCP(pkt[s.ipLen:])
	payload := pkt[s.ipLen+int(tcp.DataOffset()):]
	return tcp.IsChecksumValid(src, dst, checksum.Checksum(payload, 0), uint16(len(payload)))
}

// run feeds pkts to a coalescer and returns what it passed on, the
// packets still held flushed at the end.
func run(pkts ...[]byte) [][]byte {
	var c coalescer
	var got [][]byte
	out := func(hdr []byte, payload buffer.Buffer) {
		p := append([]byte(nil), hdr...)
		got = append(got, append(p, payload.Flatten()...))
		payload.Release()
	}
	for _, p := range pkts {
		c.add(p, out)
	}
	c.flushAll(out)
	return got
}

func fill(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

func TestCoalescer(t *testing.T) {
	ts := []byte{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2} // NOP NOP timestamps
	full := func(i int) tcpSeg {
		return tcpSeg{src: 80, dst: 4000, seq: 1000 + uint32(i)*1000, ack: 7, flags: header.TCPFlagAck,
			win: 100 + uint16(i), opts: ts, payload: fill(1000, byte('a'+i))}
	}
	with := func(s tcpSeg, f func(*tcpSeg)) tcpSeg { f(&s); return s }
	udp := func() []byte {
		b := full(0).bytes()
		b[9] = uint8(header.UDPProtocolNumber)
		return b
	}()
	for _, tc := range []struct {
		name  string
		in    [][]byte
		parts []int   // how many inputs each output joins, in order
		order [][]int // or which, where not in order
		check func(t *testing.T, out [][]byte)
	}{
		{
			name: "a run of full segments becomes one", in: [][]byte{full(0).bytes(), full(1).bytes(), full(2).bytes()},
			parts: []int{3},
			check: func(t *testing.T, out [][]byte) {
				tcp := header.TCP(out[0][20:])
				if tcp.SequenceNumber() != 1000 || tcp.WindowSize() != 102 || tcp.Flags() != header.TCPFlagAck {
					t.Errorf("joined header: seq %d, window %d, flags %v; want 1000, the last window 102, ACK",
						tcp.SequenceNumber(), tcp.WindowSize(), tcp.Flags())
				}
			},
		},
		{
			name: "IPv6", parts: []int{2},
			in: [][]byte{with(full(0), func(s *tcpSeg) { s.v6 = true }).bytes(), with(full(1), func(s *tcpSeg) { s.v6 = true }).bytes()},
		},
		{
			name: "a shorter segment ends the run", parts: []int{3, 1},
			in: [][]byte{full(0).bytes(), full(1).bytes(), with(full(2), func(s *tcpSeg) { s.payload = s.payload[:500] }).bytes(),
				with(full(3), func(s *tcpSeg) { s.seq = 3500 }).bytes()},
		},
		{
			name: "a push ends the run and is kept", parts: []int{2, 1},
			in: [][]byte{full(0).bytes(), with(full(1), func(s *tcpSeg) { s.flags |= header.TCPFlagPsh }).bytes(), full(2).bytes()},
			check: func(t *testing.T, out [][]byte) {
				if f := header.TCP(out[0][20:]).Flags(); f != header.TCPFlagAck|header.TCPFlagPsh {
					t.Errorf("flags %v, want ACK|PSH", f)
				}
			},
		},
		{
			name: "a gap", parts: []int{1, 1},
			in: [][]byte{full(0).bytes(), full(2).bytes()},
		},
		{
			name: "another acknowledgment", parts: []int{1, 1},
			in: [][]byte{full(0).bytes(), with(full(1), func(s *tcpSeg) { s.ack = 8 }).bytes()},
		},
		{
			name: "other options", parts: []int{1, 1},
			in: [][]byte{full(0).bytes(), with(full(1), func(s *tcpSeg) {
				s.opts = []byte{1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 2}
			}).bytes()},
		},
		{
			name: "an odd length is not joined", parts: []int{1, 1},
			in: [][]byte{with(full(0), func(s *tcpSeg) { s.payload = fill(1001, 'a') }).bytes(),
				with(full(1), func(s *tcpSeg) { s.seq = 2001; s.payload = fill(1001, 'b') }).bytes()},
		},
		{
			// A clamped MSS's segments are left alone: gVisor counts
			// each segment at its size and 636 octets against the
			// small receive buffers of a slow line.
			name: "small segments are not joined", parts: []int{1, 1, 1},
			in: [][]byte{with(full(0), func(s *tcpSeg) { s.payload = s.payload[:192] }).bytes(),
				with(full(1), func(s *tcpSeg) { s.seq = 1192; s.payload = s.payload[:192] }).bytes(),
				with(full(2), func(s *tcpSeg) { s.seq = 1384; s.payload = s.payload[:192] }).bytes()},
		},
		{
			name: "a FIN comes after the data held", parts: []int{2, 1},
			in: [][]byte{full(0).bytes(), full(1).bytes(), with(full(2), func(s *tcpSeg) { s.flags |= header.TCPFlagFin }).bytes()},
		},
		{
			name: "two connections interleaved", order: [][]int{{0, 2}, {1, 3}},
			in: [][]byte{full(0).bytes(), with(full(0), func(s *tcpSeg) { s.dst = 4001 }).bytes(),
				full(1).bytes(), with(full(1), func(s *tcpSeg) { s.dst = 4001 }).bytes()},
		},
		{
			name: "not TCP passes at once", order: [][]int{{1}, {0, 2}},
			in: [][]byte{full(0).bytes(), udp, full(1).bytes()},
			check: func(t *testing.T, out [][]byte) {
				if !bytes.Equal(out[0], udp) {
					t.Errorf("UDP packet changed")
				}
			},
		},
		{
			name: "a run no longer than an IP packet", parts: []int{65, 35},
			in: func() [][]byte {
				var pkts [][]byte
				for i := range 100 {
					pkts = append(pkts, with(full(0), func(s *tcpSeg) { s.seq = uint32(i) * 1000 }).bytes())
				}
				return pkts
			}(),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := run(tc.in...)
			order := tc.order
			for i, k := 0, 0; k < len(tc.parts); k++ {
				var g []int
				for j := range tc.parts[k] {
					g = append(g, i+j)
				}
				order = append(order, g)
				i += tc.parts[k]
			}
			if len(out) != len(order) {
				t.Fatalf("%d packets out, want %d", len(out), len(order))
			}
			for k, p := range out {
				if len(order[k]) == 1 {
					if !bytes.Equal(p, tc.in[order[k][0]]) {
						t.Errorf("packet %d: a lone packet changed", k)
					}
					continue
				}
				var want []byte
				for _, i := range order[k] {
					s, _ := parseSegment(tc.in[i])
					want = append(want, tc.in[i][s.hdrLen:]...)
				}
				s, ok := parseSegment(p)
				if !ok || !bytes.Equal(p[s.hdrLen:], want) {
					t.Errorf("packet %d: payload is not that of %v joined", k, order[k])
				}
				if !checksumsValid(p) {
					t.Errorf("packet %d: checksums not valid", k)
				}
			}
			if tc.check != nil {
				tc.check(t, out)
			}
		})
	}
}

// TestCoalescerCorruptPart checks that a part whose payload does not
// match its checksum makes the joined segment fail the stack's check.
func TestCoalescerCorruptPart(t *testing.T) {
	for _, bad := range []int{0, 1, 2} {
		t.Run(fmt.Sprint("part ", bad), func(t *testing.T) {
			var in [][]byte
			for i := range 3 {
				s := tcpSeg{src: 80, dst: 4000, seq: uint32(i) * 1000, flags: header.TCPFlagAck,
					payload: fill(1000, byte(i)), corrupt: i == bad}
				in = append(in, s.bytes())
			}
			out := run(in...)
			if len(out) != 1 {
				t.Fatalf("%d packets out, want 1", len(out))
			}
			if checksumsValid(out[0]) {
				t.Error("joined segment with a corrupt part passes the checksum")
			}
		})
	}
}

// flowPayloads returns the TCP payload of pkts by connection (the
// addresses and ports), and every other packet whole under "".
func flowPayloads(pkts [][]byte) map[string][]byte {
	m := make(map[string][]byte)
	for _, p := range pkts {
		s, ok := tcpFlow(p)
		if !ok {
			m[""] = append(m[""], p...)
			continue
		}
		key := string(s.addrs()) + string(p[s.ipLen:s.ipLen+4])
		body := p[s.ipLen:]
		if len(body) >= header.TCPMinimumSize {
			if off := int(header.TCP(body).DataOffset()); off >= header.TCPMinimumSize && off <= len(body) {
				body = body[off:]
			}
		}
		m[key] = append(m[key], body...)
	}
	return m
}

// FuzzCoalescer feeds the coalescer packets and checks that what comes
// out carries, connection by connection, the same octets in the same
// order, and that joined segments of valid parts are valid. The first
// octet chooses how the rest is read: raw packets (a length octet pair
// before each), or a script of segments built valid, four octets each
// (connection, sequence step, length, flags).
func FuzzCoalescer(f *testing.F) {
	seg := tcpSeg{src: 80, dst: 4000, seq: 1, ack: 1, flags: header.TCPFlagAck, payload: fill(100, 'x')}
	raw := func(pkts ...[]byte) []byte {
		b := []byte{0}
		for _, p := range pkts {
			b = binary.BigEndian.AppendUint16(b, uint16(len(p)))
			b = append(b, p...)
		}
		return b
	}
	next := seg
	next.seq += 100
	f.Add(raw(seg.bytes(), next.bytes()))
	seg.v6, next.v6 = true, true
	f.Add(raw(seg.bytes(), next.bytes()))
	f.Add([]byte{1, 0, 1, 100, 0, 0, 1, 100, 0, 1, 0, 100, 0, 0, 1, 50, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		var in [][]byte
		scripted := data[0]&1 == 1
		if scripted {
			in = scriptSegments(data[1:])
		} else {
			for b := data[1:]; len(b) >= 2; {
				n := min(int(binary.BigEndian.Uint16(b)), len(b)-2)
				in = append(in, b[2:2+n])
				b = b[2+n:]
			}
		}
		out := run(in...)
		if len(out) > len(in) {
			t.Fatalf("%d packets out of %d", len(out), len(in))
		}
		want, got := flowPayloads(in), flowPayloads(out)
		for k, w := range want {
			if !bytes.Equal(got[k], w) {
				t.Fatalf("connection %x: octets differ after coalescing", k)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d connections out, %d in", len(got), len(want))
		}
		if scripted {
			for i, p := range out {
				if !checksumsValid(p) {
					t.Fatalf("packet %d out: checksums not valid", i)
				}
			}
		}
	})
}

// scriptSegments builds valid segments from a script of four-octet
// steps: connection (bit 0: port, bit 1: IPv6), sequence step (0 means
// right after the last of that connection), payload length, flags.
func scriptSegments(script []byte) [][]byte {
	next := map[int]uint32{}
	var pkts [][]byte
	for ; len(script) >= 4; script = script[4:] {
		conn := int(script[0] & 3)
		seq := next[conn] + uint32(script[1])
		s := tcpSeg{v6: conn&2 != 0, src: 80, dst: 4000 + uint16(conn&1), seq: seq, ack: 1,
			flags: header.TCPFlags(script[3]) | header.TCPFlagAck, payload: fill(int(script[2]), script[2])}
		if s.flags&(header.TCPFlagSyn|header.TCPFlagRst) != 0 {
			s.flags &^= header.TCPFlagSyn | header.TCPFlagRst
		}
		next[conn] = seq + uint32(len(s.payload))
		pkts = append(pkts, s.bytes())
	}
	return pkts
}

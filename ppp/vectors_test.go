package ppp

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// frameVector is a real frame, written on the wire as one chunk per field.
type frameVector struct {
	name  string
	enc   Encoder
	proto Protocol
	info  []byte
	frame []byte   // what Decoder emits: Address, Control, Protocol, Information
	wire  [][]byte // the escaped octets on the line, one chunk per field
}

// frameVectors returns the golden vectors. Their FCS octets were computed
// with the bit-at-a-time reference below, which TestGoldenFCS rechecks.
func frameVectors() []frameVector {
	return []frameVector{
		{
			// pppd's first Configure-Request: ACCM 0, magic number,
			// PFC and ACFC, sent with every control character
			// escaped as RFC 1661 §5 requires for LCP.
			name:  "LCP Configure-Request, ACCM ffffffff",
			enc:   Encoder{ACCM: 0xffffffff},
			proto: ProtocolLCP,
			info: []byte{
				0x01, 0x01, 0x00, 0x14,
				0x02, 0x06, 0x00, 0x00, 0x00, 0x00,
				0x05, 0x06, 0x2f, 0x4a, 0x91, 0x5c,
				0x07, 0x02,
				0x08, 0x02,
			},
			frame: []byte{
				0xff, 0x03, 0xc0, 0x21,
				0x01, 0x01, 0x00, 0x14,
				0x02, 0x06, 0x00, 0x00, 0x00, 0x00,
				0x05, 0x06, 0x2f, 0x4a, 0x91, 0x5c,
				0x07, 0x02,
				0x08, 0x02,
			},
			wire: [][]byte{
				{0x7e},                   // Flag
				{0xff, 0x7d, 0x23},       // Address, Control
				{0xc0, 0x21},             // Protocol: LCP
				{0x7d, 0x21, 0x7d, 0x21}, // Code: Configure-Request, Identifier 1
				{0x7d, 0x20, 0x7d, 0x34}, // Length 20
				{0x7d, 0x22, 0x7d, 0x26}, // Option ACCM, length 6
				{0x7d, 0x20, 0x7d, 0x20, 0x7d, 0x20, 0x7d, 0x20}, // ACCM 0
				{0x7d, 0x25, 0x7d, 0x26},                         // Option Magic-Number, length 6
				{0x2f, 0x4a, 0x91, 0x5c},                         // Magic-Number
				{0x7d, 0x27, 0x7d, 0x22},                         // Option PFC, length 2
				{0x7d, 0x28, 0x7d, 0x22},                         // Option ACFC, length 2
				{0x57, 0x79},                                     // FCS-16
				{0x7e},                                           // Flag
			},
		},
		{
			// IPCP after LCP agreed on ACFC, PFC and asyncmap
			// 0x000a0000 (XON and XOFF escaped). The address
			// 10.17.125.1 holds XON and a Control Escape.
			name:  "IPCP Configure-Request, ACFC, ACCM 000a0000",
			enc:   Encoder{ACCM: 0x000a0000, ACFC: true, PFC: true},
			proto: ProtocolIPCP,
			info: []byte{
				0x01, 0x01, 0x00, 0x10,
				0x03, 0x06, 0x0a, 0x11, 0x7d, 0x01,
				0x81, 0x06, 0x00, 0x00, 0x00, 0x00,
			},
			frame: []byte{
				0x80, 0x21,
				0x01, 0x01, 0x00, 0x10,
				0x03, 0x06, 0x0a, 0x11, 0x7d, 0x01,
				0x81, 0x06, 0x00, 0x00, 0x00, 0x00,
			},
			wire: [][]byte{
				{0x7e},                               // Flag
				{0x80, 0x21},                         // Protocol: IPCP
				{0x01, 0x01, 0x00, 0x10},             // Configure-Request, Identifier 1, Length 16
				{0x03, 0x06},                         // Option IP-Address, length 6
				{0x0a, 0x7d, 0x31, 0x7d, 0x5d, 0x01}, // 10.17.125.1
				{0x81, 0x06},                         // Option Primary-DNS, length 6
				{0x00, 0x00, 0x00, 0x00},             // 0.0.0.0
				{0x82, 0x5d},                         // FCS-16
				{0x7e},                               // Flag
			},
		},
		{
			// An ICMP echo request whose IP identification and ICMP
			// identifier hold a Flag Sequence and a Control Escape.
			name:  "IPv4 echo request, ACFC, PFC, ACCM 0",
			enc:   Encoder{ACFC: true, PFC: true},
			proto: ProtocolIPv4,
			info: []byte{
				0x45, 0x00, 0x00, 0x1c, 0x7e, 0x01, 0x40, 0x00,
				0x40, 0x01, 0xa8, 0xdd, 0x0a, 0x00, 0x00, 0x01,
				0x0a, 0x00, 0x00, 0x02,
				0x08, 0x00, 0x7a, 0x80, 0x7d, 0x7e, 0x00, 0x01,
			},
			frame: []byte{
				0x21,
				0x45, 0x00, 0x00, 0x1c, 0x7e, 0x01, 0x40, 0x00,
				0x40, 0x01, 0xa8, 0xdd, 0x0a, 0x00, 0x00, 0x01,
				0x0a, 0x00, 0x00, 0x02,
				0x08, 0x00, 0x7a, 0x80, 0x7d, 0x7e, 0x00, 0x01,
			},
			wire: [][]byte{
				{0x7e},                   // Flag
				{0x21},                   // Protocol: IPv4, compressed
				{0x45, 0x00, 0x00, 0x1c}, // Version, IHL, TOS, Total Length 28
				{0x7d, 0x5e, 0x01},       // Identification 0x7e01
				{0x40, 0x00},             // DF, Fragment Offset 0
				{0x40, 0x01, 0xa8, 0xdd}, // TTL 64, ICMP, Header Checksum
				{0x0a, 0x00, 0x00, 0x01}, // Source 10.0.0.1
				{0x0a, 0x00, 0x00, 0x02}, // Destination 10.0.0.2
				{0x08, 0x00, 0x7a, 0x80}, // Echo Request, Code 0, Checksum
				{0x7d, 0x5d, 0x7d, 0x5e}, // Identifier 0x7d7e
				{0x00, 0x01},             // Sequence 1
				{0x31, 0x77},             // FCS-16
				{0x7e},                   // Flag
			},
		},
		{
			// LCP keeps its Address and Control fields under ACFC
			// (RFC 1661 §6.6); the link here uses the 32-bit FCS.
			name:  "LCP Echo-Request, ACFC, FCS-32",
			enc:   Encoder{ACFC: true, PFC: true, FCS32: true},
			proto: ProtocolLCP,
			info:  []byte{0x09, 0x07, 0x00, 0x08, 0x2f, 0x4a, 0x91, 0x5c},
			frame: []byte{0xff, 0x03, 0xc0, 0x21, 0x09, 0x07, 0x00, 0x08, 0x2f, 0x4a, 0x91, 0x5c},
			wire: [][]byte{
				{0x7e},                   // Flag
				{0xff, 0x03},             // Address, Control
				{0xc0, 0x21},             // Protocol: LCP
				{0x09, 0x07, 0x00, 0x08}, // Echo-Request, Identifier 7, Length 8
				{0x2f, 0x4a, 0x91, 0x5c}, // Magic-Number
				{0xd4, 0x36, 0x58, 0x5c}, // FCS-32
				{0x7e},                   // Flag
			},
		},
	}
}

// refFCS16 is the transmitted FCS-16 of b computed a bit at a time from
// the definition (RFC 1662 §C.2), independently of the tables.
func refFCS16(b []byte) uint16 {
	fcs := uint16(0xffff)
	for _, c := range b {
		for i := range 8 {
			bit := (fcs ^ uint16(c>>i)) & 1
			fcs >>= 1
			if bit != 0 {
				fcs ^= 0x8408
			}
		}
	}
	return ^fcs
}

// refFCS32 is the transmitted FCS-32 of b computed a bit at a time
// (RFC 1662 §C.3).
func refFCS32(b []byte) uint32 {
	fcs := uint32(0xffffffff)
	for _, c := range b {
		for i := range 8 {
			bit := (fcs ^ uint32(c>>i)) & 1
			fcs >>= 1
			if bit != 0 {
				fcs ^= 0xedb88320
			}
		}
	}
	return ^fcs
}

// refUnescape undoes the transparency of one frame between two flags,
// with the simplest possible code.
func refUnescape(wire []byte) []byte {
	var out []byte
	wire = wire[1 : len(wire)-1]
	for i := 0; i < len(wire); i++ {
		if wire[i] == 0x7d {
			i++
			out = append(out, wire[i]^0x20)
			continue
		}
		out = append(out, wire[i])
	}
	return out
}

// refEscaped reports whether c must be escaped under accm.
func refEscaped(c byte, accm uint32) bool {
	return c == 0x7d || c == 0x7e || c < 32 && accm>>c&1 == 1
}

// refEscape applies transparency to b under accm and adds the flags.
func refEscape(b []byte, accm uint32) []byte {
	out := []byte{0x7e}
	for _, c := range b {
		if refEscaped(c, accm) {
			out = append(out, 0x7d, c^0x20)
		} else {
			out = append(out, c)
		}
	}
	return append(out, 0x7e)
}

// refFCSOctets returns the FCS to transmit for frame, least significant
// octet first.
func refFCSOctets(frame []byte, fcs32 bool) []byte {
	if fcs32 {
		f := refFCS32(frame)
		return []byte{byte(f), byte(f >> 8), byte(f >> 16), byte(f >> 24)}
	}
	f := refFCS16(frame)
	return []byte{byte(f), byte(f >> 8)}
}

func TestGoldenFCS(t *testing.T) {
	for _, g := range frameVectors() {
		t.Run(g.name, func(t *testing.T) {
			want := slices.Concat(g.frame, refFCSOctets(g.frame, g.enc.FCS32))
			if diff := cmp.Diff(want, refUnescape(bytes.Join(g.wire, nil))); diff != "" {
				t.Errorf("unescaped wire (-want +got):\n%s", diff)
			}
		})
	}
}

// randomOctets returns n pseudo-random octets from r.
func randomOctets(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// seededRand returns a deterministic generator for test case seed.
func seededRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// decoderCounts is a plain copy of DecoderStats for comparison.
type decoderCounts struct {
	Frames, Octets, FCSErrors, Aborts, TooLong, Runts, Garbage uint64
}

// statsOf snapshots s.
func statsOf(s *DecoderStats) decoderCounts {
	return decoderCounts{
		Frames:    s.Frames.Load(),
		Octets:    s.Octets.Load(),
		FCSErrors: s.FCSErrors.Load(),
		Aborts:    s.Aborts.Load(),
		TooLong:   s.TooLong.Load(),
		Runts:     s.Runts.Load(),
		Garbage:   s.Garbage.Load(),
	}
}

// decodeChunks feeds wire to d in chunks of the given sizes, cycling
// through them (all of wire at once if sizes is empty), and returns copies
// of the frames emitted.
func decodeChunks(d *Decoder, wire []byte, sizes []int) [][]byte {
	var got [][]byte
	emit := func(f []byte) { got = append(got, slices.Clone(f)) }
	for k := 0; len(wire) > 0; k++ {
		n := len(wire)
		if len(sizes) > 0 {
			n = min(n, sizes[k%len(sizes)])
		}
		d.Decode(wire[:n], emit)
		wire = wire[n:]
	}
	return got
}

package ppp

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// feedChunkings are the ways the tests feed the line to a Decoder: whole, an
// octet at a time, and in uneven pieces.
var feedChunkings = []struct {
	name  string
	sizes []int
}{
	{"whole", nil},
	{"octets", []int{1}},
	{"uneven", []int{3, 1, 7, 2, 64, 5}},
}

func TestDecoderGolden(t *testing.T) {
	for _, g := range frameVectors() {
		for _, c := range feedChunkings {
			t.Run(g.name+"/"+c.name, func(t *testing.T) {
				d := Decoder{RecvACCM: g.enc.ACCM, FCS32: g.enc.FCS32}
				got := decodeChunks(&d, bytes.Join(g.wire, nil), c.sizes)
				if diff := cmp.Diff([][]byte{g.frame}, got); diff != "" {
					t.Errorf("frames (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestRoundTrip encodes random packets under every combination of options
// and decodes them back to back, sharing flags, in several chunkings.
func TestRoundTrip(t *testing.T) {
	r := seededRand(4)
	protos := []Protocol{ProtocolIPv4, ProtocolIPv6, ProtocolIPCP, ProtocolLCP}
	for _, accm := range []uint32{0, 0xffffffff, 0x000a0000} {
		for opts := range 8 {
			e := Encoder{ACCM: accm, ACFC: opts&1 != 0, PFC: opts&2 != 0, FCS32: opts&4 != 0}
			var wire []byte
			var want [][]byte
			for i, n := range []int{1, 2, 3, 40, 1500, 0x7e, 1} {
				proto := protos[i%len(protos)]
				info := randomOctets(r, n)
				frame := e.AppendFrame(nil, proto, info)
				if len(wire) > 0 {
					frame = frame[1:] // share the flag
				}
				wire = append(wire, frame...)
				want = append(want, expectedFrame(e, proto, info))
			}
			for _, c := range feedChunkings {
				name := fmt.Sprintf("accm=%08x/acfc=%v/pfc=%v/fcs32=%v/%s", accm, e.ACFC, e.PFC, e.FCS32, c.name)
				t.Run(name, func(t *testing.T) {
					d := Decoder{RecvACCM: accm, FCS32: e.FCS32}
					got := decodeChunks(&d, wire, c.sizes)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("frames (-want +got):\n%s", diff)
					}
					wantStats := decoderCounts{Frames: uint64(len(want)), Octets: uint64(len(bytes.Join(want, nil)))}
					if diff := cmp.Diff(wantStats, statsOf(&d.Stats)); diff != "" {
						t.Errorf("stats (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

// expectedFrame is the frame a Decoder should emit for a packet e sends,
// built from the rules of RFC 1661 §6.5, §6.6 directly.
func expectedFrame(e Encoder, proto Protocol, info []byte) []byte {
	var hdr []byte
	if !e.ACFC || proto == ProtocolLCP {
		hdr = append(hdr, 0xff, 0x03)
	}
	if e.PFC && proto < 0xff {
		hdr = append(hdr, byte(proto))
	} else {
		hdr = append(hdr, byte(proto>>8), byte(proto))
	}
	return slices.Concat(hdr, info)
}

// wireOf builds wire octets from frames and raw pieces.
func wireOf(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// ipv4Frame returns the frame and the wire octets of a small IPv4 packet,
// with both flags.
func ipv4Frame(payload ...byte) (frame, wire []byte) {
	var e Encoder
	return expectedFrame(e, ProtocolIPv4, payload), e.AppendFrame(nil, ProtocolIPv4, payload)
}

func TestDecoderErrors(t *testing.T) {
	good, goodWire := ipv4Frame(0x45, 0x00, 0x7e, 0x7d, 0x10)
	badFCS := slices.Clone(goodWire)
	badFCS[len(badFCS)-2] ^= 0x01
	_, longWire := ipv4Frame(make([]byte, 20)...)
	_, exactWire := ipv4Frame(make([]byte, 6)...) // 4-octet header + 6 = 10
	exact := expectedFrame(Encoder{}, ProtocolIPv4, make([]byte, 6))
	// XON and XOFF inserted by the line, one of them between a
	// Control Escape and the octet it escapes.
	noisy := wireOf(goodWire[:3], []byte{0x11}, goodWire[3:8], []byte{0x13}, goodWire[8:])
	escAt := bytes.IndexByte(goodWire[1:], 0x7d) + 1
	noisyEsc := wireOf(goodWire[:escAt+1], []byte{0x13, 0x11}, goodWire[escAt+1:])

	tests := []struct {
		name       string
		maxFrame   int
		recvACCM   uint32
		wire       []byte
		want       [][]byte
		wantCounts decoderCounts
	}{{
		name:       "bad FCS then good frame",
		wire:       wireOf(badFCS, goodWire[1:]),
		want:       [][]byte{good},
		wantCounts: decoderCounts{Frames: 1, Octets: uint64(len(good)), FCSErrors: 1},
	}, {
		name:       "abort then good frame",
		wire:       wireOf(goodWire[:6], []byte{0x7d, 0x7e}, goodWire[1:]),
		want:       [][]byte{good},
		wantCounts: decoderCounts{Frames: 1, Octets: uint64(len(good)), Aborts: 1},
	}, {
		name:       "abort of an empty frame",
		wire:       []byte{0x7e, 0x7d, 0x7e},
		wantCounts: decoderCounts{Aborts: 1},
	}, {
		name:       "too long then resync",
		maxFrame:   10,
		wire:       wireOf(longWire, goodWire[1:]),
		want:       [][]byte{good},
		wantCounts: decoderCounts{Frames: 1, Octets: uint64(len(good)), TooLong: 1},
	}, {
		name:       "exactly MaxFrame",
		maxFrame:   10,
		wire:       exactWire,
		want:       [][]byte{exact},
		wantCounts: decoderCounts{Frames: 1, Octets: 10},
	}, {
		name:       "too long ended by abort",
		maxFrame:   10,
		wire:       wireOf(longWire[:len(longWire)-1], []byte{0x7d, 0x7e}, goodWire[1:]),
		want:       [][]byte{good},
		wantCounts: decoderCounts{Frames: 1, Octets: uint64(len(good)), TooLong: 1},
	}, {
		name:       "garbage before the first flag",
		wire:       wireOf([]byte("AT\r\nCONNECT\r\n"), goodWire),
		want:       [][]byte{good},
		wantCounts: decoderCounts{Frames: 1, Octets: uint64(len(good)), Garbage: 13},
	}, {
		name:       "garbage only",
		wire:       []byte("NO CARRIER\r\n"),
		wantCounts: decoderCounts{Garbage: 12},
	}, {
		name:       "runts",
		wire:       []byte{0x7e, 0x21, 0x7e, 0x21, 0x01, 0x02, 0x7e, 0x7d, 0x5e, 0x7e},
		wantCounts: decoderCounts{Runts: 3},
	}, {
		name:       "empty frames",
		wire:       wireOf([]byte{0x7e, 0x7e, 0x7e}, goodWire, []byte{0x7e, 0x7e}),
		want:       [][]byte{good},
		wantCounts: decoderCounts{Frames: 1, Octets: uint64(len(good))},
	}, {
		name:       "unfinished frame",
		wire:       goodWire[:len(goodWire)-1],
		wantCounts: decoderCounts{},
	}, {
		name:       "RecvACCM discards inserted characters",
		recvACCM:   0x000a0000,
		wire:       wireOf(noisy, noisyEsc[1:]),
		want:       [][]byte{good, good},
		wantCounts: decoderCounts{Frames: 2, Octets: 2 * uint64(len(good))},
	}, {
		name:       "zero RecvACCM keeps them",
		wire:       noisy,
		wantCounts: decoderCounts{FCSErrors: 1},
	}}
	for _, tt := range tests {
		for _, c := range feedChunkings {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				d := Decoder{MaxFrame: tt.maxFrame, RecvACCM: tt.recvACCM}
				got := decodeChunks(&d, tt.wire, c.sizes)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("frames (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantCounts, statsOf(&d.Stats)); diff != "" {
					t.Errorf("stats (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestDecoderSettingsChange changes MaxFrame and FCS32 between frames.
func TestDecoderSettingsChange(t *testing.T) {
	info := randomOctets(seededRand(5), 3000)
	var d Decoder
	for _, tt := range []struct {
		name     string
		maxFrame int
		fcs32    bool
	}{{"default", 0, false}, {"larger", 4000, true}, {"smaller", 100, false}, {"larger again", 3004, true}} {
		t.Run(tt.name, func(t *testing.T) {
			d.MaxFrame, d.FCS32 = tt.maxFrame, tt.fcs32
			e := Encoder{FCS32: tt.fcs32}
			n := min(len(info), max(tt.maxFrame, defaultMaxFrame)-4)
			got := decodeChunks(&d, e.AppendFrame(nil, ProtocolIPv4, info[:n]), nil)
			want := [][]byte{expectedFrame(e, ProtocolIPv4, info[:n])}
			if tt.maxFrame != 0 && n+4 > tt.maxFrame {
				want = nil
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
		})
	}
}

// decoderFCS holds a Decoder's FCS settings.
type decoderFCS struct{ fcs32, anyFCS bool }

// TestDecoderOtherFCS checks which frames with the FCS that FCS32 does
// not select are taken: LCP always, anything else only under AnyFCS.
func TestDecoderOtherFCS(t *testing.T) {
	fcs16, fcs32 := Encoder{}, Encoder{FCS32: true}
	lcp := []byte{0x09, 0x01, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44} // Echo-Request
	ip := []byte{0x45, 0x00, 0x00, 0x14}
	long := make([]byte, defaultMaxFrame-4+2) // fits only with 2 octets to spare
	tests := []struct {
		name       string
		dec        decoderFCS
		enc        Encoder
		proto      Protocol
		info       []byte
		wantCounts decoderCounts
	}{
		{"FCS-16 link, LCP with FCS-32", decoderFCS{}, fcs32, ProtocolLCP, lcp, decoderCounts{Frames: 1, Octets: 12}},
		{"FCS-32 link, LCP with FCS-16", decoderFCS{fcs32: true}, fcs16, ProtocolLCP, lcp, decoderCounts{Frames: 1, Octets: 12}},
		{"FCS-16 link, IPv4 with FCS-32", decoderFCS{}, fcs32, ProtocolIPv4, ip, decoderCounts{FCSErrors: 1}},
		{"FCS-32 link, IPv4 with FCS-16", decoderFCS{fcs32: true}, fcs16, ProtocolIPv4, ip, decoderCounts{FCSErrors: 1}},
		{"AnyFCS, IPv4 with FCS-16", decoderFCS{anyFCS: true}, fcs16, ProtocolIPv4, ip, decoderCounts{Frames: 1, Octets: 8}},
		{"AnyFCS, IPv4 with FCS-32", decoderFCS{anyFCS: true}, fcs32, ProtocolIPv4, ip, decoderCounts{Frames: 1, Octets: 8}},
		{"AnyFCS and FCS32, IPv4 with FCS-16", decoderFCS{anyFCS: true, fcs32: true}, fcs16, ProtocolIPv4, ip, decoderCounts{Frames: 1, Octets: 8}},
		{"FCS-32 link, LCP with FCS-16 over MaxFrame", decoderFCS{fcs32: true}, fcs16, ProtocolLCP, long, decoderCounts{TooLong: 1}},
		{"AnyFCS, IPv4 with FCS-16 over MaxFrame", decoderFCS{anyFCS: true}, fcs16, ProtocolIPv4, long, decoderCounts{TooLong: 1}},
	}
	for _, tt := range tests {
		for _, c := range feedChunkings {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				d := Decoder{FCS32: tt.dec.fcs32, AnyFCS: tt.dec.anyFCS}
				got := decodeChunks(&d, tt.enc.AppendFrame(nil, tt.proto, tt.info), c.sizes)
				var want [][]byte
				if tt.wantCounts.Frames == 1 {
					want = [][]byte{expectedFrame(tt.enc, tt.proto, tt.info)}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("frames (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantCounts, statsOf(&d.Stats)); diff != "" {
					t.Errorf("stats (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestDecoderReconfigureInEmit changes the options from emit, as a link
// does when LCP opens, with the next frame already in the same chunk.
func TestDecoderReconfigureInEmit(t *testing.T) {
	before := Encoder{ACCM: 0xffffffff}
	after := Encoder{ACFC: true, PFC: true, FCS32: true}
	info := []byte{0x00, 0x11, 0x7e, 0x01}
	first := before.AppendFrame(nil, ProtocolLCP, info)
	second := after.AppendFrame(nil, ProtocolIPv4, info)
	want := [][]byte{expectedFrame(before, ProtocolLCP, info), expectedFrame(after, ProtocolIPv4, info)}
	for _, c := range feedChunkings {
		t.Run(c.name, func(t *testing.T) {
			d := Decoder{RecvACCM: 0xffffffff}
			var got [][]byte
			emit := func(f []byte) {
				got = append(got, slices.Clone(f))
				d.RecvACCM, d.FCS32, d.MaxFrame = 0, true, 8000
			}
			wire := wireOf(first, second[1:])
			for len(wire) > 0 {
				n := len(wire)
				if c.sizes != nil {
					n = min(n, c.sizes[0])
				}
				d.Decode(wire[:n], emit)
				wire = wire[n:]
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecoderAllocs(t *testing.T) {
	info := randomOctets(seededRand(6), 1500)
	for _, accm := range []uint32{0, 0xffffffff} {
		t.Run(fmt.Sprintf("accm=%08x", accm), func(t *testing.T) {
			e := Encoder{ACCM: accm}
			wire := e.AppendFrame(nil, ProtocolIPv4, info)
			d := Decoder{RecvACCM: accm}
			frames := 0
			emit := func([]byte) { frames++ }
			allocs := testing.AllocsPerRun(100, func() {
				d.Decode(wire[:700], emit)
				d.Decode(wire[700:], emit)
			})
			if allocs != 0 {
				t.Errorf("Decode made %v allocations, want 0", allocs)
			}
			if frames != 101 {
				t.Errorf("decoded %d frames, want 101", frames)
			}
		})
	}
}

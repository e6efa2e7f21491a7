package ppp

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzMaps are the ACCMs FuzzDecoder chooses from with bits 1-2 of mode.
var fuzzMaps = [4]uint32{0, 0xffffffff, 0x000a0000, 0x80000001}

// fuzzDecoderMode returns the mode byte of FuzzDecoder for a frameVector.
func fuzzDecoderMode(g frameVector) uint8 {
	var mode uint8
	if g.enc.FCS32 {
		mode |= 1
	}
	for i, m := range fuzzMaps {
		if m == g.enc.ACCM {
			mode |= uint8(i) << 1
		}
	}
	return mode
}

// fuzzDecoder returns the Decoder that mode selects: bit 0 sets FCS32,
// bits 1-2 pick RecvACCM from fuzzMaps, bit 3 sets a small MaxFrame, bit
// 4 sets AnyFCS.
func fuzzDecoder(mode uint8) *Decoder {
	d := &Decoder{FCS32: mode&1 != 0, RecvACCM: fuzzMaps[mode>>1&3], AnyFCS: mode&16 != 0}
	if mode&8 != 0 {
		d.MaxFrame = 64
	}
	return d
}

// FuzzDecoder feeds arbitrary octets to a Decoder, whole and in chunks
// whose sizes come from splits. It must not panic, the chunking must not
// change the result, and every frame emitted must survive encoding and
// decoding again unchanged.
func FuzzDecoder(f *testing.F) {
	for _, g := range frameVectors() {
		wire := bytes.Join(g.wire, nil)
		f.Add(wire, []byte{1}, fuzzDecoderMode(g))
		f.Add(append([]byte("CONNECT\r\n"), bytes.Repeat(wire, 2)...), []byte{5, 0, 63}, fuzzDecoderMode(g)|8)
	}
	f.Add([]byte{0x7e, 0x21, 0x7d, 0x7e, 0x7e, 0x7d}, []byte{}, uint8(0))
	// LCP and IPv4 with the 16-bit FCS on a link expecting the 32-bit one,
	// then with the 32-bit one: a renegotiation seen from each side.
	var fcs16, fcs32 Encoder
	fcs16.ACCM, fcs32.ACCM, fcs32.FCS32 = 0xffffffff, 0xffffffff, true
	echo := []byte{0x09, 0x01, 0x00, 0x08, 0x11, 0x22, 0x33, 0x44}
	renegotiation := fcs16.AppendFrame(nil, ProtocolLCP, echo)
	renegotiation = fcs16.AppendFrame(renegotiation, ProtocolIPv4, echo)
	renegotiation = fcs32.AppendFrame(renegotiation, ProtocolLCP, echo)
	renegotiation = fcs32.AppendFrame(renegotiation, ProtocolIPv4, echo)
	for _, mode := range []uint8{0, 1, 16, 17} {
		f.Add(renegotiation, []byte{9}, mode|2)
	}
	f.Fuzz(func(t *testing.T, data, splits []byte, mode uint8) {
		checkDecoder(t, data, splits, mode)
	})
}

func checkDecoder(t *testing.T, data, splits []byte, mode uint8) {
	d := fuzzDecoder(mode)
	want := decodeChunks(d, data, nil)
	wantCounts := statsOf(&d.Stats)

	sizes := make([]int, len(splits))
	for i, s := range splits {
		sizes[i] = 1 + int(s)%64
	}
	d = fuzzDecoder(mode)
	got := decodeChunks(d, data, sizes)
	if !framesEqual(want, got) {
		t.Fatalf("chunked frames (-whole +chunked):\n%s", cmp.Diff(want, got))
	}
	if gotCounts := statsOf(&d.Stats); gotCounts != wantCounts {
		t.Fatalf("chunked stats (-whole +chunked):\n%s", cmp.Diff(wantCounts, gotCounts))
	}
	if n := uint64(len(got)); wantCounts.Frames != n || wantCounts.Octets != uint64(len(bytes.Join(got, nil))) {
		t.Fatalf("stats %+v for %d frames", wantCounts, n)
	}
	for _, frame := range got {
		e := Encoder{ACCM: d.RecvACCM, FCS32: d.FCS32}
		again := decodeChunks(fuzzDecoder(mode), e.appendFrame(nil, nil, frame), nil)
		if !framesEqual([][]byte{frame}, again) {
			t.Fatalf("re-encoded frame (-want +got):\n%s", cmp.Diff([][]byte{frame}, again))
		}
	}
}

// framesEqual compares frames without the reflection of cmp, which the
// fuzz targets would otherwise spend most of their time in; cmp.Diff only
// explains a difference.
func framesEqual(a, b [][]byte) bool {
	return slices.EqualFunc(a, b, bytes.Equal)
}

// FuzzParseFrame checks that ParseFrame never panics, fails only with its
// documented errors, and that a parsed header rebuilt in the same form
// gives back the frame octet for octet.
func FuzzParseFrame(f *testing.F) {
	for _, g := range frameVectors() {
		f.Add(g.frame)
	}
	for _, b := range [][]byte{{}, {0xff}, {0xff, 0x03}, {0xff, 0x05, 0x21}, {0x00, 0x21}, {0x01, 0x21}, {0xc0}} {
		f.Add(b)
	}
	f.Fuzz(checkParseFrame)
}

func checkParseFrame(t *testing.T, frame []byte) {
	proto, info, err := ParseFrame(frame)
	if err != nil {
		if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrBadProtocol) {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if !proto.Valid() {
		t.Fatalf("invalid protocol %#04x accepted", uint16(proto))
	}
	hdrLen := len(frame) - len(info)
	acfc := frame[0] != allStations
	pfc := hdrLen == 1 || hdrLen == 3
	rebuilt := append(appendHeader(nil, proto, acfc, pfc), info...)
	// A compressed 0x00ff is accepted but never sent: appendHeader
	// keeps it two octets long.
	if !bytes.Equal(frame, rebuilt) && !(pfc && proto == 0x00ff) {
		t.Fatalf("rebuilt frame (-want +got):\n%s", cmp.Diff(frame, rebuilt))
	}
	proto2, info2, err := ParseFrame(rebuilt)
	if err != nil || proto2 != proto || !bytes.Equal(info2, info) {
		t.Fatalf("reparsed %v %x %v, want %v %x", proto2, info2, err, proto, info)
	}
}

// FuzzRoundTrip encodes a packet with options from the fuzzer and checks
// that it decodes and parses back to the same protocol and information.
func FuzzRoundTrip(f *testing.F) {
	for _, g := range frameVectors() {
		var flags uint8
		for i, on := range []bool{g.enc.ACFC, g.enc.PFC, g.enc.FCS32} {
			if on {
				flags |= 1 << i
			}
		}
		f.Add(g.info, uint16(g.proto), flags, g.enc.ACCM)
	}
	f.Add([]byte{}, uint16(ProtocolIPv4), uint8(3), uint32(0))
	f.Add(bytes.Repeat([]byte{0x7e, 0x7d, 0x00, 0x11}, 8), uint16(0x7d7d), uint8(0xff), uint32(0xffffffff))
	f.Fuzz(checkRoundTrip)
}

func checkRoundTrip(t *testing.T, info []byte, proto uint16, flags uint8, accm uint32) {
	e := Encoder{ACCM: accm, ACFC: flags&1 != 0, PFC: flags&2 != 0, FCS32: flags&4 != 0}
	p := Protocol(proto)&^0x0100 | 1
	wire := e.AppendFrame(nil, p, info)
	if max := MaxEncodedLen(len(info)); len(wire) > max {
		t.Fatalf("frame of %d octets, MaxEncodedLen %d", len(wire), max)
	}
	d := Decoder{RecvACCM: accm, FCS32: e.FCS32, MaxFrame: len(info) + 4}
	got := decodeChunks(&d, wire, []int{1 + int(flags>>3)})
	want := expectedFrame(e, p, info)
	if len(want) < 2 { // a one-octet protocol and nothing else
		if len(got) != 0 || d.Stats.Runts.Load() != 1 {
			t.Fatalf("frame %x: got %x, %d runts, want a runt", want, got, d.Stats.Runts.Load())
		}
		return
	}
	if !framesEqual([][]byte{want}, got) {
		t.Fatalf("frames (-want +got):\n%s", cmp.Diff([][]byte{want}, got))
	}
	gotProto, gotInfo, err := ParseFrame(got[0])
	if err != nil || gotProto != p || !bytes.Equal(gotInfo, info) {
		t.Fatalf("ParseFrame = %v %x %v, want %v %x", gotProto, gotInfo, err, p, info)
	}
}

// TestFuzzProperties runs the fuzz checks on hand-picked inputs that sit
// on the edges of the decoder's states.
func TestFuzzProperties(t *testing.T) {
	decoderTests := []struct {
		name   string
		data   []byte
		splits []byte
		mode   uint8
	}{
		{"escaped escape", []byte{0x7e, 0xff, 0x7d, 0x7d, 0x41, 0x00, 0x00, 0x7e}, []byte{2}, 0},
		{"escape at chunk end", []byte{0x7e, 0x21, 0x7d, 0x5e, 0x7d, 0x5d, 0x7e}, []byte{2, 1}, 0},
		{"inserted after escape", []byte{0x7e, 0x21, 0x7d, 0x13, 0x5e, 0x7e}, []byte{2, 0}, 4},
		{"inserted before flag", []byte{0x7e, 0x21, 0x01, 0x7e, 0x00, 0x7e}, []byte{0}, 2},
		{"escape then flag at chunk start", []byte{0x7e, 0x21, 0x45, 0x7d, 0x7e, 0x21}, []byte{3, 0}, 1},
		{"too long across chunks", bytes.Repeat([]byte{0x7e, 0x21, 0x7d, 0x20}, 40), []byte{63, 5}, 8},
	}
	for _, tt := range decoderTests {
		t.Run("decoder/"+tt.name, func(t *testing.T) { checkDecoder(t, tt.data, tt.splits, tt.mode) })
	}
	parseTests := []struct {
		name  string
		frame []byte
	}{
		{"address only", []byte{0xff}},
		{"compressed protocol 0xff", []byte{0xff, 0x03, 0xff, 0x00}},
		{"uncompressed low protocol", []byte{0x00, 0x21}},
	}
	for _, tt := range parseTests {
		t.Run("parse/"+tt.name, func(t *testing.T) { checkParseFrame(t, tt.frame) })
	}
	roundTripTests := []struct {
		name  string
		info  []byte
		proto uint16
		flags uint8
		accm  uint32
	}{
		{"runt", nil, 0x21, 3, 0},
		{"one octet", []byte{0x7e}, 0x21, 3, 0},
		{"all specials", []byte{0x7e, 0x7d, 0x00, 0x1f, 0x20}, 0x7d7d, 0xff, 0xffffffff},
		{"LCP under ACFC", []byte{0x09}, 0xc021, 1, 0},
	}
	for _, tt := range roundTripTests {
		t.Run("roundtrip/"+tt.name, func(t *testing.T) { checkRoundTrip(t, tt.info, tt.proto, tt.flags, tt.accm) })
	}
}

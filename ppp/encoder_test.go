package ppp

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncoderGolden(t *testing.T) {
	for _, g := range frameVectors() {
		t.Run(g.name, func(t *testing.T) {
			got := g.enc.AppendFrame(nil, g.proto, g.info)
			if diff := cmp.Diff(g.wire, chunkLike(got, g.wire)); diff != "" {
				t.Errorf("AppendFrame (-want +got):\n%s", diff)
			}
		})
	}
}

// chunkLike splits got into chunks of the same sizes as want, so that a
// diff points at the field that differs. Leftover octets form a last chunk.
func chunkLike(got []byte, want [][]byte) [][]byte {
	var out [][]byte
	for _, w := range want {
		n := min(len(w), len(got))
		out = append(out, got[:n])
		got = got[n:]
	}
	if len(got) > 0 {
		out = append(out, got)
	}
	return out
}

func TestEncoderHeader(t *testing.T) {
	tests := []struct {
		name  string
		enc   Encoder
		proto Protocol
		want  []byte // frame contents without FCS
	}{
		{"default IPv4", Encoder{}, ProtocolIPv4, []byte{0xff, 0x03, 0x00, 0x21}},
		{"PFC IPv4", Encoder{PFC: true}, ProtocolIPv4, []byte{0xff, 0x03, 0x21}},
		{"ACFC IPv4", Encoder{ACFC: true}, ProtocolIPv4, []byte{0x00, 0x21}},
		{"ACFC PFC IPv4", Encoder{ACFC: true, PFC: true}, ProtocolIPv4, []byte{0x21}},
		{"PFC IPCP not compressible", Encoder{PFC: true}, ProtocolIPCP, []byte{0xff, 0x03, 0x80, 0x21}},
		{"ACFC IPCP", Encoder{ACFC: true, PFC: true}, ProtocolIPCP, []byte{0x80, 0x21}},
		{"ACFC LCP keeps address", Encoder{ACFC: true, PFC: true}, ProtocolLCP, []byte{0xff, 0x03, 0xc0, 0x21}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wire := tt.enc.AppendFrame(nil, tt.proto, nil)
			want := refEscape(slices.Concat(tt.want, refFCSOctets(tt.want, false)), 0)
			if diff := cmp.Diff(want, wire); diff != "" {
				t.Errorf("AppendFrame (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEncoderTransparency sends every octet value under several maps and
// compares with the reference escaping of RFC 1662 §4.2.
func TestEncoderTransparency(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, accm := range []uint32{0, 0xffffffff, 0x000a0000, 0x80000001, 0x00000001} {
		for _, fcs32 := range []bool{false, true} {
			t.Run(fmt.Sprintf("accm=%08x/fcs32=%v", accm, fcs32), func(t *testing.T) {
				e := Encoder{ACCM: accm, FCS32: fcs32}
				got := e.AppendFrame(nil, ProtocolIPv4, all)
				frame := slices.Concat([]byte{0xff, 0x03, 0x00, 0x21}, all)
				want := refEscape(slices.Concat(frame, refFCSOctets(frame, fcs32)), accm)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("AppendFrame (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestEncoderACCMChange checks that the cached escape table follows a
// change of ACCM on the same Encoder.
func TestEncoderACCMChange(t *testing.T) {
	info := []byte{0x00, 0x01, 0x11, 0x13, 0x1f, 0x20, 0x7d, 0x7e, 0xff}
	var e Encoder
	for _, accm := range []uint32{0xffffffff, 0x000a0000, 0, 0x80000000, 0xffffffff} {
		t.Run(fmt.Sprintf("accm=%08x", accm), func(t *testing.T) {
			e.ACCM = accm
			fresh := Encoder{ACCM: accm}
			want := fresh.AppendFrame(nil, ProtocolIPv4, info)
			if diff := cmp.Diff(want, e.AppendFrame(nil, ProtocolIPv4, info)); diff != "" {
				t.Errorf("AppendFrame (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncoderAppends(t *testing.T) {
	var e Encoder
	prefix := []byte("prefix")
	got := e.AppendFrame(slices.Clone(prefix), ProtocolIPv4, []byte{1, 2, 3})
	want := slices.Concat(prefix, e.AppendFrame(nil, ProtocolIPv4, []byte{1, 2, 3}))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppendFrame (-want +got):\n%s", diff)
	}
}

func TestMaxEncodedLen(t *testing.T) {
	worst := bytes.Repeat([]byte{0x7e}, 100)
	for _, e := range []Encoder{{}, {ACCM: 0xffffffff, FCS32: true}, {ACFC: true, PFC: true}} {
		got := len(e.AppendFrame(nil, 0x7d7d&^0x0100|1, worst))
		if max := MaxEncodedLen(len(worst)); got > max {
			t.Errorf("%+v: frame of %d octets, MaxEncodedLen %d", e, got, max)
		}
	}
	if diff := cmp.Diff(2+2*(4+100+4), MaxEncodedLen(100)); diff != "" {
		t.Errorf("MaxEncodedLen(100) (-want +got):\n%s", diff)
	}
}

func TestEncoderAllocs(t *testing.T) {
	info := randomOctets(seededRand(3), 1500)
	for _, accm := range []uint32{0, 0xffffffff} {
		t.Run(fmt.Sprintf("accm=%08x", accm), func(t *testing.T) {
			e := Encoder{ACCM: accm}
			dst := make([]byte, 0, MaxEncodedLen(len(info)))
			allocs := testing.AllocsPerRun(100, func() {
				dst = e.AppendFrame(dst[:0], ProtocolIPv4, info)
			})
			if allocs != 0 {
				t.Errorf("AppendFrame made %v allocations, want 0", allocs)
			}
		})
	}
}

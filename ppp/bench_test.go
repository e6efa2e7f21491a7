package ppp

import (
	"fmt"
	"testing"
)

// benchMaps are the ACCMs benchmarked: the usual negotiated map and the
// LCP default, which escapes every control character.
var benchMaps = []uint32{0, 0xffffffff}

func BenchmarkEncode(b *testing.B) {
	info := randomOctets(seededRand(10), 1500)
	for _, accm := range benchMaps {
		b.Run(fmt.Sprintf("accm=%x", accm), func(b *testing.B) {
			e := Encoder{ACCM: accm, ACFC: true, PFC: true}
			dst := make([]byte, 0, MaxEncodedLen(len(info)))
			b.SetBytes(int64(len(info)))
			b.ReportAllocs()
			for b.Loop() {
				dst = e.AppendFrame(dst[:0], ProtocolIPv4, info)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	info := randomOctets(seededRand(11), 1500)
	for _, accm := range benchMaps {
		b.Run(fmt.Sprintf("accm=%x", accm), func(b *testing.B) {
			e := Encoder{ACCM: accm, ACFC: true, PFC: true}
			wire := e.AppendFrame(nil, ProtocolIPv4, info)
			d := Decoder{RecvACCM: accm}
			frames := 0
			emit := func([]byte) { frames++ }
			b.SetBytes(int64(len(info)))
			b.ReportAllocs()
			for b.Loop() {
				d.Decode(wire, emit)
			}
			if frames == 0 || d.Stats.FCSErrors.Load() != 0 {
				b.Fatalf("decoded %d frames, %d FCS errors", frames, d.Stats.FCSErrors.Load())
			}
		})
	}
}

func BenchmarkFCS(b *testing.B) {
	data := randomOctets(seededRand(12), 1500)
	b.Run("FCS16", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			FCS16(FCS16Init, data)
		}
	})
	b.Run("FCS32", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			FCS32(FCS32Init, data)
		}
	})
}

package cmux

import (
	"bytes"
	"testing"
)

// FuzzParseFrame checks that any octets between flags either fail to
// parse or parse into a frame that marshals back to the same octets and
// parses again to the same frame; the stream Decoder must agree.
func FuzzParseFrame(f *testing.F) {
	for _, v := range frameVectors {
		w := unhex(f, v.wire)
		f.Add(w[1 : len(w)-1])
	}
	long := Frame{DLCI: 2, CR: true, Type: UIH, Info: bytes.Repeat([]byte{0x7e}, 200)}.Append(nil)
	f.Add(long[1 : len(long)-1])
	f.Add([]byte{0x03, 0x3f, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := ParseFrame(b)
		var d Decoder
		var got []Frame
		d.Decode(append(append([]byte{Flag}, b...), Flag), func(g Frame) {
			g.Info = append([]byte(nil), g.Info...)
			got = append(got, g)
		})
		if err != nil {
			return
		}
		// A length in two octets that fits in one parses too and is
		// sent in one, so compare frames, not octets.
		wire := fr.Append(nil)
		if canonical := b[2]&1 != 0 || len(fr.Info) > 0x7f; canonical && !bytes.Equal(wire[1:len(wire)-1], b) {
			t.Fatalf("% x parsed to %v, marshals to % x", b, fr, wire)
		}
		again, err := ParseFrame(wire[1 : len(wire)-1])
		if err != nil || again.String() != fr.String() || !bytes.Equal(again.Info, fr.Info) {
			t.Fatalf("reparse %v, %v", again, err)
		}
		// The Decoder sees the same frame, unless a flag inside it (the
		// basic option does not escape them) cut it short.
		if !bytes.Contains(b, []byte{Flag}) && (len(got) != 1 || got[0].String() != fr.String() || !bytes.Equal(got[0].Info, fr.Info)) {
			t.Fatalf("decoder found %v, ParseFrame %v", got, fr)
		}
	})
}

// FuzzDecoder feeds arbitrary octets to the Decoder in two pieces: it
// never panics, delivers only frames whose FCS checks and that fit
// MaxInfo, and counts every frame it delivers.
func FuzzDecoder(f *testing.F) {
	var stream []byte
	for _, v := range frameVectors {
		stream = append(stream, unhex(f, v.wire)...)
	}
	f.Add(stream, 7)
	f.Add([]byte{0xf9, 0xf9, 0x0b, 0xef, 0x41, 0x00, 0xf9}, 3)
	f.Fuzz(func(t *testing.T, b []byte, cut int) {
		d := Decoder{MaxInfo: 31}
		n := 0
		check := func(fr Frame) {
			n++
			if len(fr.Info) > 31 {
				t.Fatalf("frame of %d octets over MaxInfo", len(fr.Info))
			}
			w := fr.Append(nil)
			if _, err := ParseFrame(w[1 : len(w)-1]); err != nil {
				t.Fatalf("delivered %v does not parse: %v", fr, err)
			}
		}
		if cut < 0 || cut > len(b) {
			cut = len(b) / 2
		}
		d.Decode(b[:cut], check)
		d.Decode(b[cut:], check)
		if s := d.Stats(); s.Frames != uint64(n) {
			t.Fatalf("counted %d frames, delivered %d", s.Frames, n)
		}
	})
}

// FuzzParseMessage checks the control message parser, and the MSC and
// PN value parsers, on the messages of a UIH frame on DLCI 0.
func FuzzParseMessage(f *testing.F) {
	for _, v := range frameVectors {
		var fr Frame
		if err := fr.UnmarshalBinary(unhex(f, v.wire)); err == nil && fr.Type == UIH {
			f.Add(fr.Info)
		}
	}
	f.Add(Message{Type: MsgPN, Command: true, Value: PN{DLCI: 2, Priority: 7, T1: 10, N1: 127, N2: 3}.Append(nil)}.Append(nil))
	f.Add(Message{Type: MsgNSC, Value: []byte{0x93}}.Append(nil))
	f.Add([]byte{0x23, 0x00, 0x01, 0x61})
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			m, rest, err := ParseMessage(b)
			if err != nil {
				return
			}
			if len(rest) >= len(b) {
				t.Fatal("no progress")
			}
			b = rest
			again, _, err := ParseMessage(m.Append(nil))
			if err != nil || again.String() != m.String() {
				t.Fatalf("%v round-trips to %v, %v", m, again, err)
			}
			if msc, err := ParseMSC(m.Value); err == nil {
				if got, err := ParseMSC(msc.Append(nil)); err != nil || got.DLCI != msc.DLCI || got.Signals != msc.Signals {
					t.Fatalf("MSC %+v round-trips to %+v, %v", msc, got, err)
				}
			}
			if pn, err := ParsePN(m.Value); err == nil {
				if got, err := ParsePN(pn.Append(nil)); err != nil || got != pn {
					t.Fatalf("PN %+v round-trips to %+v, %v", pn, got, err)
				}
			}
		}
	})
}

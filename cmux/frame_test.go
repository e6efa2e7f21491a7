package cmux

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// unhex turns "f9 03 3f" into bytes.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// frameVectors are frames with real FCS values: the SABM, UA, DM and DISC
// of DLCIs 0 to 2 match modem traces (esp-protocols issues #103, #140,
// #669), the BG96 MSC is from one, the rest are computed.
var frameVectors = []struct {
	name  string
	frame Frame
	wire  string
}{
	{"SABM 0", Frame{DLCI: 0, CR: true, Type: SABM, PF: true}, "f9 03 3f 01 1c f9"},
	{"UA 0", Frame{DLCI: 0, CR: true, Type: UA, PF: true}, "f9 03 73 01 d7 f9"},
	{"DM 0", Frame{DLCI: 0, CR: true, Type: DM, PF: true}, "f9 03 1f 01 36 f9"},
	{"DISC 0", Frame{DLCI: 0, CR: true, Type: DISC, PF: true}, "f9 03 53 01 fd f9"},
	{"SABM 1", Frame{DLCI: 1, CR: true, Type: SABM, PF: true}, "f9 07 3f 01 de f9"},
	{"UA 1", Frame{DLCI: 1, CR: true, Type: UA, PF: true}, "f9 07 73 01 15 f9"},
	{"DM 1", Frame{DLCI: 1, CR: true, Type: DM, PF: true}, "f9 07 1f 01 f4 f9"},
	{"DISC 1", Frame{DLCI: 1, CR: true, Type: DISC, PF: true}, "f9 07 53 01 3f f9"},
	{"SABM 2", Frame{DLCI: 2, CR: true, Type: SABM, PF: true}, "f9 0b 3f 01 59 f9"},
	{"UA 2", Frame{DLCI: 2, CR: true, Type: UA, PF: true}, "f9 0b 73 01 92 f9"},
	{"DM 2", Frame{DLCI: 2, CR: true, Type: DM, PF: true}, "f9 0b 1f 01 73 f9"},
	{"DISC 2", Frame{DLCI: 2, CR: true, Type: DISC, PF: true}, "f9 0b 53 01 b8 f9"},
	{"CLD command", Frame{DLCI: 0, CR: true, Type: UIH, Info: []byte{0xc3, 0x01}}, "f9 03 ef 05 c3 01 f2 f9"},
	{"MSC DLCI 2 RTC RTR DV", Frame{DLCI: 0, CR: true, Type: UIH, Info: []byte{0xe3, 0x05, 0x0b, 0x8d}}, "f9 03 ef 09 e3 05 0b 8d fb f9"},
	{"Test abc", Frame{DLCI: 0, CR: true, Type: UIH, Info: []byte{0x23, 0x07, 'a', 'b', 'c'}}, "f9 03 ef 0b 23 07 61 62 63 18 f9"},
	{"BG96 MSC", Frame{DLCI: 0, CR: false, Type: UIH, Info: []byte{0xe3, 0x05, 0x07, 0x0d}}, "f9 01 ef 09 e3 05 07 0d 9a f9"},
}

func TestFrameVectors(t *testing.T) {
	for _, v := range frameVectors {
		t.Run(v.name, func(t *testing.T) {
			wire := unhex(t, v.wire)
			got, err := v.frame.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, wire) {
				t.Errorf("marshal: % x, want % x", got, wire)
			}
			var f Frame
			if err := f.UnmarshalBinary(wire); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(v.frame, f, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
				t.Errorf("unmarshal (-want +got):\n%s", diff)
			}
		})
	}
}

// The control messages inside the vectors.
func TestMessageVectors(t *testing.T) {
	tests := []struct {
		name string
		wire [][]byte // type, length, value
		msg  Message
	}{
		{"CLD", [][]byte{{0xc3}, {0x01}}, Message{Type: MsgCLD, Command: true}},
		{"MSC", [][]byte{{0xe3}, {0x05}, {0x0b, 0x8d}}, Message{Type: MsgMSC, Command: true, Value: []byte{0x0b, 0x8d}}},
		{"Test", [][]byte{{0x23}, {0x07}, []byte("abc")}, Message{Type: MsgTest, Command: true, Value: []byte("abc")}},
		{"NSC for RPN", [][]byte{{0x11}, {0x03}, {0x93}}, Message{Type: MsgNSC, Value: []byte{0x93}}},
		{"PN response", [][]byte{{0x81}, {0x11}, {0x02, 0x00, 0x07, 0x0a, 0x7f, 0x00, 0x03, 0x00}},
			Message{Type: MsgPN, Value: []byte{0x02, 0x00, 0x07, 0x0a, 0x7f, 0x00, 0x03, 0x00}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wire := bytes.Join(tt.wire, nil)
			if got := tt.msg.Append(nil); !bytes.Equal(got, wire) {
				t.Errorf("append: % x, want % x", got, wire)
			}
			got, rest, err := ParseMessage(wire)
			if err != nil || len(rest) != 0 {
				t.Fatalf("parse: %v, rest % x", err, rest)
			}
			if diff := cmp.Diff(tt.msg, got, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
				t.Errorf("parse (-want +got):\n%s", diff)
			}
		})
	}
	msc, err := ParseMSC([]byte{0x0b, 0x8d})
	if err != nil || msc.DLCI != 2 || msc.Signals != RTC|RTR|DV {
		t.Errorf("ParseMSC = %+v, %v", msc, err)
	}
	if got := (MSC{DLCI: 2, Signals: RTC | RTR | DV}).Append(nil); !bytes.Equal(got, []byte{0x0b, 0x8d}) {
		t.Errorf("MSC append % x", got)
	}
	pn := PN{DLCI: 2, Priority: 7, T1: 10, N1: 127, N2: 3}
	if got, err := ParsePN(pn.Append(nil)); err != nil || got != pn {
		t.Errorf("PN round trip %+v, %v", got, err)
	}
}

func TestLengthTwoOctets(t *testing.T) {
	info := bytes.Repeat([]byte{0x55}, 200)
	b := Frame{DLCI: 2, CR: true, Type: UIH, Info: info}.Append(nil)
	if want := unhex(t, "f9 0b ef 90 01"); !bytes.Equal(b[:5], want) {
		t.Errorf("200-octet UIH starts % x, want % x", b[:5], want)
	}
	f, err := ParseFrame(b[1 : len(b)-1])
	if err != nil || !bytes.Equal(f.Info, info) {
		t.Fatalf("parse: %v", err)
	}
	// Found by FuzzParseFrame: a short length sent in two octets is
	// taken (and sent back in one).
	f, err = ParseFrame(unhex(t, "03 ef 00 00 7f"))
	if err != nil || len(f.Info) != 0 || f.Type != UIH {
		t.Fatalf("two-octet length 0: %v, %v", f, err)
	}
	max := Frame{DLCI: 63, Type: UI, Info: make([]byte, MaxN1)}.Append(nil)
	if f, err := ParseFrame(max[1 : len(max)-1]); err != nil || len(f.Info) != MaxN1 || f.DLCI != 63 {
		t.Fatalf("parse MaxN1 UI: %v", err)
	}
}

func TestParseFrameErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"short", "03 3f 01", io.ErrUnexpectedEOF},
		{"bad fcs", "03 3f 01 1d", errFCS},
		{"no EA", "02 3f 01 1c", errAddress},
		{"truncated info", "03 ef 07 c3", io.ErrUnexpectedEOF},
		{"trailing", "03 3f 01 1c 00", errLength},
		{"short two-octet length", "03 ef 00 01", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseFrame(unhex(t, tt.in)); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
}

// decodeAll runs the decoder over b and returns the frames, copied.
func decodeAll(d *Decoder, b []byte) []Frame {
	var out []Frame
	d.Decode(b, func(f Frame) {
		f.Info = append([]byte{}, f.Info...)
		out = append(out, f)
	})
	return out
}

func TestDecoder(t *testing.T) {
	sabm := "f9 03 3f 01 1c f9"
	ua1 := "f9 07 73 01 15 f9"
	tests := []struct {
		name  string
		in    string
		types []FrameType
		stats DecoderStats
	}{
		{"one", sabm, []FrameType{SABM}, DecoderStats{Frames: 1}},
		{"two", sabm + ua1, []FrameType{SABM, UA}, DecoderStats{Frames: 2}},
		{"shared flag", "f9 03 3f 01 1c f9 07 73 01 15 f9", []FrameType{SABM, UA}, DecoderStats{Frames: 2}},
		{"flag burst", "f9 f9 f9 f9" + sabm + "f9 f9", []FrameType{SABM}, DecoderStats{Frames: 1}},
		{"noise first", "41 54 0d" + sabm, []FrameType{SABM}, DecoderStats{Frames: 1, Noise: 3}},
		{"bad fcs then good", "f9 03 3f 01 1d f9" + ua1, []FrameType{UA}, DecoderStats{Frames: 1, BadFCS: 1}},
		{"too long", "f9 0b ef 41" + sabm, []FrameType{SABM}, DecoderStats{Frames: 1, TooLong: 1}},
		{"no closing flag", "f9 03 3f 01 1c 00" + ua1, []FrameType{UA}, DecoderStats{Frames: 1, BadFrame: 1, Noise: 0}},
		{"no EA", "f9 02 3f 01 1c f9" + ua1, []FrameType{UA}, DecoderStats{Frames: 1, BadFrame: 1, Noise: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := unhex(t, tt.in)
			// Whole, and one octet at a time: the same result.
			for _, step := range []int{len(in), 1} {
				d := Decoder{MaxInfo: 31}
				var got []FrameType
				for i := 0; i < len(in); i += step {
					for _, f := range decodeAll(&d, in[i:min(i+step, len(in))]) {
						got = append(got, f.Type)
					}
				}
				if diff := cmp.Diff(tt.types, got); diff != "" {
					t.Errorf("step %d frames (-want +got):\n%s", step, diff)
				}
				if diff := cmp.Diff(tt.stats, d.Stats()); diff != "" {
					t.Errorf("step %d stats (-want +got):\n%s", step, diff)
				}
			}
		})
	}
}

// Frames of every size round-trip through Append and the Decoder.
func TestRoundTrip(t *testing.T) {
	var stream []byte
	var want []Frame
	for n := 0; n < 300; n += 7 {
		info := make([]byte, n)
		for i := range info {
			info[i] = byte(i*7 + n)
		}
		for _, typ := range []FrameType{UIH, UI} {
			f := Frame{DLCI: n % 64, CR: n%2 == 0, Type: typ, PF: n%3 == 0, Info: info}
			want = append(want, f)
			stream = f.Append(stream)
		}
	}
	d := Decoder{MaxInfo: 300}
	got := decodeAll(&d, stream)
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A control message's length is EA coded in every octet (TS 27.010
// §5.4.6.1), so a Test command of more than 127 octets carries a length
// of two octets with seven bits each, not a frame's second octet of
// eight. Found by FuzzParseMessage: a 280-octet value went out as
// "30 02", which reads back as an unterminated length.
func TestMessageLongValue(t *testing.T) {
	value := bytes.Repeat([]byte{'0'}, 280)
	b := Message{Type: MsgTest, Command: true, Value: value}.Append(nil)
	if want := unhex(t, "23 30 05"); !bytes.Equal(b[:3], want) {
		t.Errorf("280-octet Test starts % x, want % x", b[:3], want)
	}
	m, rest, err := ParseMessage(b)
	if err != nil || len(rest) != 0 || !bytes.Equal(m.Value, value) || m.Type != MsgTest || !m.Command {
		t.Fatalf("parse: %v, %d left, %v", m, len(rest), err)
	}
}

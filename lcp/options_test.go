package lcp

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/ppp"
)

func TestOptionsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		opt  Option
		wire [][]byte // type, length, data
	}{
		{"mru", MRU(1500), [][]byte{{1}, {4}, {0x05, 0xdc}}},
		{"asyncmap", ACCM(0x000a0000), [][]byte{{2}, {6}, {0x00, 0x0a, 0x00, 0x00}}},
		{"auth pap", AuthenticationProtocol{Protocol: ppp.ProtocolPAP, Data: []byte{}}, [][]byte{{3}, {4}, {0xc0, 0x23}}},
		{"auth chap md5", AuthenticationProtocol{Protocol: ppp.ProtocolCHAP, Data: []byte{CHAPMD5}}, [][]byte{{3}, {5}, {0xc2, 0x23}, {5}}},
		{"magic", MagicNumber(0xdeadbeef), [][]byte{{5}, {6}, {0xde, 0xad, 0xbe, 0xef}}},
		{"pcomp", PFC{}, [][]byte{{7}, {2}}},
		{"accomp", ACFC{}, [][]byte{{8}, {2}}},
		{"fcs-alternatives 32-bit", FCS32Bit, [][]byte{{9}, {3}, {0x04}}},
		{"fcs-alternatives all", NullFCS | FCS16Bit | FCS32Bit, [][]byte{{9}, {3}, {0x07}}},
		{"fcs-alternatives of bad length (raw)", RawOption{OptionType: TypeFCSAlternatives, Data: []byte{0, 4}},
			[][]byte{{9}, {4}, {0, 4}}},
		{"quality (raw)", RawOption{OptionType: TypeQualityProtocol, Data: []byte{0xc0, 0x25, 0, 0, 0, 10}},
			[][]byte{{4}, {8}, {0xc0, 0x25, 0, 0, 0, 10}}},
		{"mru of bad length (raw)", RawOption{OptionType: TypeMRU, Data: []byte{1}}, [][]byte{{1}, {3}, {1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wire := bytes.Join(tc.wire, nil)
			if diff := cmp.Diff(wire, AppendOptions(nil, tc.opt)); diff != "" {
				t.Errorf("encode (-want +got):\n%s", diff)
			}
			got, err := ParseOptions(wire)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]Option{tc.opt}, got); diff != "" {
				t.Errorf("decode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseOptionsErrors(t *testing.T) {
	for name, b := range map[string][]byte{
		"truncated header": {1},
		"length below 2":   {1, 1},
		"length past end":  {1, 4, 5},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseOptions(b); err == nil {
				t.Error("no error")
			}
		})
	}
}

// A Configure-Request as pppd 2.4.9 sends it with its defaults.
var pppdConfReqOptions = []byte{0x02, 0x06, 0x00, 0x00, 0x00, 0x00, 0x05, 0x06, 0x5b, 0x1e, 0x8a, 0x3c, 0x07, 0x02, 0x08, 0x02}

// A Configure-Request asking for the 32-bit FCS: MRU 1500, magic number,
// PFC, ACFC, FCS-Alternatives 0x4.
var fcs32ConfReqOptions = []byte{0x01, 0x04, 0x05, 0xdc, 0x05, 0x06, 0x5b, 0x1e, 0x8a, 0x3c, 0x07, 0x02, 0x08, 0x02, 0x09, 0x03, 0x04}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{ACCM(0), "asyncmap 0x0"},
		{FCS32Bit, "fcs-alternatives 0x4"},
		{NullFCS | FCS16Bit, "fcs-alternatives 0x3"},
		{RawOption{OptionType: TypeFCSAlternatives, Data: []byte{}}, "fcs-alternatives "},
	} {
		if got := Format(tc.opt); got != tc.want {
			t.Errorf("Format(%#v) = %q, want %q", tc.opt, got, tc.want)
		}
	}
}

func FuzzParseOptions(f *testing.F) {
	f.Add(pppdConfReqOptions)
	f.Add([]byte{0x01, 0x04, 0x02, 0x40, 0x03, 0x05, 0xc2, 0x23, 0x05})
	f.Add([]byte{0x03, 0x04, 0xc0, 0x23, 0x04, 0x08, 0xc0, 0x25, 0, 0, 0, 10})
	f.Add(fcs32ConfReqOptions)
	f.Fuzz(func(t *testing.T, b []byte) {
		opts, err := ParseOptions(b)
		if err != nil {
			return
		}
		wire := AppendOptions(nil, opts...)
		if !bytes.Equal(wire, b) {
			t.Fatalf("re-encoding changed the options:\n%x\n%x", b, wire)
		}
		again, err := ParseOptions(wire)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(opts, again); diff != "" {
			t.Fatalf("parse→marshal→parse (-first +second):\n%s", diff)
		}
		for _, o := range opts {
			_ = Format(o)
		}
	})
}

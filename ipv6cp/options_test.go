package ipv6cp

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOptionsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		opt  Option
		wire [][]byte
	}{
		{"addr", InterfaceIdentifier(2), [][]byte{{1}, {10}, {0, 0, 0, 0, 0, 0, 0, 2}}},
		{"addr random", InterfaceIdentifier(0x0211_22ff_fe33_4455), [][]byte{{1}, {10}, {0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55}}},
		{"compress", IPv6CompressionProtocol{Protocol: 0x004f, Data: []byte{0, 15}}, [][]byte{{2}, {6}, {0x00, 0x4f}, {0, 15}}},
		{"short addr (raw)", RawOption{OptionType: TypeInterfaceIdentifier, Data: []byte{0, 0, 0, 1}}, [][]byte{{1}, {6}, {0, 0, 0, 1}}},
		{"unknown (raw)", RawOption{OptionType: 9, Data: nil}, [][]byte{{9}, {2}}},
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
			if diff := cmp.Diff([]Option{tc.opt}, got, cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
				t.Errorf("decode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInterfaceIdentifierBinary(t *testing.T) {
	id := InterfaceIdentifier(0x1122334455667788)
	b, err := id.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got InterfaceIdentifier
	if err := got.UnmarshalBinary(b); err != nil || got != id {
		t.Fatalf("UnmarshalBinary(%x) = %v, %v", b, got, err)
	}
	if s := id.String(); s != "fe80::1122:3344:5566:7788" {
		t.Errorf("String = %q", s)
	}
	for _, bad := range [][]byte{{1, 6, 0, 0, 0, 1}, {1, 10, 0}, {2, 4, 0, 0x4f}, AppendOptions(nil, id, id)} {
		if err := got.UnmarshalBinary(bad); err == nil {
			t.Errorf("UnmarshalBinary(%x) succeeded", bad)
		}
	}
}

func FuzzParseOptions(f *testing.F) {
	// pppd 2.4.9 +ipv6 ipv6 ::1,::2: its ConfReq, and its ConfNak of a
	// random identifier.
	f.Add([]byte{1, 10, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{1, 10, 0, 0, 0, 0, 0, 0, 0, 2})
	// Debian pppd by default: a random identifier.
	f.Add([]byte{1, 10, 0x3c, 0x5e, 0x99, 0x2a, 0x07, 0x41, 0xd1, 0x0b})
	f.Add([]byte{2, 6, 0x00, 0x4f, 0, 15, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0})
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
		if err != nil || len(again) != len(opts) {
			t.Fatalf("re-parse: %v, %d options, want %d", err, len(again), len(opts))
		}
		for _, o := range opts {
			_ = Format(o)
		}
	})
}

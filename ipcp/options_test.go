package ipcp

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/ppp"
)

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestOptionsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		opt  Option
		wire [][]byte
	}{
		{"addr", IPAddress(addr("10.64.64.2")), [][]byte{{3}, {6}, {10, 64, 64, 2}}},
		{"ms-dns1", PrimaryDNS(addr("10.64.64.1")), [][]byte{{129}, {6}, {10, 64, 64, 1}}},
		{"ms-dns2", SecondaryDNS(addr("10.64.64.3")), [][]byte{{131}, {6}, {10, 64, 64, 3}}},
		{"vj", IPCompressionProtocol{Protocol: ppp.ProtocolVJCompressedTCPIP, Data: []byte{0x0f, 0x01}},
			[][]byte{{2}, {6}, {0x00, 0x2d}, {0x0f, 0x01}}},
		{"ms-wins1 (raw)", RawOption{OptionType: TypePrimaryNBNS, Data: []byte{0, 0, 0, 0}}, [][]byte{{130}, {6}, {0, 0, 0, 0}}},
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
			if diff := cmp.Diff([]Option{tc.opt}, got, cmp.Comparer(func(a, b IPAddress) bool { return a == b }),
				cmp.Comparer(func(a, b PrimaryDNS) bool { return a == b }),
				cmp.Comparer(func(a, b SecondaryDNS) bool { return a == b })); diff != "" {
				t.Errorf("decode (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseOptions(f *testing.F) {
	// pppd's IPCP Configure-Request with usepeerdns, and a Nak with values.
	f.Add([]byte{3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0})
	f.Add([]byte{2, 6, 0x00, 0x2d, 0x0f, 0x01, 3, 6, 10, 64, 64, 1})
	f.Add([]byte{130, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		opts, err := ParseOptions(b)
		if err != nil {
			return
		}
		wire := AppendOptions(nil, opts...)
		if !bytes.Equal(wire, b) {
			t.Fatalf("re-encoding changed the options:\n%x\n%x", b, wire)
		}
		for _, o := range opts {
			_ = Format(o)
		}
	})
}

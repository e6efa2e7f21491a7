package gprsppp

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The resolv.conf a TUN writes: each server once, in order, and a
// link-local IPv6 server with the interface as its zone.
func TestWriteResolvConf(t *testing.T) {
	for _, tc := range []struct {
		name string
		dns  []string
		want string
	}{
		{"IPv4, primary and secondary one", []string{"10.64.64.1", "10.64.64.1"}, "nameserver 10.64.64.1\n"},
		{"dual stack", []string{"10.64.64.1", "10.64.64.3", "2001:db8:64::1"},
			"nameserver 10.64.64.1\nnameserver 10.64.64.3\nnameserver 2001:db8:64::1\n"},
		{"link-local RDNSS", []string{"fe80::1", "2001:db8:64::1"}, "nameserver fe80::1%gprs0\nnameserver 2001:db8:64::1\n"},
		{"none", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dns []netip.Addr
			for _, s := range tc.dns {
				dns = append(dns, netip.MustParseAddr(s))
			}
			path := filepath.Join(t.TempDir(), "resolv.conf")
			if err := os.WriteFile(path, []byte("nameserver 192.0.2.53\noptions edns0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := writeResolvConf(path, "gprs0", dns); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("# written by gprsppp for gprs0\n"+tc.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

package gprsppp

import (
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func addrs(t *testing.T, ss ...string) []netip.Addr {
	t.Helper()
	var dns []netip.Addr
	for _, s := range ss {
		dns = append(dns, netip.MustParseAddr(s))
	}
	return dns
}

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
			path := filepath.Join(t.TempDir(), "resolv.conf")
			if err := os.WriteFile(path, []byte("nameserver 192.0.2.53\noptions edns0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := &resolvConf{path: path, iface: "gprs0"}
			if err := r.write(addrs(t, tc.dns...)); err != nil {
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

// Closing puts the resolv.conf back as it was before the first of
// several rewrites, removes one that did not exist, and leaves alone
// one changed by someone else since the last rewrite.
func TestRestoreResolvConf(t *testing.T) {
	const orig = "nameserver 192.0.2.53\noptions edns0\n"
	for _, tc := range []struct {
		name         string
		before       string // "" for no file
		writes       int
		changedAfter string // written by someone else after the last rewrite
		want         string // "" for no file
		wantRestored bool
		wantErr      bool
	}{
		{"restored after two links", orig, 2, "", orig, true, false},
		{"removed: there was none", "", 1, "", "", true, false},
		{"nothing written", orig, 0, "", orig, false, false},
		{"changed since", orig, 1, "nameserver 198.51.100.1\n", "nameserver 198.51.100.1\n", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "resolv.conf")
			if tc.before != "" {
				if err := os.WriteFile(path, []byte(tc.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := &resolvConf{path: path, iface: "gprs0"}
			for i := range tc.writes {
				if err := r.write(addrs(t, "10.64.64.1", []string{"10.64.64.3", "10.64.64.5"}[i%2])); err != nil {
					t.Fatal(err)
				}
			}
			if tc.changedAfter != "" {
				if err := os.WriteFile(path, []byte(tc.changedAfter), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			restored, err := r.restore()
			if restored != tc.wantRestored || (err != nil) != tc.wantErr {
				t.Errorf("restore = %v, %v; want %v, error %v", restored, err, tc.wantRestored, tc.wantErr)
			}
			got, err := os.ReadFile(path)
			switch {
			case tc.want == "" && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("the file is there (%q, %v), want none", got, err)
			case tc.want != "" && string(got) != tc.want:
				t.Errorf("the file holds %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

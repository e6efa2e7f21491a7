package gprsppp

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
)

// resolvConf is a resolver configuration file that a TUN rewrites with
// each link's DNS servers (TUNConfig.ResolvConf) and puts back as it
// was when the TUN closes: what it held before the first rewrite, or no
// file if there was none. A file someone else changed since the last
// rewrite is left as it is. Writes go in place, so that a container's
// bind-mounted /etc/resolv.conf works too.
type resolvConf struct {
	path, iface string

	mu      sync.Mutex
	saved   []byte // what the file held before the first write
	existed bool   // whether there was a file then
	wrote   []byte // what the last write left; nil before the first
}

// write rewrites the file with the DNS servers, each once. A link-local
// server (a router advertising its own fe80:: address in RDNSS, as
// dnsmasq does by default) is reachable only through the interface, so
// it is written with the interface as its zone ("fe80::1%gprs0"), which
// the C libraries' resolvers take.
func (r *resolvConf) write(dns []netip.Addr) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# written by gprsppp for %s\n", r.iface)
	for i, a := range dns {
		if slices.Contains(dns[:i], a) { // IPCP's primary and secondary may be one
			continue
		}
		if a.Is6() && a.IsLinkLocalUnicast() {
			a = a.WithZone(r.iface)
		}
		fmt.Fprintf(&b, "nameserver %v\n", a)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.wrote == nil {
		saved, err := os.ReadFile(r.path)
		switch {
		case err == nil:
			r.saved, r.existed = saved, true
		case errors.Is(err, fs.ErrNotExist):
			r.saved, r.existed = nil, false
		default:
			return err
		}
	}
	content := []byte(b.String())
	if err := os.WriteFile(r.path, content, 0o644); err != nil {
		return err
	}
	r.wrote = content
	return nil
}

// restore puts the file back as it was before the first write, unless
// nothing was written or the file changed since. It reports whether it
// restored anything.
func (r *resolvConf) restore() (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.wrote == nil {
		return false, nil
	}
	now, err := os.ReadFile(r.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if err != nil || !bytes.Equal(now, r.wrote) {
		return false, fmt.Errorf("%s changed since it was written; left as it is", r.path)
	}
	r.wrote = nil
	if !r.existed {
		return true, os.Remove(r.path)
	}
	return true, os.WriteFile(r.path, r.saved, 0o644)
}

package main

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/forward"
)

// loopGuard is the Dialer of connect's proxies and forwards. It refuses a
// TCP destination that is one of this host's own -R forwards on the
// link's address: a proxy client would otherwise reach, from the link's
// own address, a service that --allow opens only to the network. (A
// name that resolves to the link's address gets past this check; the
// -R side then refuses the connection by its source, see
// forward.ServeRemote.)
type loopGuard struct {
	sup     *gprsppp.Supervisor
	remotes []forward.Remote
}

// DialContext implements proxy.Dialer and forward.Dialer.
func (g loopGuard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if strings.HasPrefix(network, "tcp") && len(g.remotes) > 0 {
		if err := g.check(ctx, network, address); err != nil {
			return nil, err
		}
	}
	return g.sup.DialContext(ctx, network, address)
}

func (g loopGuard) check(ctx context.Context, network, address string) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil // the link's dial explains it
	}
	l, err := g.sup.Link(ctx)
	if err != nil {
		return nil // as above
	}
	a, err := netip.ParseAddr(host)
	if host != "" && (err != nil || a.Unmap() != l.LocalAddr()) {
		return nil
	}
	for _, r := range g.remotes {
		if strconv.Itoa(int(r.Port)) == port {
			return &net.OpError{Op: "dial", Net: network, Err: fmt.Errorf(
				"%s is this host's own -R forward of port %d on the link's address: refused as a loop (%w)", address, r.Port, fs.ErrPermission)}
		}
	}
	return nil
}

package forward

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
)

// ServeRemote accepts connections on ln, a listener on the link's
// address (normally on r.Port), and relays each to r.Target dialled with
// dialHost on the host, until ctx ends. nil dialHost means a plain
// net.Dialer.
//
// A connection whose source is the link's own address is refused
// whatever allow says: it comes from a client of this host's own proxies
// or forwards, looping back into the host. A connection whose source
// address is not inside one of the allow prefixes is closed as soon as it is accepted and logged at info level;
// an empty allow list refuses every connection. The peer sees its
// connection open and then close, because the link's stack completes the
// TCP handshake before the source can be checked.
//
// ServeRemote closes ln and, before returning, every relayed connection.
// A temporary Accept error is retried with backoff and logged as a
// warning once per burst. It returns nil when ctx ends and the Accept
// error if ln fails first with any other error (net.ErrClosed when the
// link's stack closes).
func ServeRemote(ctx context.Context, r Remote, ln net.Listener, allow []netip.Prefix,
	dialHost func(ctx context.Context, network, address string) (net.Conn, error), log *slog.Logger) error {
	log = orDiscard(log)
	if dialHost == nil {
		dialHost = (&net.Dialer{}).DialContext
	}
	return serveListener(ctx, ln, "forward: -R "+r.String(), log, func(ctx context.Context, c net.Conn) {
		from := c.RemoteAddr().String()
		if sameIP(c.RemoteAddr(), c.LocalAddr()) {
			log.Info("forward: refused inbound connection from the link's own address: a loop through this host's proxies or forwards", "from", from, "port", r.Port)
			return
		}
		if !allowed(c.RemoteAddr(), allow) {
			log.Info("forward: refused inbound connection: source not allowed", "from", from, "port", r.Port)
			return
		}
		out, err := dialHost(ctx, "tcp", r.Target)
		if err != nil {
			log.Info("forward: dial on the host failed", "from", from, "to", r.Target, "err", err)
			return
		}
		in, back, err := relayTCP(c, out)
		logRelay(log, "forward: inbound connection ended", from, r.Target, in, back, err)
	})
}

// sameIP reports whether a and b have the same IP address: a connection
// on the link's stack whose source is the link's own address comes from
// a socket of that same stack, that is from this host's proxy or forward
// clients, never from the network.
func sameIP(a, b net.Addr) bool {
	ia, ib := ipOf(a), ipOf(b)
	return ia.IsValid() && ia == ib
}

// ipOf returns addr's IP address, unmapped, or the zero Addr.
func ipOf(addr net.Addr) netip.Addr {
	var ip netip.Addr
	switch a := addr.(type) {
	case nil:
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	default:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			ip = ap.Addr()
		}
	}
	return ip.Unmap()
}

// allowed reports whether addr's IP lies inside one of the prefixes.
func allowed(addr net.Addr, allow []netip.Prefix) bool {
	ip := ipOf(addr)
	for _, p := range allow {
		if ip.IsValid() && p.Contains(ip) {
			return true
		}
	}
	return false
}

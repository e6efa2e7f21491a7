package forward

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/netstack"
)

// Inbound is an inbound forward from the network side of a link: a host
// socket whose connections the network side of the link opens toward
// the link's client, as a host on the operator's network would. The
// simulator serves it (gprsppp sim --inbound), so that the client's
// listening sockets can be tried without writing code. ParseInbound
// makes one from its command-line form.
type Inbound struct {
	// Bind is the host address and port to listen on. ParseInbound
	// defaults the address to 127.0.0.1.
	Bind netip.AddrPort
	// LinkPort is the TCP port on the client's address, 1 to 65535.
	LinkPort uint16
	// Source is the IPv4 address on the network side that connections
	// come from; the zero Addr (the default) means the network side's
	// own address.
	Source netip.Addr
}

// String returns in the form ParseInbound reads, with the bind address
// always present: "127.0.0.1:2323:23" or "[::1]:2323:23@192.0.2.7".
func (in Inbound) String() string {
	s := in.Bind.String() + ":" + strconv.Itoa(int(in.LinkPort))
	if in.Source.IsValid() {
		s += "@" + in.Source.String()
	}
	return s
}

// ParseInbound parses an inbound forward, as the sim's --inbound flag
// gives it:
//
//	[bind:]port:linkport[@source]
//
// bind is an IPv4 address, a bracketed IPv6 address ("[::1]") or
// "localhost", as for ParseLocal; it defaults to 127.0.0.1. port is the
// host port, linkport the port on the client's address; both are
// decimal, 1 to 65535. source is an IPv4 address that a host on a
// network could have: not loopback, unspecified, reserved, link-local,
// multicast or broadcast (see netstack.CheckDestination).
func ParseInbound(s string) (Inbound, error) {
	errf := func(format string, args ...any) (Inbound, error) {
		return Inbound{}, fmt.Errorf("forward: inbound forward %q: %s", s, fmt.Sprintf(format, args...))
	}
	spec, source, hasSource := strings.Cut(s, "@")
	var in Inbound
	if hasSource {
		a, err := netip.ParseAddr(source)
		if err != nil || !a.Is4() {
			return errf("source %q is not an IPv4 address", source)
		}
		if err := netstack.CheckDestination("tcp", a); err != nil {
			return errf("source %v cannot be a host's address: %v", a, err)
		}
		in.Source = a
	}
	fields, err := splitFields(spec)
	if err != nil {
		return errf("%v", err)
	}
	bind := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	switch len(fields) {
	case 2:
	case 3:
		if bind, err = parseBind(fields[0]); err != nil {
			return errf("%v", err)
		}
		fields = fields[1:]
	default:
		return errf("want [bind:]port:linkport[@source]")
	}
	port, err := parsePort(fields[0])
	if err != nil {
		return errf("port: %v", err)
	}
	if in.LinkPort, err = parsePort(fields[1]); err != nil {
		return errf("link port: %v", err)
	}
	in.Bind = netip.AddrPortFrom(bind, port)
	return in, nil
}

// ServeInbound accepts connections on ln, a host listener, and relays
// each to the connection dial opens on the network side of a link
// (in.LinkPort on the client's address, from in.Source), until ctx ends;
// in.Bind is not used. When dial fails, because no link is up say, the
// host connection is closed at once and the failure logged at info
// level. Half-closes are passed on both ways. ServeInbound closes ln
// and, before returning, every relayed connection. A temporary Accept
// error is retried with backoff and logged as a warning once per burst.
// It returns nil when ctx ends and the Accept error if ln fails first
// with any other error.
func ServeInbound(ctx context.Context, ln net.Listener, in Inbound,
	dial func(ctx context.Context) (net.Conn, error), log *slog.Logger) error {
	log = orDiscard(log)
	return serveListener(ctx, ln, "forward: inbound "+in.String(), log, func(ctx context.Context, c net.Conn) {
		from := c.RemoteAddr().String()
		out, err := dial(ctx)
		if err != nil {
			log.Info("forward: inbound connection refused", "from", from, "inbound", in.String(), "err", err)
			return
		}
		to := out.RemoteAddr().String()
		up, down, err := relayTCP(c, out)
		logRelay(log, "forward: inbound connection ended", from, to, up, down, err)
	})
}

// Package forward relays TCP and UDP ports between the host and the
// userspace TCP/IP stack of a PPP link, for programs that cannot use a
// SOCKS5 or HTTP proxy (the onetun and wireproxy TCPClientTunnel model).
//
// A local forward (-L [bind:]port:host:hostport[/udp]) listens on the
// host and carries each connection, or each client's UDP datagrams, over
// the link to host:hostport; names are resolved by the link's DNS, never
// by the host's. A remote forward (-R port:host:hostport) accepts TCP
// connections arriving on the link's address and relays them to
// host:hostport as dialled from the host. The link's address is reachable
// by the whole operator network, so remote forwards refuse every
// connection whose source is outside an explicit allow list, and an empty
// list refuses all of them. An inbound forward (--inbound
// [bind:]port:linkport[@source], see ParseInbound) is the network side's
// counterpart, served by the simulator: each connection to a host port
// is opened from the network side of a link to linkport on the client's
// address.
//
// TCP is relayed as a byte stream on both sides (RFC 9293), with
// half-close carried across: when one side sends FIN the relay shuts down
// the write side of the other. UDP (RFC 768) is relayed datagram by
// datagram, one link socket per client address, each closed after a
// period without traffic.
//
// Wiring, with link a *gprsppp.Link:
//
//	l, err := forward.ParseLocal("8080:example.com:80")
//	go forward.ServeLocal(ctx, l, link, logger)
//
//	r, err := forward.ParseRemote("2222:127.0.0.1:22")
//	allow, err := forward.ParseAllow("10.0.0.0/8")
//	ln, err := link.Listen("tcp", fmt.Sprintf(":%d", r.Port))
//	go forward.ServeRemote(ctx, r, ln, []netip.Prefix{allow}, nil, logger)
package forward

import (
	"context"
	"log/slog"
	"net"
)

// Dialer opens connections over the link. *gprsppp.Link and
// *netstack.Stack implement it: network is "tcp" or "udp", and a host
// name in address is resolved through the link's DNS servers.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// orDiscard returns log, or a logger that drops everything if log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

// Package proxy exposes the userspace TCP/IP stack of a PPP link to the
// host's programs through the two proxy protocols they already speak, as
// wireproxy and tailscaled's userspace mode do:
//
//   - SOCKS5 (RFC 1928), with optional username/password authentication
//     (RFC 1929): CONNECT for TCP and UDP ASSOCIATE for UDP. BIND is
//     answered "command not supported". The protocol engine is
//     github.com/things-go/go-socks5; this package supplies its dialing,
//     name resolution and UDP relay.
//   - An HTTP proxy (RFC 9110 §3.7, §9.3.6): CONNECT tunnels, and plain
//     requests in absolute form (RFC 9112 §3.2.2) forwarded without
//     hop-by-hop headers (RFC 9110 §7.6.1), with optional Basic proxy
//     authentication (RFC 7617, RFC 9110 §11.7).
//
// Every outbound connection and datagram goes through the link's Dialer,
// and every host name is handed to that Dialer unresolved, so that names
// are resolved by the link's DNS servers and none leak to the host's
// resolver (wireproxy issue #1). UDP ASSOCIATE carries datagrams over the
// link too, which wireproxy lacks (its issue #30).
//
// Wiring, with link a *gprsppp.Link:
//
//	l, err := net.Listen("tcp", "127.0.0.1:1080")
//	go proxy.ServeSOCKS5(ctx, l, proxy.SOCKS5Config{Dialer: link, Logger: logger})
//
//	h, err := net.Listen("tcp", "127.0.0.1:8080")
//	go proxy.ServeHTTP(ctx, h, proxy.HTTPConfig{Dialer: link, Logger: logger})
//
// Listen on loopback unless the proxies are meant for other hosts, and
// then set a username and password: whoever reaches a proxy can use the
// link as if they were this host.
package proxy

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

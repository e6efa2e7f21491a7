package forward

import (
	"context"
	"fmt"
	"log/slog"
	"net"
)

// ServeLocal opens l's host socket on l.Bind and serves the forward with
// ServeLocalTCP or ServeLocalUDP until ctx ends. It returns an error at
// once if the socket cannot be opened (for example, the port is in use).
// log receives one debug record per connection or UDP session and an
// info record per failed dial; nil is silent.
func ServeLocal(ctx context.Context, l Local, d Dialer, log *slog.Logger) error {
	var lc net.ListenConfig
	switch l.Network {
	case "", "tcp":
		ln, err := lc.Listen(ctx, "tcp", l.Bind.String())
		if err != nil {
			return fmt.Errorf("forward: %w", err)
		}
		return ServeLocalTCP(ctx, ln, l, d, log)
	case "udp":
		pc, err := lc.ListenPacket(ctx, "udp", l.Bind.String())
		if err != nil {
			return fmt.Errorf("forward: %w", err)
		}
		return ServeLocalUDP(ctx, pc, l, d, log)
	default:
		return fmt.Errorf("forward: local forward %v: unknown network %q", l, l.Network)
	}
}

// ServeLocalTCP accepts connections on ln, a host listener, and relays
// each to l.Target over d, the link, until ctx ends; l.Bind is not used.
// It closes ln and, before returning, every relayed connection. A
// temporary Accept error (out of file descriptors) is retried with
// backoff and logged as a warning once per burst. It returns nil when
// ctx ends and the Accept error if ln fails first with any other error.
func ServeLocalTCP(ctx context.Context, ln net.Listener, l Local, d Dialer, log *slog.Logger) error {
	log = orDiscard(log)
	return serveListener(ctx, ln, "forward: -L "+l.String(), log, func(ctx context.Context, c net.Conn) {
		from := c.RemoteAddr().String()
		out, err := d.DialContext(ctx, "tcp", l.Target)
		if err != nil {
			log.Info("forward: dial over the link failed", "from", from, "to", l.Target, "err", err)
			return
		}
		up, down, err := relayTCP(c, out)
		logRelay(log, "forward: local connection ended", from, l.Target, up, down, err)
	})
}

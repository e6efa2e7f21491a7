package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"syscall"

	"github.com/gprsppp/gprsppp/internal/keepalive"
	"github.com/gprsppp/gprsppp/netstack"
	socks5 "github.com/things-go/go-socks5"
	"github.com/things-go/go-socks5/statute"
)

// refused reports whether err is a dial that this host refused on
// purpose, without sending anything: a destination that never leaves a
// host (netstack.ErrLocalOnly), or one the Dialer forbids (an error
// matching fs.ErrPermission, such as a loop into the host's own
// inbound forwards).
func refused(err error) bool {
	return errors.Is(err, netstack.ErrLocalOnly) || errors.Is(err, fs.ErrPermission)
}

// socksReply is the SOCKS5 reply code (RFC 1928 §6) for a failed dial.
func socksReply(err error) uint8 {
	switch {
	case refused(err):
		return statute.RepRuleFailure
	case errors.Is(err, syscall.ECONNREFUSED):
		return statute.RepConnectionRefused
	case errors.Is(err, syscall.ENETUNREACH):
		return statute.RepNetworkUnreachable
	}
	return statute.RepHostUnreachable
}

// socksConnect serves a CONNECT request: it dials the destination with
// dial, answers with the reply that says why a dial failed, and relays
// the two streams.
func socksConnect(ctx context.Context, w io.Writer, r *socks5.Request, dial func(context.Context, string, string) (net.Conn, error), log *slog.Logger) error {
	clearDeadline(w)
	to := r.DestAddr.String()
	log.Debug("socks5: connect", "from", r.RemoteAddr, "to", to)
	out, err := dial(ctx, "tcp", to)
	if err != nil {
		if refused(err) {
			log.Info("socks5: connect refused", "from", r.RemoteAddr, "to", to, "err", err)
		}
		if rerr := socks5.SendReply(w, socksReply(err), nil); rerr != nil {
			return fmt.Errorf("send reply: %w", rerr)
		}
		return fmt.Errorf("connect to %v: %w", to, err)
	}
	keepalive.Enable(out)
	if err := socks5.SendReply(w, statute.RepSuccess, out.LocalAddr()); err != nil {
		out.Close()
		return fmt.Errorf("send reply: %w", err)
	}
	c, ok := w.(net.Conn)
	if !ok {
		out.Close()
		return errors.New("socks5: client is not a connection")
	}
	// The library reads the request through r.Reader, which may hold
	// what the client sent behind it.
	return relayTCP(bufferedConn{c, r.Reader}, out)
}

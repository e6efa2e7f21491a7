package proxy

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/keepalive"
	"io"
	"log/slog"
	"net"
	"time"

	socks5 "github.com/things-go/go-socks5"
	"github.com/things-go/go-socks5/statute"
)

// SOCKS5Config configures ServeSOCKS5.
type SOCKS5Config struct {
	// Username and Password, when either is set, make clients
	// authenticate with RFC 1929 username/password; both empty means no
	// authentication (method X'00').
	Username, Password string
	// Dialer carries CONNECT streams and ASSOCIATE datagrams over the
	// link. Required.
	Dialer
	// Logger receives an info record per failed authentication and
	// debug records per request; nil is silent. Passwords are never
	// logged.
	Logger *slog.Logger
}

// ServeSOCKS5 serves SOCKS5 (RFC 1928) on l until ctx ends or l fails.
// CONNECT opens a TCP connection over cfg.Dialer; a domain-name
// destination is passed to the Dialer unresolved, so it is resolved over
// the link. UDP ASSOCIATE opens a relay socket on the host address that
// the client reached l on (loopback for a loopback listener) and carries
// its datagrams over the link.
//
// ServeSOCKS5 owns l and closes it. Before returning it closes every
// client connection and relay socket and waits for their goroutines. It
// returns nil once ctx is done, and the Accept error if l fails first.
func ServeSOCKS5(ctx context.Context, l net.Listener, cfg SOCKS5Config) error {
	if cfg.Dialer == nil {
		l.Close()
		return errors.New("proxy: SOCKS5Config.Dialer is nil")
	}
	log := orDiscard(cfg.Logger)
	ctx, cancel := context.WithCancel(ctx)
	var g connGroup
	defer g.shutdown()
	defer cancel()

	assoc := &associator{ctx: ctx, d: cfg.Dialer, log: log}
	opts := []socks5.Option{
		socks5.WithLogger(libLogger{log}),
		socks5.WithGPool(&g),
		socks5.WithResolver(unresolved{}),
		socks5.WithConnectHandle(func(_ context.Context, w io.Writer, r *socks5.Request) error {
			// The library hands over a background context; end the dial
			// when the server stops too.
			return socksConnect(ctx, w, r, cfg.Dialer.DialContext, log)
		}),
		socks5.WithAssociateHandle(func(ctx context.Context, w io.Writer, r *socks5.Request) error {
			clearDeadline(w)
			return assoc.handle(ctx, w, r)
		}),
	}
	if cfg.Username != "" || cfg.Password != "" {
		opts = append(opts, socks5.WithCredential(credentials{cfg.Username, cfg.Password}))
	}
	srv := socks5.NewServer(opts...)

	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	defer l.Close()
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("proxy: socks5: accept: %w", err)
		}
		if !g.enter(c) {
			continue
		}
		keepalive.Enable(c)
		go func() {
			defer g.leave(c)
			// Bound the negotiation; the request handlers clear it.
			c.SetDeadline(time.Now().Add(handshakeTimeout))
			logSOCKSEnd(log, c.RemoteAddr(), srv.ServeConn(c))
		}()
	}
}

// handshakeTimeout bounds a client's method negotiation, authentication
// and request, so that idle clients do not hold goroutines.
const handshakeTimeout = 30 * time.Second

// clearDeadline removes the handshake deadline from w, the client's
// connection, once its request is in.
func clearDeadline(w io.Writer) {
	if c, ok := w.(net.Conn); ok {
		c.SetDeadline(time.Time{})
	}
}

// logSOCKSEnd logs why a client connection ended.
func logSOCKSEnd(log *slog.Logger, from net.Addr, err error) {
	switch {
	case err == nil, errors.Is(err, net.ErrClosed), errors.Is(err, io.EOF):
	case errors.Is(err, statute.ErrUserAuthFailed), errors.Is(err, statute.ErrNoSupportedAuth):
		log.Info("socks5: authentication failed", "from", from, "err", err)
	default:
		log.Debug("socks5: client connection ended", "from", from, "err", err)
	}
}

// unresolved is a socks5.NameResolver that leaves domain names alone, so
// that the library passes them to the Dialer, which resolves them over
// the link. The library's default would ask the host's resolver.
type unresolved struct{}

// Resolve implements socks5.NameResolver: it returns no address, and the
// library then dials the name itself.
func (unresolved) Resolve(ctx context.Context, _ string) (context.Context, net.IP, error) {
	return ctx, nil, nil
}

// credentials is the one username/password pair that ServeSOCKS5 accepts.
type credentials struct{ user, pass string }

// Valid implements socks5.CredentialStore in constant time.
func (c credentials) Valid(user, pass, _ string) bool {
	u := subtle.ConstantTimeCompare([]byte(user), []byte(c.user))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(c.pass))
	return u&p == 1
}

// libLogger routes the library's messages to debug level: they report
// per-connection failures that the caller cannot act on.
type libLogger struct{ log *slog.Logger }

// Errorf implements socks5.Logger.
func (l libLogger) Errorf(format string, args ...any) {
	l.log.Debug("socks5: " + fmt.Sprintf(format, args...))
}

package proxy

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/acceptloop"
	"github.com/gprsppp/gprsppp/internal/keepalive"
	"io"
	"log/slog"
	"net"
	"syscall"
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
	// logged. A burst of temporary Accept errors (out of file
	// descriptors) is logged as a warning when it starts and at info
	// level when it ends.
	Logger *slog.Logger
	// HandshakeTimeout bounds a client's method negotiation,
	// authentication and request, counted from when it is accepted, so
	// that a client that sends nothing, or sends one byte at a time,
	// does not hold a socket and a goroutine; the client is then
	// disconnected. Zero means DefaultHandshakeTimeout (30 s).
	HandshakeTimeout time.Duration
}

// ServeSOCKS5 serves SOCKS5 (RFC 1928) on l until ctx ends or l fails.
// CONNECT opens a TCP connection over cfg.Dialer; a domain-name
// destination is passed to the Dialer unresolved, so it is resolved over
// the link. UDP ASSOCIATE opens a relay socket on the host address that
// the client reached l on (loopback for a loopback listener) and carries
// its datagrams over the link.
//
// ServeSOCKS5 owns l and closes it. Before returning it closes every
// client connection and relay socket and waits for their goroutines. A
// temporary Accept error, such as running out of file descriptors, is
// retried with a backoff of 5 ms doubling to 1 s, as net/http does. It
// returns nil once ctx is done, and the Accept error if l fails first
// with any other error.
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
	handshake := cfg.HandshakeTimeout
	if handshake <= 0 {
		handshake = DefaultHandshakeTimeout
	}
	loop := acceptloop.Config{Name: "socks5", Logger: log}
	err := acceptloop.Serve(ctx, loop, l.Accept, func(c net.Conn) {
		if !g.enter(c) {
			return
		}
		keepalive.Enable(c)
		go func() {
			defer g.leave(c)
			// Bound the negotiation; the request handlers clear it.
			c.SetDeadline(time.Now().Add(handshake))
			if v, err := peekByte(c); err != nil || v != statute.VersionSocks5 {
				// The library reads a whole greeting before it checks
				// the version, so an HTTP request would wait out the
				// deadline for methods that never come.
				log.Debug("socks5: not a SOCKS5 client", "from", c.RemoteAddr(), "version", v, "err", err)
				return
			}
			logSOCKSEnd(log, c.RemoteAddr(), srv.ServeConn(c))
		}()
	})
	if err != nil {
		return fmt.Errorf("proxy: socks5: accept: %w", err)
	}
	return nil
}

// DefaultHandshakeTimeout is the SOCKS5Config.HandshakeTimeout used when
// it is zero.
const DefaultHandshakeTimeout = 30 * time.Second

// peekByte returns the first octet c has received, leaving it to be
// read, waiting for it until c's read deadline. A connection without a
// file descriptor reports 5 (VER of RFC 1928 §3) and leaves the check to
// the library.
func peekByte(c net.Conn) (byte, error) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return statute.VersionSocks5, nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, err
	}
	var b [1]byte
	var n int
	var rerr error
	err = raw.Read(func(fd uintptr) bool {
		for {
			n, _, rerr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK)
			if rerr != syscall.EINTR {
				return rerr != syscall.EAGAIN // else wait until readable
			}
		}
	})
	switch {
	case err != nil:
		return 0, err
	case rerr != nil:
		return 0, rerr
	case n == 0:
		return 0, io.EOF
	}
	return b[0], nil
}

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

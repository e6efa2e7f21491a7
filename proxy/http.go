package proxy

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/keepalive"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"time"
)

// HTTPConfig configures ServeHTTP.
type HTTPConfig struct {
	// Dialer carries tunnels and forwarded requests over the link.
	// Required.
	Dialer
	// Username and Password, when either is set, require Basic proxy
	// authentication (RFC 7617) in Proxy-Authorization; both empty means
	// none. The header is never passed on.
	Username, Password string
	// Logger receives an info record per failed authentication and
	// debug records per request; nil is silent. Passwords are never
	// logged.
	Logger *slog.Logger
}

// Timeouts of the HTTP proxy's server side; a tunnel, once open, has none.
const (
	readHeaderTimeout = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// ServeHTTP serves an HTTP proxy on l until ctx ends or l fails. CONNECT
// requests open a TCP tunnel over cfg.Dialer; requests with an absolute
// http:// URI are forwarded over it, less hop-by-hop and X-Forwarded-*
// headers, and adding none. Host names are passed to the Dialer
// unresolved, so they are resolved over the link. Other requests get
// 400 Bad Request.
//
// ServeHTTP owns l and closes it. Before returning it closes every client
// connection and tunnel and waits for their handlers. It returns nil once
// ctx is done, and the Accept error if l fails first.
func ServeHTTP(ctx context.Context, l net.Listener, cfg HTTPConfig) error {
	if cfg.Dialer == nil {
		l.Close()
		return errors.New("proxy: HTTPConfig.Dialer is nil")
	}
	log := orDiscard(cfg.Logger)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &httpProxy{cfg: cfg, log: log}
	transport := &http.Transport{
		Proxy:                 nil, // never the host's proxy settings
		DialContext:           cfg.Dialer.DialContext,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	defer transport.CloseIdleConnections()
	p.forward = &httputil.ReverseProxy{
		// Absolute-form requests already name their target (RFC 9112
		// §3.2.2); Rewrite has removed the hop-by-hop headers.
		Rewrite:   func(*httputil.ProxyRequest) {},
		Transport: transport,
		ErrorLog:  slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			p.dialFailed(w, r, r.URL.Host, err)
		},
	}
	srv := &http.Server{
		Handler:           p,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	stop := context.AfterFunc(ctx, func() { srv.Close() })
	defer stop()

	err := srv.Serve(l)
	stopped := ctx.Err() != nil
	cancel()             // ends outbound dials
	srv.Close()          // if l failed first
	p.tunnels.shutdown() // hijacked connections are no longer the server's
	if stopped {
		return nil
	}
	return fmt.Errorf("proxy: http: %w", err)
}

// httpProxy is the handler behind ServeHTTP.
type httpProxy struct {
	cfg     HTTPConfig
	log     *slog.Logger
	forward *httputil.ReverseProxy
	tunnels connGroup // handlers, with their hijacked connections
}

// ServeHTTP implements http.Handler.
func (p *httpProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !p.tunnels.enter() {
		http.Error(w, "proxy shutting down", http.StatusServiceUnavailable)
		return
	}
	defer p.tunnels.leave()
	if !p.authorized(r) {
		p.log.Info("http proxy: authentication failed", "from", r.RemoteAddr)
		w.Header().Set("Proxy-Authenticate", `Basic realm="gprsppp", charset="UTF-8"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	}
	switch {
	case r.Method == http.MethodConnect:
		p.connect(w, r)
	case r.URL.IsAbs() && r.URL.Scheme == "http" && r.URL.Host != "":
		p.log.Debug("http proxy: forward", "from", r.RemoteAddr, "method", r.Method, "url", r.URL.Redacted())
		p.forward.ServeHTTP(w, r)
	default:
		http.Error(w, "this is a proxy: send CONNECT or an absolute http:// URI", http.StatusBadRequest)
	}
}

// authorized checks the Basic credentials in Proxy-Authorization, if the
// proxy has any.
func (p *httpProxy) authorized(r *http.Request) bool {
	if p.cfg.Username == "" && p.cfg.Password == "" {
		return true
	}
	scheme, encoded, ok := strings.Cut(r.Header.Get("Proxy-Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return false
	}
	user, pass, ok := strings.Cut(string(decoded), ":")
	if !ok {
		return false
	}
	return credentials{p.cfg.Username, p.cfg.Password}.Valid(user, pass, "")
}

// connect serves a CONNECT request (RFC 9110 §9.3.6): it dials the
// authority over the link, answers 200 and relays the two streams.
func (p *httpProxy) connect(w http.ResponseWriter, r *http.Request) {
	target := r.Host
	if _, _, err := net.SplitHostPort(target); err != nil {
		http.Error(w, "CONNECT needs host:port", http.StatusBadRequest)
		return
	}
	out, err := p.cfg.Dialer.DialContext(r.Context(), "tcp", target)
	if err != nil {
		p.dialFailed(w, r, target, err)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		out.Close()
		http.Error(w, "CONNECT needs HTTP/1.x", http.StatusHTTPVersionNotSupported)
		return
	}
	c, brw, err := hj.Hijack()
	if err != nil {
		out.Close()
		p.log.Debug("http proxy: hijack failed", "from", r.RemoteAddr, "err", err)
		return
	}
	// Track both sockets, so that shutdown closes them.
	if !p.tunnels.enter(c, out) {
		return
	}
	defer p.tunnels.leave(c, out)
	keepalive.Enable(c)
	keepalive.Enable(out)
	if _, err := c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		return
	}
	p.log.Debug("http proxy: connect", "from", r.RemoteAddr, "to", target)
	// The client may have sent data behind its request; brw holds it.
	err = relayTCP(bufferedConn{c, brw.Reader}, out)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		p.log.Debug("http proxy: tunnel ended", "from", r.RemoteAddr, "to", target, "err", err)
	}
}

// dialFailed answers a request whose dial to target failed: 502 Bad
// Gateway (504 for a timeout) with a body saying why. A destination
// refused here on purpose is logged at info level, other failures at
// debug level.
func (p *httpProxy) dialFailed(w http.ResponseWriter, r *http.Request, target string, err error) {
	status, msg := http.StatusBadGateway, "dial over the link failed: "+err.Error()
	var ne net.Error
	switch {
	case refused(err):
		msg = "refused: " + err.Error()
		p.log.Info("http proxy: dial refused", "from", r.RemoteAddr, "to", target, "err", err)
	case errors.As(err, &ne) && ne.Timeout():
		status = http.StatusGatewayTimeout
		fallthrough
	default:
		p.log.Debug("http proxy: dial failed", "from", r.RemoteAddr, "to", target, "err", err)
	}
	http.Error(w, msg, status)
}

// bufferedConn reads a connection through a buffer holding what was
// read of it already (the HTTP server's, the SOCKS5 library's).
type bufferedConn struct {
	net.Conn
	r io.Reader
}

// Read implements net.Conn.
func (c bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// CloseWrite passes a FIN on to the client, if the connection can.
func (c bufferedConn) CloseWrite() error {
	if cw, ok := c.Conn.(closeWriter); ok {
		return cw.CloseWrite()
	}
	return nil
}

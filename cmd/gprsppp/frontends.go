package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/forward"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/proxy"
)

// frontEndSpecs are connect's front-end flags, parsed and checked
// without opening anything: what openFrontEnds listens on.
type frontEndSpecs struct {
	socks5, http string // listen addresses; "" serves none
	locals       []forward.Local
	localArgs    []string // each -L as given, for messages
	remotes      []forward.Remote
	allow        []netip.Prefix
}

// parseFrontEnds parses and checks the front ends' flags. Its errors
// carry exitUsage.
func parseFrontEnds(f connectFlags) (spec frontEndSpecs, err error) {
	for _, p := range []struct {
		what      string
		flag, dst *string
	}{{"socks5", &f.socks5, &spec.socks5}, {"http-proxy", &f.httpProxy, &spec.http}} {
		if *p.flag == "" {
			continue
		}
		if *p.dst, err = listenAddr(*p.flag); err != nil {
			return spec, exit(exitUsage, fmt.Errorf("--%s %w", p.what, err))
		}
	}
	binds := map[string]string{} // "tcp 127.0.0.1:8022" -> the -L that has it
	for _, s := range f.locals {
		l, err := forward.ParseLocal(s)
		if err != nil {
			return spec, exit(exitUsage, err)
		}
		if err := checkTarget(l.Network, l.Target); err != nil {
			return spec, exit(exitUsage, fmt.Errorf("-L %s: %w", s, err))
		}
		key := l.Network + " " + l.Bind.String()
		if other, ok := binds[key]; ok {
			return spec, exit(exitUsage, fmt.Errorf("-L %s: port %d is already forwarded by -L %s", s, l.Bind.Port(), other))
		}
		binds[key] = s
		spec.locals = append(spec.locals, l)
		spec.localArgs = append(spec.localArgs, s)
	}
	ports := map[uint16]string{}
	for _, s := range f.remotes {
		r, err := forward.ParseRemote(s)
		if err != nil {
			return spec, exit(exitUsage, err)
		}
		if other, ok := ports[r.Port]; ok {
			return spec, exit(exitUsage, fmt.Errorf("-R %s: port %d is already forwarded by -R %s", s, r.Port, other))
		}
		ports[r.Port] = s
		spec.remotes = append(spec.remotes, r)
	}
	for _, s := range f.allow {
		p, err := forward.ParseAllow(s)
		if err != nil {
			return spec, exit(exitUsage, err)
		}
		spec.allow = append(spec.allow, p)
	}
	return spec, nil
}

// localForward is one -L forward with its host socket.
type localForward struct {
	spec forward.Local
	ln   net.Listener   // TCP
	pc   net.PacketConn // UDP
}

// listenAddr is the address a proxy flag names: a bare port ("1080", as
// with ssh -D or microsocks) means that port on 127.0.0.1, so that only
// this host can use it; anything else must be host:port.
func listenAddr(s string) (string, error) {
	if s != "" && strings.Trim(s, "0123456789") == "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%s: a port is 1 to 65535", s)
		}
		return net.JoinHostPort("127.0.0.1", s), nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("%s: want PORT or HOST:PORT", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("%s: port %q is not 0 to 65535", s, port)
	}
	return net.JoinHostPort(host, port), nil
}

// listenError explains why the listener for what could not open.
func listenError(what string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s: %w (another program, or another gprsppp connect, has that port: choose another)", what, err)
	}
	if errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("%s: %w (ports below 1024 need privileges: choose a higher port)", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// checkTarget refuses a forward's target that can never be reached over
// the link: a literal address that never leaves a host (127.0.0.1 is
// this host, not the far side as with ssh -L).
func checkTarget(network, target string) error {
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return err
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if err := netstack.CheckDestination(network, a); err != nil {
			return fmt.Errorf("%w; a forward's target is reached through the link", err)
		}
	}
	return nil
}

// frontEnds are the host-side listeners, opened before dialling so that
// a busy port fails at once.
type frontEnds struct {
	socks5, http net.Listener
	locals       []localForward
	remotes      []forward.Remote
	allow        []netip.Prefix
	ready        []string // what the ready line lists
	closers      []io.Closer
}

func (fe *frontEnds) close() {
	for _, c := range fe.closers {
		c.Close()
	}
}

// openFrontEnds parses the front ends' flags and opens their listeners.
// On error it closes what it opened; the error carries the exit status:
// exitUsage for a bad flag (before anything is opened), exitListen for a
// listener that cannot open.
func openFrontEnds(f connectFlags, log *slog.Logger, auth bool) (_ *frontEnds, err error) {
	spec, err := parseFrontEnds(f)
	if err != nil {
		return nil, err
	}
	fe := &frontEnds{remotes: spec.remotes, allow: spec.allow}
	defer func() {
		if err != nil {
			fe.close()
		}
	}()
	listen := func(what, addr string) (net.Listener, error) {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, exit(exitListen, listenError(what, err))
		}
		fe.closers = append(fe.closers, l)
		if ap, err := netip.ParseAddrPort(l.Addr().String()); err == nil && !ap.Addr().IsLoopback() && !auth {
			log.Warn(what+" listens beyond this host without authentication: anyone who reaches it uses your link", "addr", l.Addr())
		}
		fe.ready = append(fe.ready, what+" "+l.Addr().String())
		return l, nil
	}
	if spec.socks5 != "" {
		if fe.socks5, err = listen("socks5", spec.socks5); err != nil {
			return nil, err
		}
	}
	if spec.http != "" {
		if fe.http, err = listen("http-proxy", spec.http); err != nil {
			return nil, err
		}
	}
	for i, l := range spec.locals {
		lf := localForward{spec: l}
		if l.Network == "udp" {
			lf.pc, err = net.ListenPacket("udp", l.Bind.String())
			if err == nil {
				fe.closers = append(fe.closers, lf.pc)
			}
		} else {
			lf.ln, err = net.Listen("tcp", l.Bind.String())
			if err == nil {
				fe.closers = append(fe.closers, lf.ln)
			}
		}
		if err != nil {
			return nil, exit(exitListen, listenError("-L "+spec.localArgs[i], err))
		}
		fe.locals = append(fe.locals, lf)
		fe.ready = append(fe.ready, "-L "+l.String())
	}
	for _, r := range fe.remotes {
		fe.ready = append(fe.ready, "-R "+r.String())
	}
	return fe, nil
}

// frontEndGroup runs connect's front ends, each in a goroutine of its
// own. One that stops by itself ends connect with exitListen rather than
// leave a dead port behind the ready line. (Temporary accept errors,
// such as running out of file descriptors, are waited out and never get
// here; a -R listener closed with its link, net.ErrClosed, is opened
// again by the next link.)
type frontEndGroup struct {
	ctx    context.Context // ends every front end; cancelled when one dies
	cancel context.CancelFunc
	log    *slog.Logger
	wg     sync.WaitGroup
	dead   chan error // the first front end that stopped; buffered
}

func newFrontEndGroup(ctx context.Context, log *slog.Logger) *frontEndGroup {
	ctx, cancel := context.WithCancel(ctx)
	return &frontEndGroup{ctx: ctx, cancel: cancel, log: log, dead: make(chan error, 1)}
}

// serve runs f, a front end's serving loop, until it returns.
func (g *frontEndGroup) serve(f func() error) {
	g.wg.Go(func() {
		err := f()
		switch {
		case err == nil, g.ctx.Err() != nil:
		case errors.Is(err, net.ErrClosed):
			g.log.Debug("front end closed with the link", "err", err)
		default:
			g.log.Error("front end stopped: ending", "err", err)
			select {
			case g.dead <- fmt.Errorf("front end stopped: %w", err):
			default:
			}
			g.cancel()
		}
	})
}

// serveHost serves the host-side front ends: the proxies and the -L
// forwards, all dialling through dialer.
func (g *frontEndGroup) serveHost(fe *frontEnds, dialer loopGuard, user, password string) {
	proxyLog, forwardLog := g.log.With(catKey, catProxy), g.log.With(catKey, catForward)
	if fe.socks5 != nil {
		c := proxy.SOCKS5Config{Username: user, Password: password, Dialer: dialer, Logger: proxyLog}
		g.serve(func() error { return proxy.ServeSOCKS5(g.ctx, fe.socks5, c) })
	}
	if fe.http != nil {
		c := proxy.HTTPConfig{Username: user, Password: password, Dialer: dialer, Logger: proxyLog}
		g.serve(func() error { return proxy.ServeHTTP(g.ctx, fe.http, c) })
	}
	for _, lf := range fe.locals {
		if lf.pc != nil {
			g.serve(func() error { return forward.ServeLocalUDP(g.ctx, lf.pc, lf.spec, dialer, forwardLog) })
		} else {
			g.serve(func() error { return forward.ServeLocalTCP(g.ctx, lf.ln, lf.spec, dialer, forwardLog) })
		}
	}
}

// serveRemotes listens for each -R forward on link l and serves it until
// the link ends (its listener then fails with net.ErrClosed).
func (g *frontEndGroup) serveRemotes(l *gprsppp.Link, fe *frontEnds) {
	for _, r := range fe.remotes {
		bind := ""
		if r.Bind.IsValid() && !r.Bind.IsUnspecified() {
			bind = r.Bind.String()
		}
		ln, err := l.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(int(r.Port))))
		if err != nil {
			g.log.Warn("-R: cannot listen on the link", "port", r.Port, "err", err)
			continue
		}
		g.serve(func() error { return forward.ServeRemote(g.ctx, r, ln, fe.allow, nil, g.log.With(catKey, catForward)) })
	}
}

// stop ends every front end, closes fe's listeners and waits; it returns
// why the first front end that stopped by itself did, or nil.
func (g *frontEndGroup) stop(fe *frontEnds) error {
	g.cancel()
	fe.close()
	g.wg.Wait()
	select {
	case err := <-g.dead:
		return err
	default:
		return nil
	}
}

// printReady prints the ready line for link l: its address, DNS servers
// and the front ends. It returns the IPv6 state it printed.
func printReady(out io.Writer, l *gprsppp.Link, fe *frontEnds) ipv6State {
	addr := "none" // an IPv6-only link
	if a := l.LocalAddr(); a.IsValid() {
		addr = a.String()
	}
	fmt.Fprintf(out, "ready: address %s, DNS %v", addr, l.DNSServers())
	v6 := currentIPv6(l)
	if len(v6.addrs) > 0 {
		fmt.Fprintf(out, ", IPv6 %v, IPv6 DNS %v", v6.addrs, v6.dns)
	}
	if len(fe.ready) > 0 {
		fmt.Fprintf(out, "; %s", strings.Join(fe.ready, ", "))
	}
	fmt.Fprint(out, modemNote(l))
	fmt.Fprintln(out)
	return v6
}

// modemNote is the end of a ready line for a link with an AT channel:
// "; modem: " and its status in words; empty for other links.
func modemNote(l *gprsppp.Link) string {
	if m, ok := l.ModemStatus(); ok && m.Summary() != "" {
		return "; modem: " + m.Summary()
	}
	return ""
}

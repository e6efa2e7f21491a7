package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/atcompat"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/forward"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/proxy"
	"github.com/gprsppp/gprsppp/sim"
	"github.com/spf13/cobra"
)

// connectFlags holds the connect command's flags.
type connectFlags struct {
	device, apn, user, passwordFile, pinFile, dial, chatFile string
	baud                                                     int
	rtscts                                                   bool
	socks5, httpProxy, proxyUser, proxyPasswordFile          string
	locals, remotes, allow, simInbound                       []string
	simulate, persist                                        bool
	fcs32                                                    bool
	holdoff                                                  time.Duration
	maxfail                                                  int
	pcapFile                                                 string
	registerTimeout                                          time.Duration
	echoInterval                                             time.Duration
	echoFailures                                             int
	ops                                                      opsFlags
}

func newConnect(g *globals) *cobra.Command {
	var f connectFlags
	cmd := &cobra.Command{
		Use:   "connect [NAME] [flags]",
		Short: "Dial a modem and give this host a userspace network over it (SOCKS5, HTTP proxy, forwards)",
		Long: `connect opens the modem, runs the AT dial script, brings PPP up and
serves the link's own TCP/IP stack to this host: a SOCKS5 proxy, an HTTP
proxy, local port forwards (-L) and inbound forwards from the link (-R).
No kernel PPP and no root are needed. With --sim, --sim-inbound has the
simulated network open connections toward the link's address, from a
port on this host, so that -R can be tried without a network.

Secrets never go on the command line: the PPP password comes from
--password-file or GPRSPPP_PASSWORD, the SIM PIN from --pin-file or
GPRSPPP_PIN, the proxies' password from --proxy-password-file or
GPRSPPP_PROXY_PASSWORD.

SIGTERM and SIGHUP end the link as Ctrl-C does, even with --persist
(where pppd would redial on SIGHUP).

Exit status: 0 after Ctrl-C, SIGTERM or SIGHUP (the link is terminated and
the modem hung up); 1 bad flags or files; 2 the device could not be opened
(missing, in use or not permitted); 3 the modem's dial script failed; 4 PPP
negotiation failed (or the line is looped back); 5 authentication failed;
6 the link ended (peer, carrier or keepalive) without --persist; 7 a
listener could not be opened, or stopped working; 8 --persist gave up after --maxfail failed dials;
9 a SIM problem, which --persist does not redial but for a missing SIM: no
SIM, no PIN (--pin-file or GPRSPPP_PIN) or a wrong one (never sent twice),
one PIN attempt left (enter it by hand with gprsppp at), or the PUK needed.

"--socks5 ADDR" written with a space: ADDR, a PORT or HOST:PORT, is the
SOCKS5 address; any other argument is NAME ("--socks5=ADDR" is never in
doubt).` + namedHelp,
		Example: `  gprsppp connect --sim --socks5
  gprsppp connect --device /dev/ttyUSB2 --apn internet --socks5 --http-proxy 127.0.0.1:8080
  gprsppp connect --device /dev/ttyUSB2 --apn iot -L 8022:10.0.0.5:22 -R 2222:127.0.0.1:22 --allow 10.0.0.0/8 --persist
  gprsppp connect office --persist=false`,
		Args: cobra.MaximumNArgs(2), // [ADDR of a bare --socks5] [NAME]
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := connectArgs(cmd, args); err != nil {
				return err
			}
			if checking(cmd.Context()) {
				return checkConnect(f)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			return runConnect(ctx, cmd.OutOrStdout(), g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.device, "device", "", "the modem's line: a serial device, unix:PATH or tcp://HOST:PORT")
	fl.IntVar(&f.baud, "baud", 115200, "serial line speed")
	fl.BoolVar(&f.rtscts, "rtscts", false, "use RTS/CTS hardware flow control")
	fl.StringVar(&f.apn, "apn", "", "access point name (AT+CGDCONT); empty keeps the modem's")
	fl.StringVar(&f.user, "user", "", "PPP username, if the network asks for PAP or CHAP")
	fl.StringVar(&f.passwordFile, "password-file", "", "file holding the PPP password (or set GPRSPPP_PASSWORD)")
	fl.StringVar(&f.pinFile, "pin-file", "", "file holding the SIM PIN (or set GPRSPPP_PIN)")
	fl.StringVar(&f.dial, "dial", "", `dial string (default "*99***1#")`)
	fl.DurationVar(&f.registerTimeout, "register-timeout", 3*time.Minute, "how long to wait for the modem to register with the network (a first attach on 2G or NB-IoT can take minutes)")
	fl.StringVar(&f.chatFile, "chat-file", "", "chat(8)-style dial script replacing the default one ($APN and $PIN are substituted)")
	fl.StringVar(&f.socks5, "socks5", "", "serve SOCKS5 (CONNECT, UDP ASSOCIATE) at HOST:PORT, or PORT on 127.0.0.1 (given alone: "+defaultSOCKS5+")")
	fl.Lookup("socks5").NoOptDefVal = defaultSOCKS5
	fl.StringVar(&f.httpProxy, "http-proxy", "", "serve an HTTP proxy (CONNECT and plain HTTP) at HOST:PORT, or PORT on 127.0.0.1")
	fl.StringVar(&f.proxyUser, "proxy-user", "", "require this username on the SOCKS5 and HTTP proxies")
	fl.StringVar(&f.proxyPasswordFile, "proxy-password-file", "", "file holding the proxies' password (or set GPRSPPP_PROXY_PASSWORD)")
	fl.StringArrayVarP(&f.locals, "local", "L", nil, "forward [bind:]port:host:hostport[/udp] through the link (repeatable)")
	fl.StringArrayVarP(&f.remotes, "remote", "R", nil, "[bind:]port:host:hostport: accept port on the link's address and forward to host:hostport here (repeatable)")
	fl.StringArrayVar(&f.allow, "allow", nil, "let inbound (-R) connections from this CIDR in; by default all are refused (repeatable)")
	fl.BoolVar(&f.simulate, "sim", false, "use the built-in modem simulator instead of a device")
	fl.StringArrayVar(&f.simInbound, "sim-inbound", nil, "with --sim, "+inboundHelp)
	fl.BoolVar(&f.persist, "persist", false, "redial whenever the link ends")
	fl.DurationVar(&f.holdoff, "holdoff", 5*time.Second, "pause before redialling (doubles after each failed dial)")
	fl.IntVar(&f.maxfail, "maxfail", 10, "give up after this many consecutive failed dials (0: never)")
	fl.StringVar(&f.pcapFile, "pcap", "", "write every PPP frame to this pcap file (LINKTYPE_PPP_WITH_DIR)")
	fl.DurationVar(&f.echoInterval, "echo-interval", 30*time.Second, "LCP echo keepalive interval (0: off)")
	fl.IntVar(&f.echoFailures, "echo-failures", 4, "unanswered LCP echoes that end the link")
	fl.BoolVar(&f.fcs32, "fcs32", false, "ask for the 32-bit FCS (RFC 1570); most networks refuse it and FCS-16 stays")
	addOpsFlags(fl, &f.ops)
	return cmd
}

// defaultSOCKS5 is where --socks5 listens when given no address.
const defaultSOCKS5 = "127.0.0.1:1080"

// Exit codes, as documented in the command's help.
const (
	exitUsage    = 1
	exitDevice   = 2
	exitDial     = 3
	exitPPP      = 4
	exitAuth     = 5
	exitEnded    = 6
	exitListen   = 7
	exitGaveUp   = 8
	exitSIM      = 9
	exitInternal = 1
)

// exitError carries an exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exit(code int, err error) error { return &exitError{code: code, err: err} }

// classify maps why a dial or a link failed to an exit status.
func classify(err error) int {
	var step *atcompat.StepError
	switch {
	case errors.Is(err, gprsppp.ErrSIM): // even after --maxfail dials: say what to fix
		return exitSIM
	case errors.Is(err, gprsppp.ErrMaxFail):
		return exitGaveUp
	case errors.As(err, new(*deviceError)):
		return exitDevice
	case errors.As(err, &step):
		return exitDial
	case errors.Is(err, gprsppp.ErrAuthFailed):
		return exitAuth
	case errors.Is(err, gprsppp.ErrNegotiation), errors.Is(err, gprsppp.ErrLoopback):
		return exitPPP
	}
	return exitEnded
}

// loopGuard is the Dialer of connect's proxies and forwards. It refuses a
// TCP destination that is one of this host's own -R forwards on the
// link's address: a proxy client would otherwise reach, from the link's
// own address, a service that --allow opens only to the network. (A
// name that resolves to the link's address gets past this check; the
// -R side then refuses the connection by its source, see
// forward.ServeRemote.)
type loopGuard struct {
	sup     *gprsppp.Supervisor
	remotes []forward.Remote
}

// DialContext implements proxy.Dialer and forward.Dialer.
func (g loopGuard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if strings.HasPrefix(network, "tcp") && len(g.remotes) > 0 {
		if err := g.check(ctx, network, address); err != nil {
			return nil, err
		}
	}
	return g.sup.DialContext(ctx, network, address)
}

func (g loopGuard) check(ctx context.Context, network, address string) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil // the link's dial explains it
	}
	l, err := g.sup.Link(ctx)
	if err != nil {
		return nil // as above
	}
	a, err := netip.ParseAddr(host)
	if host != "" && (err != nil || a.Unmap() != l.LocalAddr()) {
		return nil
	}
	for _, r := range g.remotes {
		if strconv.Itoa(int(r.Port)) == port {
			return &net.OpError{Op: "dial", Net: network, Err: fmt.Errorf(
				"%s is this host's own -R forward of port %d on the link's address: refused as a loop (%w)", address, r.Port, fs.ErrPermission)}
		}
	}
	return nil
}

// deviceError is a failure to open the modem's line, whatever its cause
// (missing, busy, not a terminal, a refused tcp:// address).
type deviceError struct{ err error }

func (e *deviceError) Error() string { return e.err.Error() }
func (e *deviceError) Unwrap() error { return e.err }

// secret reads a secret from a file, else from an environment variable.
func secret(file, env string) (string, error) {
	if file == "" {
		return os.Getenv(env), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// readProxyPassword reads the proxies' password, which --proxy-user and it
// need each other.
func readProxyPassword(f connectFlags) (string, error) {
	password, err := secret(f.proxyPasswordFile, "GPRSPPP_PROXY_PASSWORD")
	if err != nil {
		return "", err
	}
	if password != "" && f.proxyUser == "" {
		return "", errors.New("a proxy password needs --proxy-user")
	}
	if f.proxyUser != "" && password == "" {
		return "", errors.New("--proxy-user needs a password: put it in a file named by --proxy-password-file, or in GPRSPPP_PROXY_PASSWORD")
	}
	return password, nil
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

func runConnect(ctx context.Context, out io.Writer, g *globals, f connectFlags) error {
	log := g.logger(os.Stderr).With(catKey, catConnect)
	cfg, err := connectConfig(f, log)
	if err != nil {
		return exit(exitUsage, err)
	}
	proxyPassword, err := readProxyPassword(f)
	if err != nil {
		return exit(exitUsage, err)
	}
	if f.socks5 == "" && f.httpProxy == "" && len(f.locals) == 0 && len(f.remotes) == 0 {
		log.Warn("no front end: the link comes up, but nothing on this host can use it; add --socks5, --http-proxy, -L or -R")
	}
	fe, err := openFrontEnds(f, log, f.proxyUser != "")
	if err != nil {
		return err
	}
	defer fe.close()
	inbound, err := openInbound("--sim-inbound", f.simInbound, simClientAddr, log)
	if err != nil {
		return err
	}
	if inbound != nil {
		defer inbound.Close()
	}
	if f.pcapFile != "" {
		trace, file, err := openCapture(f.pcapFile, log)
		if err != nil {
			return exit(exitUsage, err)
		}
		defer file.Close()
		cfg.Trace = trace
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	// A front end that stops by itself ends connect with exitListen
	// rather than leave a dead port behind the ready line. (Temporary
	// accept errors, such as running out of file descriptors, are waited
	// out and never get here; a -R listener closed with its link,
	// net.ErrClosed, is opened again by the next link.)
	feDead := make(chan error, 1) // the first front end that stopped
	serve := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f()
			switch {
			case err == nil, runCtx.Err() != nil:
			case errors.Is(err, net.ErrClosed):
				log.Debug("front end closed with the link", "err", err)
			default:
				log.Error("front end stopped: ending", "err", err)
				select {
				case feDead <- fmt.Errorf("front end stopped: %w", err):
				default:
				}
				cancel()
			}
		}()
	}
	maxfail := f.maxfail
	if maxfail == 0 {
		maxfail = -1
	}
	ops, err := startOps(runCtx, out, f, f.persist, log)
	if err != nil {
		return err
	}
	defer ops.close()
	sup := gprsppp.NewSupervisor(ops.wrap(gprsppp.SupervisorConfig{
		Dial: func(ctx context.Context) (*gprsppp.Link, error) {
			if f.simulate {
				fmt.Fprintln(out, "dialing the built-in simulator")
				return dialSim(ctx, cfg, inbound, log)
			}
			fmt.Fprintf(out, "dialing %s\n", f.device)
			port, err := device.Open(ctx, cfg.Device, cfg.Port)
			if err != nil {
				return nil, &deviceError{err}
			}
			return gprsppp.DialPort(ctx, port, cfg)
		},
		Persist: f.persist, Holdoff: f.holdoff, MaxFail: maxfail, Logger: log.With(catKey, catLink),
		OnUp: func(l *gprsppp.Link) {
			for _, r := range fe.remotes {
				bind := ""
				if r.Bind.IsValid() && !r.Bind.IsUnspecified() {
					bind = r.Bind.String()
				}
				ln, err := l.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(int(r.Port))))
				if err != nil {
					log.Warn("-R: cannot listen on the link", "port", r.Port, "err", err)
					continue
				}
				serve(func() error { return forward.ServeRemote(runCtx, r, ln, fe.allow, nil, log.With(catKey, catForward)) })
			}
			fmt.Fprintf(out, "ready: address %v, DNS %v", l.LocalAddr(), l.DNSServers())
			if len(fe.ready) > 0 {
				fmt.Fprintf(out, "; %s", strings.Join(fe.ready, ", "))
			}
			fmt.Fprintln(out)
		},
	}))
	dialer := loopGuard{sup: sup, remotes: fe.remotes}
	proxyLog, forwardLog := log.With(catKey, catProxy), log.With(catKey, catForward)
	if fe.socks5 != nil {
		c := proxy.SOCKS5Config{Username: f.proxyUser, Password: proxyPassword, Dialer: dialer, Logger: proxyLog}
		serve(func() error { return proxy.ServeSOCKS5(runCtx, fe.socks5, c) })
	}
	if fe.http != nil {
		c := proxy.HTTPConfig{Username: f.proxyUser, Password: proxyPassword, Dialer: dialer, Logger: proxyLog}
		serve(func() error { return proxy.ServeHTTP(runCtx, fe.http, c) })
	}
	for _, lf := range fe.locals {
		if lf.pc != nil {
			serve(func() error { return forward.ServeLocalUDP(runCtx, lf.pc, lf.spec, dialer, forwardLog) })
		} else {
			serve(func() error { return forward.ServeLocalTCP(runCtx, lf.ln, lf.spec, dialer, forwardLog) })
		}
	}
	err = sup.Run(runCtx)
	cancel()
	fe.close()
	wg.Wait()
	ops.close() // the last link's "Connect time" line comes before "link closed"
	select {
	case dead := <-feDead:
		return exit(exitListen, dead)
	default:
	}
	if err != nil {
		return exit(classify(err), err)
	}
	fmt.Fprintln(out, "link closed")
	return nil
}

// connectConfig builds the link's configuration from the flags, reading
// the secrets from their files or the environment. The link, the modem
// dialogue and the port log in their own categories.
func connectConfig(f connectFlags, log *slog.Logger) (gprsppp.Config, error) {
	if (f.device == "") == !f.simulate {
		return gprsppp.Config{}, errors.New("name the modem with --device, or use --sim")
	}
	if err := checkSimInbound(f); err != nil {
		return gprsppp.Config{}, err
	}
	password, err := secret(f.passwordFile, "GPRSPPP_PASSWORD")
	if err != nil {
		return gprsppp.Config{}, err
	}
	pin, err := secret(f.pinFile, "GPRSPPP_PIN")
	if err != nil {
		return gprsppp.Config{}, err
	}
	if f.registerTimeout < 0 {
		return gprsppp.Config{}, fmt.Errorf("--register-timeout %v: must not be negative", f.registerTimeout)
	}
	dc := atcompat.DialConfig{APN: f.apn, PIN: pin, DialString: f.dial}
	if err := dc.Validate(); err != nil {
		return gprsppp.Config{}, err
	}
	cfg := gprsppp.Config{
		Username: f.user, Password: password,
		Device: f.device, Port: device.Options{Baud: f.baud, RTSCTS: f.rtscts, Logger: log.With(catKey, catDevice)},
		APN: f.apn, PIN: pin, DialString: f.dial, RegistrationTimeout: f.registerTimeout,
		EchoInterval: f.echoInterval, EchoFailures: f.echoFailures, EchoAdaptive: true,
		FCS32: f.fcs32, Logger: log.With(catKey, catPPP), ModemLogger: log.With(catKey, catAT),
	}
	if f.chatFile != "" {
		file, err := os.Open(f.chatFile)
		if err != nil {
			return cfg, err
		}
		defer file.Close()
		if cfg.Script, err = atcompat.ParseChatScript(file); err != nil {
			return cfg, fmt.Errorf("%s: %w", f.chatFile, err)
		}
	}
	return cfg, nil
}

// dialSim starts the built-in simulator on one end of an in-process line
// and dials it on the other; inbound, if not nil, originates connections
// toward the client (--sim-inbound). The simulator ends with the line.
func dialSim(ctx context.Context, cfg gprsppp.Config, inbound *sim.Inbound, log *slog.Logger) (*gprsppp.Link, error) {
	a, b, err := linePair()
	if err != nil {
		return nil, err
	}
	mc := simModemConfig(log)
	mc.Network.FCS32 = cfg.FCS32 // the simulated network agrees to what the client asks
	mc.Services.Inbound = inbound
	modem := sim.NewModem(mc)
	go modem.Serve(context.Background(), b)
	return gprsppp.DialPort(ctx, a, cfg)
}

// simModemConfig is the simulator's default setup: the gateway at
// 10.64.64.1 serving DNS for simName and the usual services.
func simModemConfig(log *slog.Logger) sim.ModemConfig {
	gw := netip.MustParseAddr("10.64.64.1")
	return sim.ModemConfig{
		Network:  gprsppp.NetworkConfig{LocalAddr: gw, DNS: []netip.Addr{gw}},
		Services: sim.Services{Names: map[string][]netip.Addr{simName: {gw}}},
		Logger:   log.With("side", "sim", catKey, catSim),
	}
}

package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
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
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/internal/acceptloop"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
	"github.com/spf13/cobra"
)

// shimFlags holds the shim command's own flags; the modem is named with
// connect's flags.
type shimFlags struct {
	modem          connectFlags
	listen         []string
	dialect        dialectFlag // each listener's unless its spec says ,dialect=NAME
	maxConnections int
	maxSend        int
	recvBuffer     int
	compatQISTATE  bool
	trace          shimTraceFlags
}

func newShim(g *globals) *cobra.Command {
	f := shimFlags{}
	cmd := &cobra.Command{
		Use:   "shim [NAME] --listen SPEC [--listen SPEC...] (--device DEV | --sim) [flags]",
		Short: "Present Quectel's QI* TCP/IP AT commands to legacy hosts, over this host's PPP link",
		Long: `shim lets firmware written for a Quectel GSM module's internal TCP/IP stack
(M95, M66, M26, MC60: AT+QIOPEN, AT+QISEND, AT+QIRD...) run unchanged: each
host on a --listen port sees a module of its own answering QI* commands,
while the TCP/IP runs in gprsppp's stack over the modem's PPP link.

Listeners: pty[:LINK] (a pseudo-terminal, with a stable symlink), serial:DEV[@BAUD]
(a real serial port), tcp://ADDR:PORT (each TCP client is a host).
With --sim, --sim-inbound has the simulated network open connections
toward the link's address, from a port on this host and from a source
address of its own ([bind:]port:linkport[@source]), so that a host's server
(AT+QISERVER, AT#SL, AT#LTCPSTART) and its allow-list (AT#FRWL, AT#TCPSERV)
can be tried without a network.

--dialect names the module the hosts see: m95 (the GSM modules' QI* set,
the default), bg96 (the QI* set of the BG96, BG95 and EC2x), sim800 or
sim900 (SIMCom's CIP* set), telit (#S*) or multitech (#-commands). A listener
may speak another with a suffix on its spec, ",dialect=NAME", so that one
shim serves hosts of several kinds at once; each "listening:" line names its
listener's dialect.

A tcp:// listener asks for no password: any host that reaches its port
uses the modem's connection. Keep it on 127.0.0.1 unless other hosts are
meant to; shim warns when it listens beyond this host. If a listener
stops working (other than for want of file descriptors, which it waits
out), shim ends with status 7.

Hosts see the modem as it is: until the first link is up (when shim
prints "ready"), or after dials have failed, they get the answers of a
module without network (AT+CREG? 0,2 while dialling, else 0,0; AT+CSQ
99,99; AT+CPIN? as the last dial found the SIM), and AT+QIREGAPP and
AT+QIACT fail at once. shim redials with a backoff; after --maxfail
failed dials in a row it ends with status 8 (9 for a SIM problem, which
only a missing SIM redials).

Beyond the module: received data is never dropped (each connection buffers
--recv-buffer octets, then TCP flow control holds the sender back); the
connection count and send size default to the module's limits (the M95's
6 connections, the BG96's 12; 1460-octet sends) and can be raised.` + namedHelp,
		Example: `  gprsppp shim --sim --listen pty:/tmp/ttyQUECTEL
  gprsppp shim --device /dev/ttyUSB2 --apn internet --listen serial:/dev/ttyS1@115200 --listen tcp://127.0.0.1:5000
  gprsppp shim --sim --listen pty:/tmp/ttyM95 --listen pty:/tmp/ttyBG96,dialect=bg96`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := namedArgs(cmd, args); err != nil {
				return err
			}
			if checking(cmd.Context()) {
				return checkShim(f)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			return runShim(ctx, cmd.OutOrStdout(), g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.modem.device, "device", "", "the modem's line: a serial device, unix:PATH or tcp://HOST:PORT")
	fl.IntVar(&f.modem.baud, "baud", 115200, "the modem's serial speed")
	fl.BoolVar(&f.modem.rtscts, "rtscts", false, "RTS/CTS flow control on the modem's line")
	fl.StringVar(&f.modem.apn, "apn", "", "access point name")
	fl.StringVar(&f.modem.user, "user", "", "PPP username, if the network asks")
	fl.StringVar(&f.modem.passwordFile, "password-file", "", "file holding the PPP password (or set GPRSPPP_PASSWORD)")
	fl.StringVar(&f.modem.pinFile, "pin-file", "", "file holding the SIM PIN (or set GPRSPPP_PIN)")
	fl.StringVar(&f.modem.dial, "dial", "", `dial string (default "*99***1#")`)
	fl.StringVar(&f.modem.chatFile, "chat-file", "", "chat(8)-style dial script replacing the default one")
	fl.BoolVar(&f.modem.simulate, "sim", false, "use the built-in modem simulator instead of a device")
	fl.StringArrayVar(&f.modem.simInbound, "sim-inbound", nil, "with --sim, "+inboundHelp)
	fl.DurationVar(&f.modem.holdoff, "holdoff", 5*time.Second, "pause before redialling")
	fl.IntVar(&f.modem.maxfail, "maxfail", 10, "give up after this many consecutive failed dials (0: never)")
	fl.DurationVar(&f.modem.echoInterval, "echo-interval", 30*time.Second, "LCP echo keepalive interval (0: off)")
	fl.IntVar(&f.modem.echoFailures, "echo-failures", 4, "unanswered LCP echoes that end the link")
	fl.BoolVar(&f.modem.fcs32, "fcs32", false, "ask for the 32-bit FCS (RFC 1570); most networks refuse it and FCS-16 stays")
	fl.StringArrayVar(&f.listen, "listen", nil, "where hosts connect: pty[:LINK], serial:DEV[@BAUD] or tcp://ADDR:PORT, each optionally followed by ,dialect=NAME; several pty/serial ports comma-separated in one spec are the AT ports of one module (telit); repeatable, one module each")
	fl.Var(&f.dialect, "dialect", "the module hosts see, "+strings.Join(shim.DialectNames(), " or ")+", on every --listen without its own ,dialect=NAME")
	fl.IntVar(&f.maxConnections, "max-connections", 0, "connections per host (0: the dialect's module's, 6 on the M95, 12 on the BG96)")
	fl.IntVar(&f.maxSend, "max-send", 1460, "largest AT+QISEND (the module's is 1460)")
	fl.IntVar(&f.recvBuffer, "recv-buffer", 64<<10, "octets buffered per connection before TCP flow control holds the sender")
	fl.BoolVar(&f.compatQISTATE, "compat-qistate", false, "no effect, accepted for old command lines: the BG96-style AT+QISTATE=1,<n> is always answered")
	addOpsFlags(fl, &f.modem.ops)
	addCMUXFlags(fl, &f.modem.cmux)
	fl.StringVar(&f.modem.pcapFile, "pcap", "", "write every PPP frame of the modem's link to this pcap file (LINKTYPE_PPP_WITH_DIR)")
	f.trace.register(fl)
	return cmd
}

// dialectFlag is --dialect; the zero value is the M95's.
type dialectFlag shim.Dialect

func (d *dialectFlag) String() string { return shim.Dialect(*d).String() }
func (d *dialectFlag) Type() string   { return "dialect" }

func (d *dialectFlag) Set(s string) error {
	v, err := shim.ParseDialect(s)
	if err != nil {
		return err
	}
	*d = dialectFlag(v)
	return nil
}

// shimListen is one --listen spec, parsed.
type shimListen struct {
	spec    string       // as given, options and all: the listener's name in messages
	addr    string       // the spec without its options: pty[:LINK], serial:DEV[@BAUD] or tcp://ADDR:PORT
	dialect shim.Dialect // its own ,dialect=NAME, else --dialect
	// ports are the AT ports of one module when addr names several,
	// comma-separated (pty:/tmp/mdm,pty:/tmp/mdm2); nil for one.
	ports []string
}

// splitShimPorts splits an address into the ports of one module: at each
// comma followed by a port kind (pty, serial:, tcp://), so that a comma
// inside a pty link's path stays in it.
func splitShimPorts(addr string) []string {
	var ports []string
	for _, part := range strings.Split(addr, ",") {
		kind, _, _ := strings.Cut(part, ":")
		if len(ports) == 0 || kind == "pty" || kind == "serial" || strings.HasPrefix(part, "tcp://") {
			ports = append(ports, part)
			continue
		}
		ports[len(ports)-1] += "," + part
	}
	return ports
}

// parseShimListen splits the options off a --listen spec: trailing
// ",KEY=VALUE" parts, of which the only key is dialect (a comma not
// followed by KEY= stays in the address, as a pty link's path may have
// one). A spec without its own dialect takes def.
func parseShimListen(spec string, def shim.Dialect) (shimListen, error) {
	l := shimListen{spec: spec, addr: spec, dialect: def}
	seen := false
	for {
		i := strings.LastIndexByte(l.addr, ',')
		if i < 0 {
			break
		}
		key, val, ok := strings.Cut(l.addr[i+1:], "=")
		if !ok {
			break
		}
		if key != "dialect" {
			return shimListen{}, fmt.Errorf("unknown option %q: the one option is ,dialect=%s", key, strings.Join(shim.DialectNames(), "|"))
		}
		if seen {
			return shimListen{}, errors.New("dialect given twice")
		}
		d, err := shim.ParseDialect(val)
		if err != nil {
			return shimListen{}, err
		}
		l.addr, l.dialect, seen = l.addr[:i], d, true
	}
	if ports := splitShimPorts(l.addr); len(ports) > 1 {
		for _, p := range ports {
			if strings.HasPrefix(p, "tcp://") {
				return shimListen{}, errors.New("a module of several ports takes pty and serial ports, not tcp://")
			}
		}
		if l.dialect != shim.DialectTelit {
			return shimListen{}, fmt.Errorf("dialect %s has one AT port; several ports are for telit", l.dialect)
		}
		l.ports = ports
	}
	return l, nil
}

// parseShimListens parses f's --listen specs; the error, for exitUsage,
// names the spec.
func parseShimListens(f shimFlags) ([]shimListen, error) {
	if len(f.listen) == 0 {
		return nil, errors.New("name at least one --listen")
	}
	var ls []shimListen
	for _, spec := range f.listen {
		l, err := parseShimListen(spec, shim.Dialect(f.dialect))
		if err != nil {
			return nil, fmt.Errorf("--listen %s: %w", spec, err)
		}
		ls = append(ls, l)
	}
	return ls, nil
}

// shimHosts serves hosts on the listeners until ctx ends.
type shimHosts struct {
	shim  shim.Config // each listener's shim has a copy, with the listener's dialect and logging with the host's name
	trace shimTraceFlags
	log   *slog.Logger
	wg    sync.WaitGroup
	dead  chan error // the first listener that stopped by itself; buffered
}

// serve serves one host on rw. A line (a pty or serial port) is its
// listener's only host, so when its session ends, unless ctx ended it,
// the listener is dead.
func (h *shimHosts) serve(ctx context.Context, l shimListen, rw io.ReadWriteCloser, line bool) {
	name := l.spec
	cfg := h.shim
	cfg.Dialect = l.dialect
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer rw.Close()
		stop := context.AfterFunc(ctx, func() { rw.Close() })
		defer stop()
		host := shimHostName(l.addr, rw)
		err := h.serveHost(ctx, cfg, host, rw)
		switch {
		case ctx.Err() != nil:
		case line:
			h.stopped(name, fmt.Errorf("the line's session ended: %w", cmp.Or(err, io.EOF)))
		case err != nil:
			h.log.Info("shim host ended", "listener", name, "host", host, "err", err)
		}
	}()
}

// stopped reports that the listener name stopped serving, which ends
// the shim.
func (h *shimHosts) stopped(name string, err error) {
	h.log.Error("shim: listener stopped", "listener", name, "err", err)
	select {
	case h.dead <- fmt.Errorf("--listen %s stopped: %w", name, err):
	default: // the shim is already ending
	}
}

func runShim(ctx context.Context, out io.Writer, g *globals, f shimFlags) error {
	log := g.logger(os.Stderr, f.trace.shown()...).With(catKey, catShim)
	listens, err := parseShimListens(f)
	if err != nil {
		return exit(exitUsage, err)
	}
	maxfail := f.modem.maxfail
	if maxfail == 0 {
		maxfail = -1
	}
	cfg, err := connectConfig(f.modem, log)
	if err != nil {
		return exit(exitUsage, err)
	}
	cfg.TrackUnacked = true // AT+QISACK
	inbound, err := openInbound("--sim-inbound", f.modem.simInbound, simClientAddr, log)
	if err != nil {
		return err
	}
	if inbound != nil {
		defer inbound.Close()
	}
	capture, err := startCapture(&cfg, f.modem.pcapFile, log)
	if err != nil {
		return exit(exitUsage, err)
	}
	defer capture.Close()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ops, err := startOps(runCtx, out, f.modem, true, nil, log)
	if err != nil {
		return err
	}
	defer ops.close()
	var ready sync.Once
	sup := gprsppp.NewSupervisor(ops.wrap(gprsppp.SupervisorConfig{
		Dial: func(ctx context.Context) (*gprsppp.Link, error) {
			if f.modem.simulate {
				return dialSim(ctx, cfg, inbound, log)
			}
			return gprsppp.Dial(ctx, cfg)
		},
		Persist: true, Holdoff: f.modem.holdoff, MaxFail: maxfail, Logger: log.With(catKey, catLink),
		OnUp: func(l *gprsppp.Link) {
			fmt.Fprintf(out, "link up: address %v, DNS %v%s\n", l.LocalAddr(), l.DNSServers(), modemNote(l))
			ready.Do(func() { fmt.Fprintln(out, "ready") }) // the modem is, at last
		},
	}))
	hosts := &shimHosts{log: log, dead: make(chan error, 1), trace: f.trace, shim: shim.Config{
		Backend:       &gprsppp.ShimBackend{Supervisor: sup},
		Profile:       shim.Profile{MaxConnections: f.maxConnections, MaxSend: f.maxSend, RecvBuffer: f.recvBuffer},
		CompatQISTATE: f.compatQISTATE,
	}}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, l := range listens {
		c, desc, err := openShimListener(runCtx, l, hosts, log)
		if err != nil {
			return exit(exitListen, fmt.Errorf("--listen %s: %w", l.spec, err))
		}
		closers = append(closers, c)
		fmt.Fprintf(out, "listening: %s\n", desc)
	}
	supDone := make(chan error, 1)
	go func() { supDone <- sup.Run(runCtx) }()
	var dead, gaveUp error
	select {
	case <-ctx.Done():
	case dead = <-hosts.dead:
	case gaveUp = <-supDone: // --maxfail dials failed, or the SIM needs a person
		supDone <- gaveUp
	}
	cancel()
	for _, c := range closers {
		c.Close()
	}
	closers = nil
	hosts.wg.Wait()
	<-supDone
	ops.close()
	if dead != nil {
		return exit(exitListen, dead)
	}
	if gaveUp != nil {
		return exit(classify(gaveUp), gaveUp)
	}
	return nil
}

// openShimListener opens one --listen spec and serves its hosts. It
// returns what closes the listener and its description for the
// "listening:" line: its kind, where it is, and in parentheses its pty's
// link, if any, and its dialect ("pty /dev/pts/5 (/tmp/ttyM95, m95)").
func openShimListener(ctx context.Context, l shimListen, h *shimHosts, log *slog.Logger) (io.Closer, string, error) {
	if l.ports != nil {
		return openShimModule(ctx, l, h, log)
	}
	spec := l.spec
	kind, arg, _ := strings.Cut(l.addr, ":")
	switch {
	case kind == "pty":
		p, err := sim.ListenPty(arg)
		if err != nil {
			return nil, "", err
		}
		desc := "pty " + p.Path() + " (" + l.dialect.String() + ")"
		if p.Link() != "" {
			desc = "pty " + p.Path() + " (" + p.Link() + ", " + l.dialect.String() + ")"
		}
		h.serve(ctx, l, p, true)
		return p, desc, nil
	case kind == "serial":
		dev, _, _ := strings.Cut(arg, "@")
		port, err := openShimSerial(ctx, arg, log)
		if err != nil {
			return nil, "", err
		}
		h.serve(ctx, l, port, true)
		return port, "serial " + dev + " (" + l.dialect.String() + ")", nil
	case strings.HasPrefix(l.addr, "tcp://"):
		ln, err := net.Listen("tcp", strings.TrimPrefix(l.addr, "tcp://"))
		if err != nil {
			return nil, "", err
		}
		if ap, err := netip.ParseAddrPort(ln.Addr().String()); err == nil && !ap.Addr().IsLoopback() {
			log.Warn("shim: --listen "+spec+" listens beyond this host without authentication: anyone who reaches it uses your link", "addr", ln.Addr())
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			// runShim closes ln after ending ctx.
			loop := acceptloop.Config{Name: "shim: --listen " + spec, Logger: log}
			err := acceptloop.Serve(ctx, loop, ln.Accept, func(c net.Conn) { h.serve(ctx, l, c, false) })
			if err != nil {
				h.stopped(spec, err)
			}
		}()
		return ln, "tcp " + ln.Addr().String() + " (" + l.dialect.String() + ")", nil
	}
	return nil, "", fmt.Errorf("want pty[:LINK], serial:DEV[@BAUD] or tcp://ADDR:PORT")
}

// openShimModule opens the ports of a module of several AT ports (a
// --listen spec naming them comma-separated) and serves them as one
// module sharing its sockets.
func openShimModule(ctx context.Context, l shimListen, h *shimHosts, log *slog.Logger) (io.Closer, string, error) {
	var rws []io.ReadWriteCloser
	var descs []string
	for _, addr := range l.ports {
		one := shimListen{spec: l.spec, addr: addr, dialect: l.dialect}
		rw, desc, err := openShimLine(ctx, one, log)
		if err != nil {
			for _, c := range rws {
				c.Close()
			}
			return nil, "", fmt.Errorf("%s: %w", addr, err)
		}
		rws, descs = append(rws, rw), append(descs, desc)
	}
	h.serveModule(ctx, l, rws)
	return shimClosers(rws), "module of " + strings.Join(descs, " and ") + " (" + l.dialect.String() + ")", nil
}

// openShimLine opens one pty or serial port of a module.
func openShimLine(ctx context.Context, l shimListen, log *slog.Logger) (io.ReadWriteCloser, string, error) {
	kind, arg, _ := strings.Cut(l.addr, ":")
	switch kind {
	case "pty":
		p, err := sim.ListenPty(arg)
		if err != nil {
			return nil, "", err
		}
		if p.Link() != "" {
			return p, "pty " + p.Path() + " (" + p.Link() + ")", nil
		}
		return p, "pty " + p.Path(), nil
	case "serial":
		dev, _, _ := strings.Cut(arg, "@")
		port, err := openShimSerial(ctx, arg, log)
		if err != nil {
			return nil, "", err
		}
		return port, "serial " + dev, nil
	}
	return nil, "", fmt.Errorf("want pty[:LINK] or serial:DEV[@BAUD]")
}

// shimClosers closes several ports.
type shimClosers []io.ReadWriteCloser

func (cs shimClosers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// serveModule serves the ports of one module; like a line, when its
// session ends, unless ctx ended it, the listener is dead.
func (h *shimHosts) serveModule(ctx context.Context, l shimListen, rws []io.ReadWriteCloser) {
	cfg := h.shim
	cfg.Dialect = l.dialect
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		defer shimClosers(rws).Close()
		stop := context.AfterFunc(ctx, func() { shimClosers(rws).Close() })
		defer stop()
		var names []string
		ports := make([]io.ReadWriter, len(rws))
		for i, rw := range rws {
			names = append(names, shimHostName(l.ports[i], rw))
			ports[i] = h.traced(rw, names[i])
		}
		cfg.Logger = h.log.With("host", strings.Join(names, ","))
		err := shim.New(cfg).ServePorts(ctx, ports...)
		if ctx.Err() == nil {
			h.stopped(l.spec, fmt.Errorf("the module's session ended: %w", cmp.Or(err, io.EOF)))
		}
	}()
}

// openShimSerial opens a serial: listener's DEV[@BAUD].
func openShimSerial(ctx context.Context, arg string, log *slog.Logger) (device.Port, error) {
	dev, baud, hasBaud := strings.Cut(arg, "@")
	opt := device.Options{Logger: log.With(catKey, catDevice)}
	if hasBaud {
		b, err := strconv.Atoi(baud)
		if err != nil {
			return nil, fmt.Errorf("bad baud rate %q", baud)
		}
		opt.Baud = b
	}
	return device.Open(ctx, dev, opt)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/sim"
	"github.com/spf13/cobra"
)

// connectFlags holds the connect command's flags.
type connectFlags struct {
	device, apn, user, passwordFile, pinFile, dial, chatFile string
	pdpType                                                  string
	baud, lineRate                                           int
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
	tun                                                      tunFlags
	cmux                                                     cmuxFlags
}

func newConnect(g *globals) *cobra.Command {
	var f connectFlags
	cmd := &cobra.Command{
		Use:   "connect [NAME] [flags]",
		Short: "Dial a modem and give this host a userspace network over it (SOCKS5, HTTP proxy, forwards)",
		Long: `connect opens the modem, runs the AT dial script, brings PPP up and
serves the link's own TCP/IP stack to this host: a SOCKS5 proxy, an HTTP
proxy, local port forwards (-L) and inbound forwards from the link (-R).
No kernel PPP and no root are needed. With --tun NAME (Linux, with
CAP_NET_ADMIN) the link also reaches this host's own programs, unmodified,
through a TUN interface: it gets the link's address, point to point with
the network's, and the negotiated MTU; it is set down (its addresses
removed) while the link is away, up again with the next link's address,
and removed at exit. The proxies and forwards keep working beside it.
With --sim, --sim-inbound has the
simulated network open connections toward the link's address, from a
port on this host, so that -R can be tried without a network.

Secrets never go on the command line: the PPP password comes from
--password-file or GPRSPPP_PASSWORD, the SIM PIN from --pin-file or
GPRSPPP_PIN, the proxies' password from --proxy-password-file or
GPRSPPP_PROXY_PASSWORD.

SIGTERM and SIGHUP end the link as Ctrl-C does, even with --persist
(where pppd would redial on SIGHUP).

Exit status: 0 after Ctrl-C, SIGTERM or SIGHUP (the link is terminated
and the modem hung up); 1 bad flags or files; 2 the device could not be
opened (missing, in use or not permitted); 3 the modem's dial script
failed; 4 PPP negotiation failed (or the line is looped back); 5
authentication failed; 6 the link ended (peer, carrier or keepalive)
without --persist; 7 a listener could not be opened, or stopped working;
8 --persist gave up after --maxfail failed dials; 9 a SIM problem, which
--persist does not redial but for a missing SIM: no SIM, no PIN
(--pin-file or GPRSPPP_PIN) or a wrong one (never sent twice), one PIN
attempt left (enter it by hand with gprsppp at), or the PUK needed.

"--socks5 ADDR" written with a space: ADDR, a PORT or HOST:PORT, is the
SOCKS5 address; any other argument is NAME ("--socks5=ADDR" is never in
doubt).` + namedHelp,
		Example: `  gprsppp connect --sim --socks5
  gprsppp connect --device /dev/ttyUSB2 --apn internet --socks5 --http-proxy 127.0.0.1:8080
  gprsppp connect --device /dev/ttyUSB2 --apn iot -L 8022:10.0.0.5:22 -R 2222:127.0.0.1:22 --allow 10.0.0.0/8 --persist
  gprsppp connect office --persist=false
  gprsppp connect --device /dev/ttyUSB2 --apn internet --tun gprs0 --tun-default-route --persist`,
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
	fl.IntVar(&f.lineRate, "line-rate", 0, "octets a second the line carries toward this host, where known (a 115200 bit/s serial line: 11520); keeps the network's queue short through the receive windows of TCP connections, the serial driver's to 20 ms of line time, and on slow lines clamps TCP's MSS (0: unknown, no such control)")
	fl.BoolVar(&f.rtscts, "rtscts", false, "use RTS/CTS hardware flow control")
	fl.StringVar(&f.apn, "apn", "", "access point name (AT+CGDCONT); empty keeps the modem's")
	fl.StringVar(&f.pdpType, "pdp-type", "IP", "PDP type written with --apn: IP, IPV6 or IPV4V6 (dual stack); it chooses IPCP, IPv6CP or both")
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
	addTUNFlags(fl, &f.tun)
	addCMUXFlags(fl, &f.cmux)
	return cmd
}

// defaultSOCKS5 is where --socks5 listens when given no address.
const defaultSOCKS5 = "127.0.0.1:1080"

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
	if f.socks5 == "" && f.httpProxy == "" && len(f.locals) == 0 && len(f.remotes) == 0 && f.tun.name == "" {
		log.Warn("no front end: the link comes up, but nothing on this host can use it; add --socks5, --http-proxy, -L, -R or --tun")
	}
	fe, err := openFrontEnds(f, log, f.proxyUser != "")
	if err != nil {
		return err
	}
	defer fe.close()
	host, err := openTUN(f.tun, log)
	if err != nil {
		return err
	}
	if host != nil {
		defer host.Close()
		fe.ready = append(fe.ready, "tun "+host.Name())
	}
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

	group := newFrontEndGroup(ctx, log)
	defer group.cancel()
	runCtx := group.ctx
	maxfail := f.maxfail
	if maxfail == 0 {
		maxfail = -1
	}
	ops, err := startOps(runCtx, out, f, f.persist, host, log)
	if err != nil {
		return err
	}
	defer ops.close()
	ops.queueReport = g.verbose
	sup := gprsppp.NewSupervisor(ops.wrap(gprsppp.SupervisorConfig{
		Dial:    dialFunc(out, f.simulate, cfg, inbound, log),
		Persist: f.persist, Holdoff: f.holdoff, MaxFail: maxfail, Logger: log.With(catKey, catLink),
		OnUp: func(l *gprsppp.Link) {
			attachTUN(host, l, log)
			group.serveRemotes(l, fe)
			go printIPv6(out, l, printReady(out, l, fe))
		},
	}))
	group.serveHost(fe, loopGuard{sup: sup, remotes: fe.remotes}, f.proxyUser, proxyPassword)
	err = sup.Run(runCtx)
	dead := group.stop(fe)
	ops.close() // the last link's "Connect time" line comes before "link closed"
	if dead != nil {
		return exit(exitListen, dead)
	}
	if err != nil {
		return exit(classify(err), err)
	}
	fmt.Fprintln(out, "link closed")
	return nil
}

// dialFunc returns the Supervisor's dial: the modem named in cfg, or the
// built-in simulator. A failure to open the modem's line is a
// *deviceError, so that it exits with exitDevice.
func dialFunc(out io.Writer, simulate bool, cfg gprsppp.Config, inbound *sim.Inbound, log *slog.Logger) func(context.Context) (*gprsppp.Link, error) {
	return func(ctx context.Context) (*gprsppp.Link, error) {
		if simulate {
			fmt.Fprintln(out, "dialing the built-in simulator")
			return dialSim(ctx, cfg, inbound, log)
		}
		fmt.Fprintf(out, "dialing %s\n", cfg.Device)
		port, err := device.Open(ctx, cfg.Device, cfg.Port)
		if err != nil {
			return nil, &deviceError{err}
		}
		return gprsppp.DialPort(ctx, port, cfg)
	}
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
	if err := f.tun.check(); err != nil {
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
	pdpType, err := gprsppp.ParsePDPType(f.pdpType)
	if err != nil {
		return gprsppp.Config{}, fmt.Errorf("--pdp-type: %w", err)
	}
	if f.lineRate < 0 {
		return gprsppp.Config{}, fmt.Errorf("--line-rate %d: must not be negative", f.lineRate)
	}
	dc := dialer.DialConfig{APN: f.apn, PDPType: pdpType, PIN: pin, DialString: f.dial}
	if err := dc.Validate(); err != nil {
		return gprsppp.Config{}, err
	}
	cfg := gprsppp.Config{
		Username: f.user, Password: password,
		Device: f.device, Port: device.Options{Baud: f.baud, RTSCTS: f.rtscts, Logger: log.With(catKey, catDevice)},
		APN: f.apn, PDPType: pdpType, PIN: pin, DialString: f.dial, RegistrationTimeout: f.registerTimeout,
		EchoInterval: f.echoInterval, EchoFailures: f.echoFailures, EchoAdaptive: true,
		FCS32: f.fcs32, Logger: log.With(catKey, catPPP), ModemLogger: log.With(catKey, catAT),
		LineRate: f.lineRate,
	}
	if err := f.cmux.apply(&cfg); err != nil {
		return cfg, err
	}
	if f.chatFile != "" {
		file, err := os.Open(f.chatFile)
		if err != nil {
			return cfg, err
		}
		defer file.Close()
		if cfg.Script, err = dialer.ParseChatScript(file); err != nil {
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
		Network:  gprsppp.NetworkConfig{LocalAddr: gw, DNS: []netip.Addr{gw}, IPv6: simIPv6()},
		Services: sim.Services{Names: map[string][]netip.Addr{simName: {gw, simIPv6Addr}}},
		Logger:   log.With(catKey, catSim),
	}
}

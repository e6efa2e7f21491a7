package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/sim"
	"github.com/spf13/cobra"
)

// simPasswordEnv holds the PPP password when --password-file is not given.
const simPasswordEnv = "GPRSPPP_SIM_PASSWORD"

// simOptions are the flags of "gprsppp sim".
type simOptions struct {
	link              string
	pin               string
	registrationDelay time.Duration
	dialResult        string
	dropAfter         time.Duration
	auth              string
	user              string
	passwordFile      string
	baud              int
	latency           time.Duration
	downlinkBuffer    time.Duration
	forwardLoopback   bool
	fcs32             bool
	ipv6              bool
	localIP, remoteIP string
	dns               []string
	inbound           []string
}

func newSim(g *globals) *cobra.Command { return newSimCommand(g, new(simOptions)) }

// newSimCommand returns the command with its flags bound to o.
func newSimCommand(g *globals, o *simOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Simulate a cellular modem and its network on a pseudo-terminal",
		Long: `sim plays a cellular modem on a pseudo-terminal: it answers AT commands
(PIN, registration, PDP contexts, signal quality, ...) and, on a packet data
dial (ATD*99***1#, ATD*99# or AT+CGDATA="PPP",1), answers CONNECT and runs
the network side of PPP with an operator's services behind it: DNS, TCP and
UDP echo (7), discard (9) and HTTP (80, with /pattern.bin). When the call
ends it reports NO CARRIER and takes AT commands again. AT+CMUX=0 turns the
line into a 3GPP TS 27.010 multiplexer (basic option) with a modem on each
channel the client opens, as connect --cmux uses it: AT on DLCI 1, PPP on
DLCI 2; CLD or DISC on DLCI 0 returns it to AT commands.

--inbound lets the network reach the client's listening sockets: each
connection to a port on this host is opened, during a call, by the
network side to a port on the client's address (AT+QISERVER, connect -R)
and relayed both ways.

It prints the pseudo-terminal's path ("pty PATH", and "link PATH" with
--link), "inbound SPEC" for each --inbound, then "ready", and serves until
interrupted. The PPP password is read from --password-file or the
` + simPasswordEnv + ` environment variable, never from the command line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runSim(ctx, cmd.OutOrStdout(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.link, "link", "", "also make a symbolic link to the pseudo-terminal at `PATH`")
	f.StringVar(&o.pin, "pin", "", "lock the SIM with this PIN")
	f.BoolVar(&o.fcs32, "fcs32", false, "agree to the 32-bit FCS when the client asks for it (RFC 1570)")
	f.BoolVar(&o.ipv6, "ipv6", false, "offer IPv6 too: IPv6CP (the client's identifier ::2), router advertisements of 2001:db8:64::/64 with RDNSS, the services on 2001:db8:64::1; contexts of PDP type IPV6 or IPV4V6 get it")
	f.DurationVar(&o.registrationDelay, "registration-delay", 0, "search for the network this long before registering")
	f.StringVar(&o.dialResult, "dial-result", "", `make every dial fail with "NO CARRIER", "ERROR", "BUSY", "NO ANSWER" or "NO DIALTONE"`)
	f.DurationVar(&o.dropAfter, "drop-after", 0, "drop each call this long after CONNECT, as a radio loss does")
	f.StringVar(&o.auth, "auth", "none", "authentication the client must pass: none, pap or chap")
	f.StringVar(&o.user, "user", "user", "the client's PPP user name, with --auth")
	f.StringVar(&o.passwordFile, "password-file", "", "read the client's PPP password from `FILE`, with --auth")
	f.IntVar(&o.baud, "baud", 0, "serial line speed in bit/s, 10 bits a byte (0: as fast as possible)")
	f.DurationVar(&o.latency, "latency", 0, "delay each byte this long in each direction")
	f.DurationVar(&o.downlinkBuffer, "downlink-buffer", 4*time.Second, "with --baud, the network's drop-tail queue toward the client, in line time (0: a 4 KiB buffer that blocks)")
	f.BoolVar(&o.forwardLoopback, "forward-loopback", false, "relay the client's TCP connections to other ports and addresses to the same port on 127.0.0.1")
	f.StringVar(&o.localIP, "local-ip", "10.64.64.1", "the network side's address")
	f.StringVar(&o.remoteIP, "remote-ip", "10.64.64.2", "the address given to the client")
	f.StringSliceVar(&o.dns, "dns", nil, "DNS servers offered to the client (default: the network side's address)")
	f.StringArrayVar(&o.inbound, "inbound", nil, inboundHelp)
	return cmd
}

func runSim(ctx context.Context, out io.Writer, g *globals, o *simOptions) error {
	log := g.logger(os.Stderr)
	cfg, err := o.modemConfig(os.Getenv(simPasswordEnv))
	if err != nil {
		return err
	}
	cfg.Logger = log.With(catKey, catSim)
	inbound, err := openInbound("--inbound", o.inbound, cfg.Network.PeerAddr, log)
	if err != nil {
		return err
	}
	if inbound != nil {
		defer inbound.Close()
		cfg.Services.Inbound = inbound
	}
	p, err := sim.ListenPty(o.link)
	if err != nil {
		return err
	}
	defer p.Close()
	fmt.Fprintf(out, "pty %s\n", p.Path())
	if o.link != "" {
		fmt.Fprintf(out, "link %s\n", p.Link())
	}
	for _, s := range o.inbound {
		fmt.Fprintf(out, "inbound %s\n", s)
	}
	fmt.Fprintln(out, "ready")
	var line io.ReadWriteCloser = p
	if o.baud > 0 || o.latency > 0 {
		line = sim.PaceLine(p, sim.LineConfig{BitsPerSecond: o.baud, Latency: o.latency, TxBuffer: o.downlinkBuffer, Logger: cfg.Logger})
	}
	err = sim.NewModem(cfg).Serve(ctx, line)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// modemConfig turns the flags into the modem's configuration. password
// is the environment's, used when there is no --password-file.
func (o *simOptions) modemConfig(password string) (sim.ModemConfig, error) {
	var cfg sim.ModemConfig
	local, err := netip.ParseAddr(o.localIP)
	if err != nil || !local.Is4() {
		return cfg, fmt.Errorf("--local-ip: not an IPv4 address: %q", o.localIP)
	}
	remote, err := netip.ParseAddr(o.remoteIP)
	if err != nil || !remote.Is4() {
		return cfg, fmt.Errorf("--remote-ip: not an IPv4 address: %q", o.remoteIP)
	}
	dns := []netip.Addr{local}
	if len(o.dns) > 0 {
		dns = dns[:0]
	}
	for _, s := range o.dns {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return cfg, fmt.Errorf("--dns: not an IPv4 address: %q", s)
		}
		dns = append(dns, a)
	}
	switch r := strings.ToUpper(o.dialResult); r {
	case "", "CONNECT", "NO CARRIER", "ERROR", "BUSY", "NO ANSWER", "NO DIALTONE":
	default:
		return cfg, fmt.Errorf("--dial-result: unknown result code %q", o.dialResult)
	}
	if o.baud < 0 {
		return cfg, fmt.Errorf("--baud: negative speed %d", o.baud)
	}
	if o.downlinkBuffer < 0 {
		return cfg, fmt.Errorf("--downlink-buffer: negative duration %v", o.downlinkBuffer)
	}
	cfg = sim.ModemConfig{
		PIN:               o.pin,
		RegistrationDelay: o.registrationDelay,
		DialResult:        o.dialResult,
		DropAfter:         o.dropAfter,
		Network:           gprsppp.NetworkConfig{LocalAddr: local, PeerAddr: remote, DNS: dns, FCS32: o.fcs32},
		Services:          sim.Services{Names: map[string][]netip.Addr{simName: {local}}},
	}
	if o.baud > 0 {
		cfg.ConnectSpeed = strconv.Itoa(o.baud)
		// The paced line's rate toward the network side, 10 bits an
		// octet: its stack keeps the client's uploads in flight short.
		cfg.Network.LineRate = o.baud / 10
	}
	if o.ipv6 {
		cfg.Network.IPv6 = simIPv6()
		cfg.Services.Names[simName] = append(cfg.Services.Names[simName], simIPv6Addr)
	}
	if err := o.authentication(&cfg.Network, password); err != nil {
		return cfg, err
	}
	if o.forwardLoopback {
		cfg.Network.Forward = forwardLoopback
	}
	return cfg, nil
}

// authentication sets the protocol and the secret the client must pass.
func (o *simOptions) authentication(n *gprsppp.NetworkConfig, password string) error {
	switch strings.ToLower(o.auth) {
	case "", "none":
		return nil
	case "pap":
		n.Auth = ppp.ProtocolPAP
	case "chap":
		n.Auth = ppp.ProtocolCHAP
	default:
		return fmt.Errorf("--auth: want none, pap or chap, not %q", o.auth)
	}
	if o.passwordFile != "" {
		b, err := os.ReadFile(o.passwordFile)
		if err != nil {
			return fmt.Errorf("--password-file: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	if password == "" {
		return fmt.Errorf("--auth %s needs a password: --password-file or $%s", o.auth, simPasswordEnv)
	}
	n.Secrets = map[string]string{o.user: password}
	return nil
}

// forwardLoopback relays a connection the client opens to dst, where the
// network side has no service, to the same port on the host's loopback.
func forwardLoopback(ctx context.Context, dst netip.AddrPort) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(dst.Port()))))
}

package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/gprsppp/gprsppp/internal/hook"
	"github.com/gprsppp/gprsppp/internal/linkmetrics"
	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/gprsppp/gprsppp/internal/sdnotify"
	"github.com/spf13/pflag"
)

// opsFlags are the operations flags of connect and shim: the link's
// name, metrics and scripts.
type opsFlags struct {
	name, metrics, upScript, downScript string
}

func addOpsFlags(fl *pflag.FlagSet, f *opsFlags) {
	fl.StringVar(&f.name, "name", "", `the link's name, for "gprsppp status NAME" (default: the named configuration's, else the device's base name, or "sim")`)
	fl.StringVar(&f.metrics, "metrics", "", "serve Prometheus metrics on http://HOST:PORT/metrics, or PORT on 127.0.0.1")
	fl.StringVar(&f.upScript, "up-script", "", "run this program each time a link comes up, as pppd runs ip-up (see docs/service.md)")
	fl.StringVar(&f.downScript, "down-script", "", "run this program each time a link goes down, as pppd runs ip-down")
}

// linkName is the --name given, or one made from the device.
func linkName(f connectFlags) (string, error) {
	if f.ops.name != "" {
		if !control.ValidName(f.ops.name) {
			return "", fmt.Errorf("--name %q: use 1 to 64 letters, digits, '.', '_', '-' or '@', not starting with '.'", f.ops.name)
		}
		return f.ops.name, nil
	}
	if f.simulate {
		return "sim", nil
	}
	return control.NameFrom(filepath.Base(strings.TrimPrefix(f.device, "unix:"))), nil
}

// ops runs what watches a connect or shim from outside: the link's
// status, its control socket, metrics, scripts and systemd notices.
type ops struct {
	name, device string
	persist      bool
	out          io.Writer
	log          *slog.Logger
	tracker      *linkstate.Tracker
	hooks        *hook.Runner // nil without scripts
	up, down     string       // the scripts
	notify       *sdnotify.Notifier
	readyOnce    sync.Once
	socket       string // the control socket's path, if serving
	// queueReport has each link that ends report its output queue's
	// figures after the connect time (connect -v); set before the link
	// is dialled.
	queueReport bool

	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// startOps starts the operations side of a connect or shim whose output
// is out, and whose TUN interface is tun (nil without one). Its errors
// carry an exit status.
func startOps(ctx context.Context, out io.Writer, f connectFlags, persist bool, tun *gprsppp.TUN, log *slog.Logger) (*ops, error) {
	name, err := linkName(f)
	if err != nil {
		return nil, exit(exitUsage, err)
	}
	var metrics net.Listener
	if f.ops.metrics != "" {
		addr, err := listenAddr(f.ops.metrics)
		if err != nil {
			return nil, exit(exitUsage, fmt.Errorf("--metrics %w", err))
		}
		if metrics, err = net.Listen("tcp", addr); err != nil {
			return nil, exit(exitListen, listenError("metrics", err))
		}
	}
	device := f.device
	if f.simulate {
		device = "sim"
	}
	ctx, cancel := context.WithCancel(ctx)
	o := &ops{name: name, device: device, persist: persist, out: out, log: log,
		up: f.ops.upScript, down: f.ops.downScript, notify: sdnotify.New(os.Getenv), cancel: cancel}
	cfg := linkstate.Config{Name: name, Device: device, Persist: persist, OnEvent: o.event,
		PID: os.Getpid(), ATChannel: f.cmux.on}
	if tun != nil { // not a nil *TUN in the interface
		cfg.TUN = tun
	}
	o.tracker = linkstate.New(cfg)
	if o.up != "" || o.down != "" {
		o.hooks = hook.Start(hook.Config{Logger: log})
	}
	if metrics != nil {
		o.serveMetrics(ctx, metrics)
	}
	o.serveControl(ctx)
	if d, ok := sdnotify.WatchdogInterval(os.Getenv, os.Getpid()); ok {
		o.wg.Go(func() { o.notify.RoutineWatchdog(ctx, d, o.healthy) })
	}
	return o, nil
}

// wrap has the status follow the supervisor configured by cfg.
func (o *ops) wrap(cfg gprsppp.SupervisorConfig) gprsppp.SupervisorConfig {
	return o.tracker.Wrap(cfg)
}

// healthy is the watchdog's test: the tracker answers.
func (o *ops) healthy() bool {
	o.tracker.Status()
	return true
}

// serveControl opens the control socket and answers on it. A socket
// that cannot open costs only "gprsppp status": a warning says why.
func (o *ops) serveControl(ctx context.Context) {
	dir, err := control.Dir(os.Getenv, os.Geteuid())
	if err != nil {
		o.log.Warn("no control socket: gprsppp status will not see this link", "err", err)
		return
	}
	path := filepath.Join(dir, o.name+control.Suffix)
	ln, err := control.Listen(path)
	if err != nil {
		hint := ""
		if errors.Is(err, control.ErrInUse) {
			hint = "; give this one another --name"
		}
		o.log.Warn("no control socket: gprsppp status will not see this link"+hint, "err", err)
		return
	}
	o.socket = path
	handlers := map[string]control.Handler{"status": func() (any, error) { return o.tracker.Status(), nil }}
	withArg := map[string]control.ArgHandler{"at": answerAT(o.tracker)}
	o.wg.Go(func() {
		if err := control.ServeArgs(ctx, ln, handlers, withArg, o.log); err != nil {
			o.log.Warn("control socket stopped", "err", err)
		}
	})
}

// serveMetrics serves /metrics on ln until ctx ends.
func (o *ops) serveMetrics(ctx context.Context, ln net.Listener) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", linkmetrics.Handler(o.tracker.Status, o.name))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(o.log.Handler(), slog.LevelDebug)}
	o.wg.Go(func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			o.log.Warn("metrics server stopped", "err", err)
		}
	})
	o.wg.Go(func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	})
}

// close waits for the last link's report and its down script, then
// stops the control socket and the metrics. Call it once the
// supervisor's Run has returned; it is idempotent.
func (o *ops) close() {
	o.closeOnce.Do(func() {
		o.tracker.Close()
		if o.hooks != nil {
			o.hooks.Close()
		}
		o.notify.Notify("STOPPING=1")
		o.cancel()
		o.wg.Wait()
	})
}

// event acts on one change of the link.
func (o *ops) event(ev linkstate.Event) {
	st := ev.Status
	switch ev.Kind {
	case linkstate.EventDialing:
		s := "dialing " + o.device
		if st.Redials > 0 {
			s = fmt.Sprintf("redialling %s (redial %d)", o.device, st.Redials)
		}
		o.status(s)
	case linkstate.EventDialFailed:
		o.status("dial failed: " + ev.Err.Error() + o.next())
	case linkstate.EventUp:
		o.readyOnce.Do(func() { o.notify.Notify("READY=1") })
		o.status("up: " + addrSummary(st))
		if o.up != "" {
			o.hooks.Run(o.up, o.scriptArgs(st), o.scriptEnv(ev))
		}
	case linkstate.EventChanged:
		// A router advertisement (or a renegotiation) changed the
		// addresses: the up script runs again, told so by
		// GPRSPPP_EVENT=change, since the IPv6 global address normally
		// arrives only after the link is up.
		o.status("up: " + addrSummary(st))
		if o.up != "" {
			o.hooks.Run(o.up, o.scriptArgs(st), o.scriptEnv(ev))
		}
	case linkstate.EventDown:
		fmt.Fprintln(o.out, connectTime(ev.Duration, ev.Stats))
		if o.queueReport {
			fmt.Fprintln(o.out, queueFigures(ev.Stats))
		}
		reason := "link down"
		if ev.Err != nil {
			reason += ": " + ev.Err.Error()
		}
		o.status(reason + o.next())
		if o.down != "" {
			o.hooks.Run(o.down, o.scriptArgs(st), o.scriptEnv(ev))
		}
	}
}

// next says what follows a failure.
func (o *ops) next() string {
	if o.persist {
		return "; redialling after the hold-off"
	}
	return ""
}

func (o *ops) status(s string) {
	if err := o.notify.Notify("STATUS=" + s); err != nil {
		o.log.Debug("sd_notify", "err", err)
	}
}

// connectTime is pppd's summary of a link that ended, on one line.
func connectTime(d time.Duration, s gprsppp.Stats) string {
	tenths := (int64(d.Seconds()) + 5) / 6 // tenths of a minute, rounded as pppd does
	return fmt.Sprintf("Connect time %d.%d minutes. Sent %d bytes, received %d bytes.",
		tenths/10, tenths%10, s.OctetsOut, s.OctetsIn)
}

// queueFigures is what the output queue did to a link's IPv4 packets,
// on one line: those dropped because the queue was full or they waited
// past its limit, those CoDel dropped, the pure ACKs a newer one
// replaced, and the longest a packet sent waited.
func queueFigures(s gprsppp.Stats) string {
	return fmt.Sprintf("Output queue: %d packets dropped full or late, %d by CoDel, %d ACKs filtered; peak queue delay %d ms.",
		s.QueueDrops, s.CodelDrops, s.ACKsFiltered, s.PeakQueueDelay.Milliseconds())
}

// scriptArgs are pppd's ip-up arguments: interface, device, speed, local
// and remote addresses, ipparam. The link's name stands for the
// interface, which a userspace link has none of.
func (o *ops) scriptArgs(st linkstate.Status) []string {
	return []string{o.name, o.device, st.Speed, addrText(st.Address), addrText(st.Peer), ""}
}

// scriptEnv is the environment of the scripts: pppd's variables, and
// ours with a GPRSPPP_ prefix.
func (o *ops) scriptEnv(ev linkstate.Event) []string {
	st := ev.Status
	env := []string{
		"LINKNAME=" + o.name, "DEVICE=" + o.device, "SPEED=" + st.Speed,
		"IPLOCAL=" + addrText(st.Address), "IPREMOTE=" + addrText(st.Peer),
		"GPRSPPP_NAME=" + o.name, "GPRSPPP_PID=" + strconv.Itoa(os.Getpid()),
		"GPRSPPP_SIGNAL=" + st.Signal, "GPRSPPP_REGISTRATION=" + st.Registration,
	}
	for i, a := range st.DNS[:min(2, len(st.DNS))] {
		env = append(env, fmt.Sprintf("DNS%d=%v", i+1, a))
	}
	env = append(env, ipv6Env(st)...)
	if o.socket != "" {
		env = append(env, "GPRSPPP_SOCKET="+o.socket)
	}
	switch ev.Kind {
	case linkstate.EventUp:
		return append(env, "GPRSPPP_EVENT=up")
	case linkstate.EventChanged:
		return append(env, "GPRSPPP_EVENT=change")
	}
	reason := ""
	if ev.Err != nil {
		reason = ev.Err.Error()
	}
	return append(env, "GPRSPPP_EVENT=down", "GPRSPPP_REASON="+reason,
		"CONNECT_TIME="+strconv.FormatInt(int64(ev.Duration.Seconds()), 10),
		"BYTES_SENT="+strconv.FormatUint(ev.Stats.OctetsOut, 10),
		"BYTES_RCVD="+strconv.FormatUint(ev.Stats.OctetsIn, 10))
}

// ipv6Env is the IPv6 part of the scripts' environment: pppd's
// ipv6-up variables LLLOCAL and LLREMOTE (the link-local addresses from
// IPv6CP), and ours: the global addresses SLAAC formed and the DNS
// servers router advertisements gave, each space-separated. Empty
// values without IPv6.
func ipv6Env(st linkstate.Status) []string {
	var local netip.Addr
	var global []string
	for _, a := range st.IPv6 {
		if a.IsLinkLocalUnicast() {
			local = a
		} else {
			global = append(global, a.String())
		}
	}
	var dns []string
	for _, a := range st.IPv6DNS {
		dns = append(dns, a.String())
	}
	return []string{
		"LLLOCAL=" + addrText(local), "LLREMOTE=" + addrText(st.IPv6Peer),
		"GPRSPPP_IPV6_GLOBAL=" + strings.Join(global, " "), "GPRSPPP_IPV6_DNS=" + strings.Join(dns, " "),
	}
}

// addrSummary tells a link's addresses and DNS servers on one line.
func addrSummary(st linkstate.Status) string {
	s := fmt.Sprintf("address %v, DNS %v", cmp.Or(addrText(st.Address), "none"), st.DNS)
	if len(st.IPv6) > 0 {
		s += fmt.Sprintf("; IPv6 %v, IPv6 DNS %v", st.IPv6, st.IPv6DNS)
	}
	return s
}

// addrText is a's text, empty if a is the zero Addr.
func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gprsppp/gprsppp/device/portlist"
	"github.com/spf13/cobra"
)

// portsOptions are the flags of "gprsppp ports", and the roots it reads.
type portsOptions struct {
	probe   bool
	timeout time.Duration
	sys     portlist.System // the zero value reads /sys, /dev and /proc
	lockDir string          // for the ports' lock files while probing; "" is the device package's default
}

func newPorts(g *globals) *cobra.Command { return newPortsCommand(g, new(portsOptions)) }

// newPortsCommand returns the command with its flags bound to o.
func newPortsCommand(g *globals, o *portsOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ports [--probe] [PATH...]",
		Short: "List serial ports and find a modem's AT port",
		Long: `ports lists the serial ports (Linux: /sys/class/tty), each with its USB
device (vendor and product ID, manufacturer, product), USB interface number,
kernel driver and /dev/serial/by-id and by-path names, and the programs that
have it open. For a few well-known modules (Quectel EC25/EG25 and BG96,
SIMCom SIM7600, Telit LE910C1) it says what each interface usually is:
AT, PPP, GNSS or diagnostics. Ports of the 8250 driver with no UART behind
them are left out.

With --probe it opens each port at 115200 8N1 and sends AT; a port that
answers OK is an AT port, and what it says to ATI and AT+CGMM is shown.
Ports are probed at the same time, each for at most --timeout. A port that
another program has open, or the kernel's console, is not probed unless
named as an argument.

PATHs are listed too, and probed with --probe: ptys (gprsppp sim --link PATH), other
device names, unix:PATH or tcp://HOST:PORT.

When ModemManager runs, it probes modem ports and holds their AT port open;
ports then says so and prints the udev rule that makes it leave the modem
alone.`,
		Example: `  gprsppp ports
  gprsppp ports --probe
  gprsppp ports --probe /tmp/ttyGPRS`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runPorts(ctx, cmd.OutOrStdout(), g, o, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.probe, "probe", false, "send AT to each port and show what answers")
	f.DurationVar(&o.timeout, "timeout", portlist.DefaultProbeTimeout, "how long to probe each port")
	return cmd
}

// portEntry is one port to show: one the kernel lists, a PATH argument,
// or both.
type portEntry struct {
	port     *portlist.Port // nil for a PATH the kernel does not list as a port
	path     string         // what to open
	resolved string         // path with symbolic links resolved, as /proc names it
	named    bool           // given as an argument
	holders  []portlist.Process
	result   *portlist.Result // nil if not probed
	skipped  string           // why it was not probed
}

func runPorts(ctx context.Context, out io.Writer, g *globals, o *portsOptions, args []string) error {
	if o.timeout <= 0 {
		return fmt.Errorf("ports: --timeout must be positive")
	}
	ports, err := o.sys.List()
	if err != nil {
		if len(args) == 0 {
			return err
		}
		fmt.Fprintf(out, "(only the ports named are shown: %v)\n", err)
	}
	procs, _ := o.sys.Processes() // without /proc, nobody is known to hold a port
	entries, omitted := portEntries(ports, args)
	for _, e := range entries {
		e.holders = others(portlist.Holders(procs, e.resolved))
	}
	if o.probe {
		probe(ctx, entries, o, g.logger(os.Stderr))
		if err := ctx.Err(); err != nil {
			return err // interrupted: what the probes found is incomplete
		}
	}
	for _, e := range entries {
		printEntry(out, e, o.timeout)
	}
	if len(entries) == 0 {
		fmt.Fprintln(out, "no serial ports found")
	}
	if omitted > 0 {
		fmt.Fprintf(out, "(%d placeholder ports with no UART behind them not shown)\n", omitted)
	}
	if o.probe {
		printAnswered(out, entries)
	}
	printModemManager(out, entries, portlist.ModemManager(procs))
	return nil
}

// portEntries pairs the ports the kernel lists with the PATH arguments:
// an argument that resolves to a listed port is that port. Placeholders
// without a UART are left out, unless named; omitted counts them.
func portEntries(ports []portlist.Port, args []string) (entries []*portEntry, omitted int) {
	byPath := make(map[string]*portEntry)
	for i := range ports {
		p := &ports[i]
		e := &portEntry{port: p, path: p.Path, resolved: p.Path}
		byPath[p.Path] = e
		entries = append(entries, e)
	}
	for _, a := range args {
		resolved := resolve(a)
		if e, ok := byPath[resolved]; ok {
			e.named, e.path = true, a
			continue
		}
		e := &portEntry{path: a, resolved: resolved, named: true}
		byPath[resolved] = e
		entries = append(entries, e)
	}
	shown := entries[:0]
	for _, e := range entries {
		if e.port != nil && e.port.NoUART && !e.named {
			omitted++
			continue
		}
		shown = append(shown, e)
	}
	return shown, omitted
}

// resolve returns path with symbolic links resolved, as /proc and the
// port list name it. A link to a device that is gone is followed one step;
// a spec that is not a path (tcp://HOST:PORT) stays as it is.
func resolve(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	target, err := os.Readlink(path)
	if err != nil {
		return path
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(path), target)
	}
	return filepath.Clean(target)
}

// others leaves this process out of procs.
func others(procs []portlist.Process) []portlist.Process {
	var out []portlist.Process
	for _, p := range procs {
		if p.PID != os.Getpid() {
			out = append(out, p)
		}
	}
	return out
}

// probe probes the entries at the same time, except those another program
// holds and that were not named.
func probe(ctx context.Context, entries []*portEntry, o *portsOptions, log *slog.Logger) {
	var paths []string
	var probed []*portEntry
	for _, e := range entries {
		switch {
		case e.named:
		case len(e.holders) > 0:
			e.skipped = "open by " + holderNames(e.holders) + "; name it as an argument to probe it anyway"
			continue
		case e.port != nil && e.port.Console:
			e.skipped = "the kernel's console; name it as an argument to probe it anyway"
			continue
		}
		paths = append(paths, e.path)
		probed = append(probed, e)
	}
	results := portlist.ProbeAll(ctx, paths, portlist.ProbeOptions{Timeout: o.timeout, LockDir: o.lockDir, Logger: log})
	for i := range results {
		probed[i].result = &results[i]
	}
}

// printEntry writes what is known about one port.
func printEntry(w io.Writer, e *portEntry, timeout time.Duration) {
	header := e.path
	if e.resolved != e.path {
		header += " -> " + e.resolved
	}
	if p := e.port; p != nil {
		header += "  " + describe(p)
	}
	fmt.Fprintln(w, header)
	line := func(label, text string) { fmt.Fprintf(w, "  %-9s %s\n", label, text) }
	if p := e.port; p != nil {
		if role, model := p.Role(); role != "" {
			line("usually", role+", on a "+model)
		}
		for _, l := range p.Links {
			line(strings.Split(strings.TrimPrefix(l, "/dev/serial/"), "/")[0], l)
		}
	}
	if len(e.holders) > 0 {
		line("open by", holderNames(e.holders))
	}
	switch r := e.result; {
	case e.skipped != "":
		line("AT", "not probed: "+e.skipped)
	case r == nil:
	case r.Status == portlist.Answered:
		line("AT", "OK")
		line("ATI", orNoAnswer(r.Info))
		line("AT+CGMM", orNoAnswer(r.Model))
	case r.Status == portlist.NoAnswer && r.Heard != "":
		line("AT", fmt.Sprintf("no OK within %v; it sent: %s", timeout, r.Heard))
	case r.Status == portlist.NoAnswer:
		line("AT", fmt.Sprintf("no answer within %v", timeout))
	case r.Status == portlist.Busy:
		line("AT", "not probed: "+r.Err.Error())
	default:
		line("AT", "failed: "+r.Err.Error())
	}
}

// describe sums up a port's hardware on one line.
func describe(p *portlist.Port) string {
	var parts []string
	if u := p.USB; u != nil {
		name := strings.TrimSpace(u.Manufacturer + " " + u.Product)
		parts = append(parts, strings.TrimSpace(name+" "+u.ID()), fmt.Sprintf("USB %s interface %d", u.Device, u.Interface))
		if u.InterfaceName != "" {
			parts = append(parts, fmt.Sprintf("%q", u.InterfaceName))
		}
	}
	if p.Driver != "" {
		parts = append(parts, "driver "+p.Driver)
	}
	if p.NoUART {
		parts = append(parts, "no UART behind it")
	}
	if p.Console {
		parts = append(parts, "console")
	}
	return strings.Join(parts, ", ")
}

func orNoAnswer(s string) string {
	if s == "" {
		return "(no answer)"
	}
	return s
}

// holderNames lists processes as "name (pid N)".
func holderNames(procs []portlist.Process) string {
	var names []string
	for _, p := range procs {
		names = append(names, fmt.Sprintf("%s (pid %d)", p.Name, p.PID))
	}
	return strings.Join(names, ", ")
}

// printAnswered names the ports that answered AT.
func printAnswered(w io.Writer, entries []*portEntry) {
	var at []string
	for _, e := range entries {
		if e.result != nil && e.result.Status == portlist.Answered {
			at = append(at, e.path)
		}
	}
	if len(at) == 0 {
		fmt.Fprintln(w, "\nno port answered AT")
		return
	}
	fmt.Fprintf(w, "\nanswered AT: %s\n", strings.Join(at, ", "))
}

// printModemManager says that ModemManager runs and which ports it holds,
// and prints the udev rule that keeps it off the devices it holds and
// the known modules listed (or, when there are neither, every USB device
// listed).
func printModemManager(w io.Writer, entries []*portEntry, mm []portlist.Process) {
	if len(mm) == 0 {
		return
	}
	var pids []string
	for _, p := range mm {
		pids = append(pids, strconv.Itoa(p.PID))
	}
	fmt.Fprintf(w, "\nModemManager is running (pid %s). It opens ports that may be modems to\n", strings.Join(pids, ", "))
	fmt.Fprintln(w, "probe them, and keeps a modem's AT port open: its commands then mix with gprsppp's.")
	var held, known, usb []portlist.Port
	var heldPaths []string
	for _, e := range entries {
		switch p := e.port; {
		case p == nil:
		case slices.ContainsFunc(e.holders, func(h portlist.Process) bool { return h.Name == portlist.ModemManagerName }):
			held = append(held, *p)
			heldPaths = append(heldPaths, p.Path)
		case p.USB != nil:
			if role, _ := p.Role(); role != "" {
				known = append(known, *p)
			}
			usb = append(usb, *p)
		}
	}
	if len(heldPaths) > 0 {
		fmt.Fprintf(w, "It has %s open.\n", strings.Join(heldPaths, ", "))
	}
	if !slices.ContainsFunc(mm, func(p portlist.Process) bool { return p.OpenKnown }) {
		fmt.Fprintln(w, "Run as root to see which ports it has open.")
	}
	rules := portlist.IgnoreRules(append(held, known...))
	if rules == "" {
		rules = portlist.IgnoreRules(usb)
	}
	if rules == "" {
		fmt.Fprintln(w, "If it takes the modem's port, stop it: sudo systemctl stop ModemManager")
		return
	}
	fmt.Fprintf(w, "To make it leave the modem alone, run:\n\n")
	fmt.Fprintf(w, "sudo tee %s >/dev/null <<'EOF'\n%sEOF\n", portlist.IgnoreRulesFile, rules)
	fmt.Fprintf(w, "sudo udevadm control --reload && sudo udevadm trigger\n\n")
	fmt.Fprintln(w, "then re-plug the modem or restart ModemManager (sudo systemctl restart ModemManager).")
}

package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/spf13/cobra"
)

func newStatus(_ *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [NAME]",
		Short: "Show a running connect's or shim's link: state, address, traffic, redials, signal",
		Long: `status asks a running gprsppp connect or shim, through its control
socket, how its link is doing. NAME is the link's --name (by default the
device's base name, or "sim"); without it, the only link running is
shown, or a list if there are several.

The sockets are in $GPRSPPP_RUNTIME_DIR, else $RUNTIME_DIRECTORY (a
systemd service's), else /run/gprsppp for root, else
$XDG_RUNTIME_DIR/gprsppp; status also looks in /run/gprsppp. They are
open to their owner only: ask as the user running the link, or as root.`,
		Example: `  gprsppp status
  gprsppp status ttyUSB2
  gprsppp status sim --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Second)
			defer cancel()
			return runStatus(ctx, cmd.OutOrStdout(), statusDirs(), name, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as the control socket gives it, in JSON")
	return cmd
}

// statusDirs are where status looks for sockets: this user's directory,
// then the system's.
func statusDirs() []string {
	var dirs []string
	if d, err := control.Dir(os.Getenv, os.Geteuid()); err == nil {
		dirs = append(dirs, d)
	}
	if !slices.Contains(dirs, control.SystemDir) {
		dirs = append(dirs, control.SystemDir)
	}
	return dirs
}

// linkSocket is one control socket found.
type linkSocket struct{ name, path string }

// findSockets lists the sockets in dirs; the first of a name wins.
func findSockets(dirs []string) []linkSocket {
	var found []linkSocket
	for _, d := range dirs {
		names, _ := control.List(d)
		for _, n := range names {
			if !slices.ContainsFunc(found, func(s linkSocket) bool { return s.name == n }) {
				found = append(found, linkSocket{n, filepath.Join(d, n+control.Suffix)})
			}
		}
	}
	return found
}

func runStatus(ctx context.Context, out io.Writer, dirs []string, name string, asJSON bool) error {
	if name != "" && !control.ValidName(name) {
		return exit(exitUsage, fmt.Errorf("%q is not a link name", name))
	}
	found := findSockets(dirs)
	if name != "" {
		i := slices.IndexFunc(found, func(s linkSocket) bool { return s.name == name })
		if i < 0 {
			return fmt.Errorf("no link named %s is running (no %s%s in %s)", name, name, control.Suffix, strings.Join(dirs, " or "))
		}
		found = found[i : i+1]
	}
	switch len(found) {
	case 0:
		return fmt.Errorf("no gprsppp connect or shim is running (no control socket in %s)", strings.Join(dirs, " or "))
	case 1:
		st, err := queryStatus(ctx, found[0])
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(out).Encode(st)
		}
		printStatus(out, st, time.Now())
		return nil
	}
	return listStatus(ctx, out, found)
}

// queryStatus asks one socket for the status.
func queryStatus(ctx context.Context, s linkSocket) (linkstate.Status, error) {
	var st linkstate.Status
	err := control.Query(ctx, s.path, "status", &st)
	switch {
	case errors.Is(err, os.ErrPermission):
		return st, fmt.Errorf("%s: %w (ask as the user running the link, or as root)", s.name, err)
	case err != nil && strings.Contains(err.Error(), "connection refused"):
		return st, fmt.Errorf("%s: not running (%s is left from a process that ended)", s.name, s.path)
	case err != nil:
		return st, fmt.Errorf("%s: %w", s.name, err)
	}
	return st, nil
}

// listStatus prints a line for each link.
func listStatus(ctx context.Context, out io.Writer, found []linkSocket) error {
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tADDRESS\tUPTIME")
	for _, s := range found {
		st, err := queryStatus(ctx, s)
		if err != nil {
			fmt.Fprintf(tw, "%s\t?\t%v\n", s.name, err) // the last cell sets no column's width
			continue
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\t%s\n", s.name, st.State, listAddrs(st), roundDuration(st.Uptime))
	}
	fmt.Fprintln(tw, "(gprsppp status NAME shows one)")
	return tw.Flush()
}

// listAddrs is the ADDRESS cell of a link: its IPv4 address and its
// first global IPv6 one (the link-local is the same fe80:: form on every
// link), each where it has one.
func listAddrs(st linkstate.Status) string {
	addrs := []string{}
	if st.Address.IsValid() {
		addrs = append(addrs, st.Address.String())
	}
	for _, a := range st.IPv6 {
		if !a.IsLinkLocalUnicast() {
			addrs = append(addrs, a.String())
			break
		}
	}
	return strings.Join(addrs, ",")
}

// printStatus prints one link's status for a person.
func printStatus(w io.Writer, st linkstate.Status, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 8, 1, ' ', 0)
	row := func(k, format string, a ...any) { fmt.Fprintf(tw, "%s:\t"+format+"\n", append([]any{k}, a...)...) }
	row("name", "%s (%s)", st.Name, st.Device)
	state := st.State.String()
	if st.State == linkstate.Down || st.State == linkstate.Dialing {
		state += " for " + roundDuration(now.Sub(st.Since))
	}
	row("state", "%s", state)
	if st.Address.IsValid() {
		row("address", "%v (peer %s)", st.Address, cmp.Or(addrText(st.Peer), "unknown"))
		row("dns", "%v", st.DNS)
	}
	if len(st.IPv6) > 0 {
		row("ipv6", "%v (peer %s)", st.IPv6, cmp.Or(addrText(st.IPv6Peer), "unknown"))
		row("ipv6 dns", "%v", st.IPv6DNS)
	}
	if st.State == linkstate.Up {
		row("uptime", "%s", roundDuration(st.Uptime))
	}
	l := st.Link
	row("sent", "%d bytes, %d frames, %d IP packets", l.OctetsOut, l.FramesOut, l.IPOut)
	row("received", "%d bytes, %d frames, %d IP packets", l.OctetsIn, l.FramesIn, l.IPIn)
	row("fcs errors", "%d", l.FCSErrors)
	row("drops", "%d", linkstate.Drops(l))
	if st.TUN != "" {
		row("tun", "%s, %d packets dropped", st.TUN, st.TUNDrops)
	}
	if st.Total != l {
		t := st.Total
		row("all links", "sent %d bytes, received %d bytes, %d fcs errors, %d drops", t.OctetsOut, t.OctetsIn, t.FCSErrors, linkstate.Drops(t))
	}
	row("redials", "%d", st.Redials)
	row("last reason", "%s", cmp.Or(st.LastReason, "-"))
	signal := "unknown"
	if st.Signal != "" {
		signal = "+CSQ: " + st.Signal
		if rssi, ok := linkstate.RSSI(st.Signal); ok {
			signal += fmt.Sprintf(" (%d dBm)", linkstate.DBm(rssi))
		}
		signal += " at " + st.SignalAt.Format(time.DateTime)
	}
	row("signal", "%s", signal)
	row("registration", "%s", cmp.Or(st.Registration, "unknown"))
	if st.Modem != nil && st.Modem.Summary() != "" {
		row("modem (AT channel)", "%s at %s", st.Modem.Summary(), st.Modem.Updated.Format(time.DateTime))
	}
	tw.Flush()
}

// roundDuration shows d to the second.
func roundDuration(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return d.Round(time.Second).String()
}

// Package sdnotify tells systemd how a service is doing, per
// sd_notify(3): one datagram of "VAR=value" lines (READY=1, STATUS=...,
// WATCHDOG=1, STOPPING=1) to the unix socket named by $NOTIFY_SOCKET,
// where a leading '@' means the abstract namespace.
//
// It is written here rather than taken from go-systemd's daemon package:
// the protocol is one sendto(2), the watchdog loop is ours either way,
// and this keeps a dependency (and its D-Bus requirement in go.sum) out
// of the module for a dozen lines.
//
// Wiring:
//
//	n := sdnotify.New(os.Getenv) // nil outside systemd; its methods then do nothing
//	n.Notify("READY=1", "STATUS=up")
//	if d, ok := sdnotify.WatchdogInterval(os.Getenv, os.Getpid()); ok {
//		go n.RoutineWatchdog(ctx, d, healthy)
//	}
package sdnotify

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"
)

// Notifier sends notifications to systemd. A nil *Notifier does nothing.
type Notifier struct {
	addr *net.UnixAddr
}

// New returns a Notifier for $NOTIFY_SOCKET, read with getenv; nil if it
// is unset.
func New(getenv func(string) string) *Notifier {
	path := getenv("NOTIFY_SOCKET")
	if path == "" {
		return nil
	}
	// Go's net maps a leading '@' to the abstract namespace's NUL.
	return &Notifier{addr: &net.UnixAddr{Name: path, Net: "unixgram"}}
}

// Notify sends the lines as one datagram. STATUS= values lose any line
// breaks, which would end them early.
func (n *Notifier) Notify(lines ...string) error {
	if n == nil {
		return nil
	}
	c, err := net.DialUnix("unixgram", nil, n.addr)
	if err != nil {
		return err
	}
	defer c.Close()
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, "\n", " ")
	}
	_, err = c.Write([]byte(strings.Join(lines, "\n")))
	return err
}

// WatchdogInterval returns half of $WATCHDOG_USEC, how often to send
// WATCHDOG=1; false if systemd expects none, or expects it of another
// process ($WATCHDOG_PID).
func WatchdogInterval(getenv func(string) string, pid int) (time.Duration, bool) {
	usec, err := strconv.ParseUint(getenv("WATCHDOG_USEC"), 10, 63)
	if err != nil || usec == 0 {
		return 0, false
	}
	if p := getenv("WATCHDOG_PID"); p != "" && p != strconv.Itoa(pid) {
		return 0, false
	}
	return time.Duration(usec) * time.Microsecond / 2, true
}

// RoutineWatchdog sends WATCHDOG=1 every interval while healthy reports
// true, until ctx ends. healthy should take the locks the program's
// main work takes, so that a deadlock stops the pings and systemd
// restarts the service.
func (n *Notifier) RoutineWatchdog(ctx context.Context, interval time.Duration, healthy func() bool) {
	if n == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if healthy() {
			n.Notify("WATCHDOG=1")
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

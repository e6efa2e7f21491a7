package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/gprsppp/gprsppp/internal/linkstate"
)

// heldBy finds the running connect or shim that holds dev, through the
// control sockets of this user: its status and socket path; false if
// none of them does.
func heldBy(ctx context.Context, dev string) (linkstate.Status, string, bool) {
	dir, err := control.Dir(os.Getenv, os.Geteuid())
	if err != nil {
		return linkstate.Status{}, "", false
	}
	names, _ := control.List(dir)
	for _, name := range names {
		path := filepath.Join(dir, name+control.Suffix)
		var st linkstate.Status
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		err := control.Query(qctx, path, "status", &st)
		cancel()
		if err == nil && sameDevice(st.Device, dev) {
			return st, path, true
		}
	}
	return linkstate.Status{}, "", false
}

// sameDevice reports whether two device specs name the same line: the
// same text, or paths that resolve to the same file.
func sameDevice(a, b string) bool {
	if a == b {
		return true
	}
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

// checkHolder says why at cannot reach the modem on dev, which the
// running gprsppp whose status is st holds: its link has the modem's
// only line, unless it runs a multiplexer with an AT channel (--cmux),
// through which at then goes (nil).
func checkHolder(dev string, st linkstate.Status) error {
	if st.ATChannel {
		return nil
	}
	return exit(exitDevice, fmt.Errorf("at: port busy: %s held by PID %d (gprsppp, link %q, %s), whose PPP link has the modem's only line; "+
		"to send AT commands while it runs, start it with --cmux, which keeps an AT channel beside PPP that gprsppp at uses",
		dev, st.PID, st.Name, st.State))
}

// remoteDialogue sends commands through a running gprsppp's control
// socket to the AT channel it holds.
type remoteDialogue struct {
	socket  string
	out     io.Writer
	timeout time.Duration
}

// send runs one command and prints the modem's answer.
func (d *remoteDialogue) send(ctx context.Context, cmd string) error {
	cmd = withAT(cmd)
	if err := dialer.CheckChannelCommand(cmd); err != nil {
		return exit(exitUsage, fmt.Errorf("at: %w", err))
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout+10*time.Second)
	defer cancel()
	var a atAnswer
	if err := control.Call(ctx, d.socket, "at", atRequest{Command: cmd, Timeout: d.timeout}, &a); err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("at: %s: through the running gprsppp: %w", cmd, err)
	}
	for _, l := range a.Lines {
		fmt.Fprintln(d.out, l)
	}
	if a.Timeout {
		return &atError{fmt.Sprintf("at: %s: no final result within %v", cmd, d.timeout), errATTimeout}
	}
	fmt.Fprintln(d.out, a.Result)
	if a.Failed() {
		return &atError{fmt.Sprintf("at: %s: %s", cmd, a.Result), errATFailed}
	}
	return nil
}

// runAtRemote is runAt through the AT channel of the gprsppp that holds
// the device: each command, from args or each line of in, is sent once
// the one before has its answer. Unsolicited codes are not shown: the
// holder's status monitor reads them.
func runAtRemote(ctx context.Context, in io.Reader, out, errOut io.Writer, socket string, f atFlags, args []string, interactive bool) error {
	fmt.Fprintf(errOut, "at: %s is held by a running gprsppp: sending through its AT channel (%s)\n", f.device, socket)
	d := &remoteDialogue{socket: socket, out: out, timeout: f.timeout}
	if !interactive {
		for _, c := range args {
			if err := d.send(ctx, c); err != nil {
				return atExit(err)
			}
		}
		return nil
	}
	input := make(chan string)
	stop := make(chan struct{})
	defer close(stop)
	go readInput(in, input, stop)
	for {
		select {
		case s, ok := <-input:
			if !ok {
				return nil
			}
			if s == "" {
				continue
			}
			if err := d.send(ctx, s); err != nil {
				if ctx.Err() != nil {
					return atExit(err)
				}
				fmt.Fprintln(errOut, err)
			}
		case <-ctx.Done():
			return atExit(ctx.Err())
		}
	}
}

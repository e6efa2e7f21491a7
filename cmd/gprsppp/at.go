package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/spf13/cobra"
)

// atFlags holds the at command's flags.
type atFlags struct {
	device      string
	baud        int
	rtscts      bool
	timeout     time.Duration
	interactive bool
	stayOnline  bool
}

func newAt(g *globals) *cobra.Command {
	var f atFlags
	cmd := &cobra.Command{
		Use:   "at --device SPEC [flags] [COMMAND...]",
		Short: "Send AT commands to a modem and print its answers",
		Long: `at sends AT commands to a modem, for diagnostics, and prints the answers.

Given commands, it sends them one at a time ("AT" is added where missing)
and prints each answer up to its final result code. It stops with an error
at the first ERROR, +CME ERROR, +CMS ERROR, NO CARRIER, BUSY, NO ANSWER or
NO DIALTONE, or when no final result comes within --timeout.

Without commands, on a terminal or with -i, it is interactive: each line
read from standard input is sent as typed, and everything the modem sends
is printed, unsolicited result codes included, until end of input (Ctrl-D).

A command answered CONNECT leaves the modem in data mode, where it no
longer takes commands; at the end at returns it to command mode, with the
+++ escape and ATH (after a DTR drop, on a serial port), so that the next
program finds it answering AT. --stay-online leaves it in data mode.

SPEC is a serial device (/dev/ttyUSB2), unix:PATH or tcp://HOST:PORT.

A modem that a running "gprsppp connect --cmux" (or shim --cmux) holds
is reached through that process's AT channel (DLCI 1 of the
multiplexer), by way of its control socket; unsolicited result codes are
then not shown. Without --cmux the port is busy, and at says which
process holds it.

Exit status: 0 every command answered OK (or CONNECT); 1 bad flags; 2
the device could not be opened (missing, in use or not permitted); 3 a
command failed (ERROR, +CME ERROR, +CMS ERROR, NO CARRIER, BUSY, NO
ANSWER, NO DIALTONE); 4 no final result within --timeout; 6 the line
ended or failed (the modem hung up, a read or write error) or the modem
could not be returned to command mode.`,
		Example: `  gprsppp at --device /dev/ttyUSB2 I +CSQ +COPS?
  gprsppp at --device /dev/ttyUSB2 --timeout 3m AT+COPS=?
  gprsppp at --device tcp://localhost:2001 -i`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAt(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr(), g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.device, "device", "", "the modem's line: a serial device, unix:PATH or tcp://HOST:PORT")
	fl.IntVar(&f.baud, "baud", 115200, "serial line speed")
	fl.BoolVar(&f.rtscts, "rtscts", false, "use RTS/CTS hardware flow control")
	fl.DurationVar(&f.timeout, "timeout", 5*time.Second, "how long to wait for each command's final result")
	fl.BoolVarP(&f.interactive, "interactive", "i", false, "read commands from standard input even if it is not a terminal")
	fl.BoolVar(&f.stayOnline, "stay-online", false, "leave the modem in data mode after CONNECT, rather than escaping (+++) and hanging up (ATH)")
	cmd.MarkFlagRequired("device")
	return cmd
}

// runAt opens the modem's line and runs the dialogue.
func runAt(ctx context.Context, in io.Reader, out, errOut io.Writer, g *globals, f atFlags, args []string) error {
	if f.timeout <= 0 {
		return exit(exitUsage, fmt.Errorf("at: --timeout must be positive"))
	}
	interactive := len(args) == 0 && (f.interactive || isTerminal(in))
	if len(args) == 0 && !interactive {
		return exit(exitUsage, fmt.Errorf("at: no commands given: name them as arguments, or use -i to read them from standard input"))
	}
	if len(args) > 0 && f.interactive {
		return exit(exitUsage, fmt.Errorf("at: -i reads commands from standard input; do not also give them as arguments"))
	}
	log := g.logger(errOut).With(catKey, catAT)
	if st, socket, ok := heldBy(ctx, f.device); ok {
		if err := checkHolder(f.device, st); err != nil {
			return err
		}
		return runAtRemote(ctx, in, out, errOut, socket, f, args, interactive)
	}
	port, err := device.Open(ctx, f.device, device.Options{Baud: f.baud, RTSCTS: f.rtscts, Logger: log.With(catKey, catDevice)})
	if err != nil {
		return exit(exitDevice, err)
	}
	if err := device.ResetInput(port); err != nil {
		port.Close()
		return exit(exitDevice, err)
	}
	lr := newLineReader(port)
	go lr.run()
	defer lr.close(port)

	d := &atDialogue{port: port, lines: lr, out: out, errOut: errOut, timeout: f.timeout}
	if interactive {
		err = d.interactive(ctx, in)
	} else {
		err = d.oneShot(ctx, args)
	}
	if d.online && !f.stayOnline {
		if herr := d.hangUp(ctx, log); herr != nil {
			err = errors.Join(err, exit(exitEnded, herr))
		}
	}
	return atExit(err)
}

// Exit statuses of at besides connect's (see its help).
const (
	exitATFailed  = 3 // a command's final result was a failure
	exitATTimeout = 4 // no final result within --timeout
)

// errATFailed and errATTimeout mark the dialogue's errors for atExit.
var (
	errATFailed  = errors.New("failed")
	errATTimeout = errors.New("timeout")
)

// atExit gives err the exit status its cause calls for: a failed command
// 3, a timeout 4, anything else from the line 6; errors that already
// carry a status keep it (the first one, if several were joined).
func atExit(err error) error {
	var e *exitError
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &e):
		return &exitError{code: e.code, err: err}
	case errors.Is(err, errATFailed):
		return exit(exitATFailed, err)
	case errors.Is(err, errATTimeout):
		return exit(exitATTimeout, err)
	}
	return exit(exitEnded, err)
}

// hangupTimeout bounds the return to command mode after CONNECT.
const hangupTimeout = 10 * time.Second

// hangUp returns the modem to command mode after a CONNECT, as a dialer's
// hang-up does, even if ctx has ended (Ctrl-C).
func (d *atDialogue) hangUp(ctx context.Context, log *slog.Logger) error {
	fmt.Fprintln(d.errOut, "at: the modem is in data mode: returning it to command mode (+++, ATH); --stay-online leaves it there")
	d.lines.halt(d.port)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), hangupTimeout)
	defer cancel()
	if err := dialer.Hangup(ctx, d.port, dialer.HangupConfig{Logger: log}); err != nil {
		return fmt.Errorf("at: returning the modem to command mode: %w", err)
	}
	return nil
}

// atError is an error of the dialogue whose message stands alone and
// whose kind (errATFailed, errATTimeout) decides the exit status.
type atError struct {
	msg  string
	kind error
}

func (e *atError) Error() string { return e.msg }
func (e *atError) Unwrap() error { return e.kind }

// isTerminal reports whether r is a terminal (or another character device).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// atDialogue is one conversation with the modem.
type atDialogue struct {
	port    device.Port
	lines   *lineReader
	out     io.Writer // the modem's answers
	errOut  io.Writer // our own notes
	timeout time.Duration
	online  bool // the last final result was CONNECT: the modem is in data mode
}

// oneShot sends cmds in turn, each once the one before has finished.
func (d *atDialogue) oneShot(ctx context.Context, cmds []string) error {
	for i, c := range cmds {
		c = withAT(c)
		if err := d.send(c); err != nil {
			return err
		}
		result, err := d.await(ctx, c)
		if err != nil {
			return err
		}
		if d.online && i < len(cmds)-1 {
			return &atError{fmt.Sprintf("at: %s: the modem went into data mode (%s); not sending the rest", c, result), errATFailed}
		}
	}
	return nil
}

// await prints the modem's answer to cmd up to its final result code and
// returns that code, or an error if it is a failure or does not come in
// time.
func (d *atDialogue) await(ctx context.Context, cmd string) (string, error) {
	timer := time.NewTimer(d.timeout)
	defer timer.Stop()
	echo := true // the first line may be the modem echoing cmd (ATE1)
	for {
		select {
		case line, ok := <-d.lines.lines:
			if !ok {
				return "", d.lines.failure()
			}
			if echo && strings.EqualFold(line, cmd) {
				echo = false
				continue
			}
			echo = false
			fmt.Fprintln(d.out, line)
			final, failed := resultCode(line)
			if final {
				d.online = isConnect(line)
			}
			if failed {
				return "", &atError{fmt.Sprintf("at: %s: %s", cmd, line), errATFailed}
			} else if final {
				return line, nil
			}
		case <-timer.C:
			return "", &atError{fmt.Sprintf("at: %s: no final result within %v", cmd, d.timeout), errATTimeout}
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// interactive sends each line read from in and prints what the modem sends,
// until in ends. A line typed while a command is running waits its turn, so
// commands piped in are not sent on top of each other; at the end of input
// it waits for the last command's final result.
func (d *atDialogue) interactive(ctx context.Context, in io.Reader) error {
	// If the modem hangs up while in is open, readInput stays blocked
	// reading in after interactive returns: nothing can interrupt a Read
	// on standard input. The process is about to exit then.
	input := make(chan string)
	stop := make(chan struct{})
	defer close(stop)
	go readInput(in, input, stop)

	var queue []string
	pending := ""    // the command awaiting its final result
	sawEcho := false // whether pending's echo has gone by
	timer := time.NewTimer(d.timeout)
	timer.Stop()
	defer timer.Stop()
	for {
		if pending == "" && len(queue) > 0 {
			pending, queue, sawEcho = queue[0], queue[1:], false
			if err := d.send(pending); err != nil {
				return err
			}
			timer.Reset(d.timeout)
		}
		if pending == "" && input == nil {
			return nil
		}
		select {
		case s, ok := <-input:
			if !ok {
				input = nil
			} else if s != "" {
				queue = append(queue, s)
			}
		case line, ok := <-d.lines.lines:
			if !ok {
				return d.lines.failure()
			}
			if pending != "" && !sawEcho && strings.EqualFold(line, pending) {
				sawEcho = true
				continue
			}
			fmt.Fprintln(d.out, line)
			final, _ := resultCode(line)
			if final {
				d.online = isConnect(line)
			}
			if final && pending != "" {
				pending = ""
				timer.Stop()
			}
		case <-timer.C:
			fmt.Fprintf(d.errOut, "at: %s: no final result within %v\n", pending, d.timeout)
			pending = ""
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// readInput sends the lines of in, trimmed, to lines, and closes it at the
// end of in. It returns early once stop is closed.
func readInput(in io.Reader, lines chan<- string, stop <-chan struct{}) {
	defer close(lines)
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		select {
		case lines <- strings.TrimSpace(sc.Text()):
		case <-stop:
			return
		}
	}
}

// send writes cmd and the carriage return that ends a command line.
func (d *atDialogue) send(cmd string) error {
	if _, err := io.WriteString(d.port, cmd+"\r"); err != nil {
		return fmt.Errorf("at: send %s: %w", cmd, err)
	}
	return nil
}

// withAT returns cmd with the "AT" prefix, adding it if missing.
func withAT(cmd string) string {
	cmd = strings.TrimSpace(cmd)
	if len(cmd) >= 2 && strings.EqualFold(cmd[:2], "AT") {
		return cmd
	}
	return "AT" + cmd
}

// resultCode reports whether line is a final result code (V.250 5.7.1 and
// 3GPP TS 27.007 9.2), and whether that code means failure. CONNECT counts as
// success: the modem has gone into data mode.
func resultCode(line string) (final, failed bool) {
	if r, ok := at.ParseResult(line); ok {
		return r.Code.Final(), r.Code.Failed()
	}
	if _, ok := at.ParseError(line); ok {
		return true, true
	}
	return false, false
}

// isConnect reports whether line is CONNECT, with or without text.
func isConnect(line string) bool {
	r, ok := at.ParseResult(line)
	return ok && r.Code == at.Connect
}

// lineReader splits what the modem sends into lines, dropping empty ones,
// and passes them on until reading fails. Its owner stops it with close.
type lineReader struct {
	r        io.Reader
	lines    chan string
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
	err      error // why reading stopped; set before lines is closed
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: r, lines: make(chan string), stop: make(chan struct{}), done: make(chan struct{})}
}

func (l *lineReader) run() {
	defer close(l.done)
	defer close(l.lines)
	sc := bufio.NewScanner(l.r)
	sc.Split(scanLines)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		select {
		case l.lines <- line:
		case <-l.stop:
			return
		}
	}
	l.err = sc.Err()
}

// failure explains why lines was closed.
func (l *lineReader) failure() error {
	if l.err == nil {
		return errors.New("at: the modem hung up")
	}
	return fmt.Errorf("at: read from the modem: %w", l.err)
}

// close stops the reader: closing the port ends a pending Read.
func (l *lineReader) close(port io.Closer) {
	l.stopOnce.Do(func() { close(l.stop) })
	port.Close()
	<-l.done
}

// halt stops the reader and leaves port open, without a read deadline,
// for another reader: a deadline in the past ends a pending Read.
func (l *lineReader) halt(port device.Port) {
	l.stopOnce.Do(func() { close(l.stop) })
	port.SetReadDeadline(time.Unix(1, 0))
	<-l.done
	port.SetReadDeadline(time.Time{})
}

// scanLines is a bufio.SplitFunc for modem output, whose lines end in CR,
// LF or both.
func scanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

package portlist

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gprsppp/gprsppp/device"
)

// DefaultProbeTimeout is how long Probe gives one port when
// ProbeOptions.Timeout is zero.
const DefaultProbeTimeout = 3 * time.Second

// ProbeOptions configures Probe and ProbeAll.
type ProbeOptions struct {
	// Timeout bounds the probe of one port, from opening it to the last
	// answer. Zero means DefaultProbeTimeout. A third of it is given to
	// each of two tries of AT, the rest to ATI and AT+CGMM.
	Timeout time.Duration
	// LockDir is device.Options.LockDir, where the port's lock file goes
	// while it is open. Empty means the device package's default.
	LockDir string
	// Logger receives debug records from opening and closing the ports.
	// Nil means silent.
	Logger *slog.Logger
}

// Status is the outcome of probing a port.
type Status int

// Outcomes of a probe.
const (
	// Answered means the port answered AT with OK: an AT command port.
	Answered Status = iota
	// NoAnswer means no OK came within the timeout.
	NoAnswer
	// Busy means another program holds the port (device.ErrBusy); it was
	// not touched.
	Busy
	// Failed means the port could not be opened or written.
	Failed
)

func (s Status) String() string {
	switch s {
	case Answered:
		return "Answered"
	case NoAnswer:
		return "NoAnswer"
	case Busy:
		return "Busy"
	case Failed:
		return "Failed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result is what probing one port found.
type Result struct {
	// Path is the port as given to Probe.
	Path   string
	Status Status
	// Heard is the first line a port that gave no OK sent meanwhile:
	// NMEA sentences from a GNSS port, a result other than OK, bytes from
	// a diagnostics port (non-printing ones shown as '.'). Empty if the
	// port stayed silent.
	Heard string
	// Info and Model are what an AT port said to ATI and AT+CGMM, each on
	// one line: its lines joined with " / ", or its final result where
	// that was not OK ("ERROR"), or "" if nothing came in time.
	Info, Model string
	// Err says why, for Busy and Failed.
	Err error
}

// Probe opens the port at path (a device path, or any spec device.Open
// takes) at 115200 8N1 without flow control, discards what it had
// buffered, and sends AT, twice if need be. If the port answers OK it
// then sends ATI and AT+CGMM. The port is closed before Probe returns,
// within opt.Timeout, or sooner when ctx ends.
//
// Opening a serial port raises DTR and closing it drops DTR, as with any
// terminal program; a port another program holds (a lock file, or
// TIOCEXCL) is not opened at all and gives Busy.
func Probe(ctx context.Context, path string, opt ProbeOptions) Result {
	timeout := cmp.Or(opt.Timeout, DefaultProbeTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r := Result{Path: path}
	port, err := device.Open(ctx, path, device.Options{Baud: 115200, LockDir: opt.LockDir, Logger: opt.Logger})
	if err != nil {
		r.Status, r.Err = Failed, err
		if errors.Is(err, device.ErrBusy) {
			r.Status = Busy
		}
		return r
	}
	defer port.Close()
	// Closing the port ends a Read or Write that is pending when ctx ends.
	defer context.AfterFunc(ctx, func() { port.Close() })()
	if err := device.ResetInput(port); err != nil {
		r.Status, r.Err = Failed, err
		return r
	}
	d := &dialogue{ctx: ctx, port: port}
	for range 2 {
		info, final, err := d.command("AT", timeout/3)
		if final == "OK" {
			r.Status = Answered
			r.Info = d.answer("ATI")
			r.Model = d.answer("AT+CGMM")
			return r
		}
		if r.Heard == "" {
			r.Heard = cmp.Or(first(info), final)
		}
		if err != nil && !errors.Is(err, errNoAnswer) {
			r.Status, r.Err = Failed, err
			return r
		}
	}
	r.Status = NoAnswer
	return r
}

// ProbeAll probes the ports at paths concurrently, each as Probe does, so
// it returns within about opt.Timeout. The results are in the order of
// paths.
func ProbeAll(ctx context.Context, paths []string, opt ProbeOptions) []Result {
	results := make([]Result, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() { results[i] = Probe(ctx, p, opt) })
	}
	wg.Wait()
	return results
}

// errNoAnswer means no final result code came in time.
var errNoAnswer = errors.New("no answer")

// Limits on what is kept of the port's output: a line longer than
// maxLine (a diagnostics port's binary output has no line ends) is cut
// there, and a line shown is at most maxShown characters.
const (
	maxLine  = 512
	maxShown = 100
)

// dialogue is an AT exchange on a port. Its owner runs one command at a
// time.
type dialogue struct {
	ctx  context.Context // ends the probe; carries its deadline
	port device.Port
	buf  []byte // read but not yet split into lines
}

// command sends cmd and returns the lines of information that came back
// and the final result code, or errNoAnswer if no final result came
// within wait (or before the probe's deadline).
func (d *dialogue) command(cmd string, wait time.Duration) (info []string, final string, err error) {
	if _, err := d.port.Write([]byte(cmd + "\r")); err != nil {
		return nil, "", d.ioErr(err)
	}
	until := time.Now().Add(wait)
	if dl, ok := d.ctx.Deadline(); ok && dl.Before(until) {
		until = dl
	}
	for {
		line, err := d.line(until)
		if err != nil {
			if len(d.buf) > 0 { // a partial line: a diagnostics port's frames have no line ends
				info = append(info, printable(string(d.buf)))
				d.buf = nil
			}
			return info, "", err
		}
		switch {
		case line == "", strings.EqualFold(line, cmd): // blank, or the modem's echo (ATE1)
		case isFinal(line):
			return info, line, nil
		default:
			info = append(info, printable(line))
		}
	}
}

// answer runs cmd with the rest of the probe's time and puts what came
// back on one line.
func (d *dialogue) answer(cmd string) string {
	dl, _ := d.ctx.Deadline()
	info, final, err := d.command(cmd, time.Until(dl))
	switch {
	case err != nil:
		return ""
	case final != "OK":
		return final
	}
	return strings.Join(info, " / ")
}

// line returns the next line the port sends, trimmed, waiting for it
// until the given time.
func (d *dialogue) line(until time.Time) (string, error) {
	var chunk [256]byte
	for {
		if i := bytes.IndexAny(d.buf, "\r\n"); i >= 0 {
			line := string(bytes.TrimSpace(d.buf[:i]))
			d.buf = d.buf[i+1:]
			return line, nil
		}
		if len(d.buf) >= maxLine {
			line := string(d.buf[:maxLine])
			d.buf = d.buf[maxLine:]
			return line, nil
		}
		if err := d.port.SetReadDeadline(until); err != nil {
			return "", d.ioErr(err)
		}
		n, err := d.port.Read(chunk[:])
		d.buf = append(d.buf, chunk[:n]...)
		if err != nil {
			return "", d.ioErr(err)
		}
	}
}

// ioErr turns a read or write failure into errNoAnswer when it is the
// read deadline or the probe's end (which closes the port).
func (d *dialogue) ioErr(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) || d.ctx.Err() != nil {
		return errNoAnswer
	}
	return err
}

// isFinal reports whether line is a final result code (V.250 5.7.1,
// 3GPP TS 27.007 9.2).
func isFinal(line string) bool {
	switch line {
	case "OK", "ERROR", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE", "NO DIAL TONE":
		return true
	}
	return strings.HasPrefix(line, "CONNECT") || strings.HasPrefix(line, "+CME ERROR:") || strings.HasPrefix(line, "+CMS ERROR:")
}

// printable shows line safely on a terminal: non-printing characters
// become '.', and it is cut at maxShown characters.
func printable(line string) string {
	r := []rune(strings.Map(func(c rune) rune {
		if unicode.IsPrint(c) {
			return c
		}
		return '.'
	}, line))
	if len(r) > maxShown {
		return string(r[:maxShown]) + "..."
	}
	return string(r)
}

// first returns the first of lines, or "".
func first(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}

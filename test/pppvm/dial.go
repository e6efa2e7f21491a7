package pppvm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Step timeouts of the dialogue in Dial, each also bounded by its ctx.
const (
	atTimeout   = 2 * time.Second  // per try of "AT"
	cmdTimeout  = 5 * time.Second  // "ATE0"
	dialTimeout = 30 * time.Second // "ATD*99***1#" until CONNECT
	atTries     = 5
	staleTries  = 2 // before Dial assumes an earlier call is still up
)

// Dial opens the VM's serial line, checks that the modem answers AT, turns
// its echo off and dials the packet data number *99***1#. It returns the
// line in data mode, positioned right after the CONNECT line: the next
// bytes are pppd's. If the modem does not answer because an earlier call is
// still up, Dial drops that call first. Closing the returned stream
// unblocks a pending Read; it does not hang up (see Ctl).
//
// Dial is a minimal test helper, not the product's AT dialer.
func (v *VM) Dial(ctx context.Context) (io.ReadWriteCloser, error) {
	f, err := openSerial(v.Serial)
	if err != nil {
		return nil, fmt.Errorf("pppvm: dial: open %s: %w", v.Serial, err)
	}
	d := &dialogue{f: f, ctx: ctx}
	stop := context.AfterFunc(ctx, d.cancel)
	err = d.run(v)
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = d.setDeadline(time.Time{})
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("pppvm: dial: %w", err)
	}
	return &line{f: f, pending: d.pending}, nil
}

// dialogue is the AT command exchange on a serial line.
type dialogue struct {
	f       *os.File
	ctx     context.Context
	buf     []byte // the line being read
	pending []byte // bytes after the CONNECT line

	mu       sync.Mutex
	canceled bool // ctx is done: deadlines stay in the past
}

// past is a deadline that has expired.
var past = time.Unix(1, 0)

// cancel makes pending and later I/O on the line fail; it runs when ctx is
// done.
func (d *dialogue) cancel() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.canceled = true
	d.f.SetDeadline(past)
}

// setDeadline sets the deadline of the line's I/O unless cancel ran.
func (d *dialogue) setDeadline(t time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.canceled {
		t = past
	}
	return d.f.SetDeadline(t)
}

func (d *dialogue) run(v *VM) error {
	if err := d.attention(staleTries); err != nil {
		if d.ctx.Err() != nil {
			return err
		}
		// Perhaps a call is still up and pppd, not the modem, reads the line.
		if err := v.Ctl("drop"); err != nil {
			return err
		}
		if err := d.attention(atTries); err != nil {
			return err
		}
	}
	if res, err := d.command("ATE0", cmdTimeout); err != nil || res != "OK" {
		return stepError("ATE0", res, err)
	}
	res, err := d.command("ATD*99***1#", dialTimeout)
	if err != nil || !strings.HasPrefix(res, "CONNECT") {
		return stepError("ATD*99***1#", res, err)
	}
	return d.endOfConnect()
}

// attention sends AT until the modem answers OK, at most tries times.
func (d *dialogue) attention(tries int) error {
	var res string
	var err error
	for range tries {
		res, err = d.command("AT", atTimeout)
		if res == "OK" {
			return nil
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
	}
	return stepError(fmt.Sprintf("AT (%d tries)", tries), res, err)
}

func stepError(step, res string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	return fmt.Errorf("%s: modem answered %q", step, res)
}

// command sends cmd and returns the modem's final result code, skipping
// echo, information text and stale output.
func (d *dialogue) command(cmd string, timeout time.Duration) (string, error) {
	if err := d.setDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	if _, err := d.f.Write([]byte(cmd + "\r")); err != nil {
		return "", d.cause(err)
	}
	for {
		l, err := d.readLine()
		if err != nil {
			return "", d.cause(err)
		}
		if isResult(l) {
			return l, nil
		}
	}
}

// isResult reports whether l is a final result code (ITU-T V.250 §5.7.1,
// 3GPP TS 27.007 §9.2).
func isResult(l string) bool {
	switch l {
	case "OK", "ERROR", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE":
		return true
	}
	return strings.HasPrefix(l, "CONNECT") || strings.HasPrefix(l, "+CME ERROR")
}

// readLine reads one byte at a time, so as not to consume what follows the
// line, and returns the next non-empty line ended by CR or LF. It keeps
// only the tail of an overlong line (such as PPP frames of an earlier call).
func (d *dialogue) readLine() (string, error) {
	var b [1]byte
	for {
		if _, err := d.f.Read(b[:]); err != nil {
			return "", err
		}
		switch c := b[0]; {
		case c == '\r' || c == '\n':
			if len(d.buf) > 0 {
				l := string(d.buf)
				d.buf = d.buf[:0]
				return l, nil
			}
		case len(d.buf) >= 256:
			d.buf = append(d.buf[:0], c)
		default:
			d.buf = append(d.buf, c)
		}
	}
}

// endOfConnect consumes the LF after the CONNECT line's CR. Anything else
// is the start of the data and is kept for line.Read.
func (d *dialogue) endOfConnect() error {
	var b [1]byte
	if _, err := d.f.Read(b[:]); err != nil {
		return fmt.Errorf("after CONNECT: %w", d.cause(err))
	}
	if b[0] != '\n' {
		d.pending = []byte{b[0]}
	}
	return nil
}

// cause prefers the context's error to the deadline it caused.
func (d *dialogue) cause(err error) error {
	if ctxErr := d.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

package dialer

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// defaultTimeout bounds a step whose Timeout is zero.
const defaultTimeout = 5 * time.Second

// Script is an AT chat script as plain data, in the manner of Zephyr's
// modem_chat and pppd's chat(8): steps run in order, each sending a
// command and waiting for one of its expected lines, with abort patterns
// and URC handlers in force throughout.
type Script struct {
	// Steps run in order; the first that fails ends the script.
	Steps []Step
	// Abort lists lines, besides the standard failing result codes, that
	// end any step with an error. NO CARRIER, BUSY, NO DIALTONE,
	// NO ANSWER, ERROR, +CME ERROR and +CMS ERROR always abort a step
	// (unless the step expects them) and need not be listed.
	Abort []Abort
	// URC routes unsolicited result codes (RING, +CREG: 2, ...) that
	// arrive while a step waits. A line handled here never ends a step,
	// unless the step expects it or takes it as an Info line.
	URC []URC
}

// Step is one command of a Script and the answer it waits for.
type Step struct {
	// Name identifies the step in errors and logs: "sync", "pin",
	// "register", "apn", "dial", ... Empty means its position, from "1".
	Name string
	// Send is the command without its CR, which is appended unless NoCR is
	// set. Dial replaces $APN and $PIN in it with DialConfig.APN and
	// DialConfig.PIN when the step runs; logs and errors show the PIN as
	// "****".
	Send string
	// NoCR sends Send as it is. A step with an empty Send and NoCR sends
	// nothing and only waits for its Expect.
	NoCR bool
	// Expect lists prefixes of the lines that end the step successfully.
	// Nil means {"OK"}.
	Expect []string
	// NoResponse ends the step once Send is written, without reading.
	NoResponse bool
	// Optional makes a failing result (ERROR, +CME ERROR, an Abort match)
	// end the step without failing the script, for commands that some
	// modems do not support. Such a step is never retried.
	Optional bool
	// Timeout bounds each attempt's wait for an expected line. Zero means
	// 5 s.
	Timeout time.Duration
	// Retry is how many times the command is sent again after an attempt
	// that timed out or ended in a failing result. Zero sends it once. A
	// step that succeeds after a retry reads for one more RetryInterval
	// (or Timeout) to swallow late answers to the earlier attempts.
	Retry int
	// RetryInterval is the least time between two sends of the command:
	// after an attempt that failed sooner, the engine waits for the rest.
	// Zero resends at once.
	RetryInterval time.Duration
	// Delay is a pause before the command is sent (chat's \d).
	Delay time.Duration
	// Info routes information lines of the answer by prefix, for example
	// "+CSQ:" to capture the signal quality. Info takes precedence over
	// the Script's URC handlers, so the answer to AT+CREG? reaches the
	// step even though +CREG: is also a URC.
	Info []Info
}

// Info handles the information lines of a step's answer that begin with
// Prefix; an empty Prefix takes every line that is neither expected nor a
// failing result or Abort match, URCs included (for a command whose
// answer is not known beforehand). If Handle returns an error, the step
// still reads up to its final result and then fails with that error.
type Info struct {
	Prefix string
	Handle func(line string) error
}

// URC handles unsolicited result codes that begin with Prefix. Handle runs
// on the goroutine running the script and must not block.
type URC struct {
	Prefix string
	Handle func(line string)
}

// Abort ends a step with an error when a line begins with Prefix.
type Abort struct {
	Prefix string
	// Err is the step's error. Nil means the error of the standard
	// result code the line is (ErrBusy for "BUSY", ...), or an error
	// quoting the line.
	Err error
}

// defaultExpect is the Expect of a step that lists none.
var defaultExpect = []string{"OK"}

// chat runs steps on a Line. It belongs to one goroutine.
type chat struct {
	r     *lineReader
	l     Line
	log   *slog.Logger
	wait  func(ctx context.Context, d time.Duration) error
	vars  *strings.Replacer // $APN, $PIN → values sent
	shown *strings.Replacer // $APN, $PIN → values shown in logs and errors
	pin   string            // masked in logged lines
	abort []Abort
	urc   []URC
	prev  string // name of the last step and the line that ended it,
	on    string // for transition logs
}

func newChat(l Line, log *slog.Logger) *chat {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &chat{r: newLineReader(l), l: l, log: log, wait: sleep, prev: "start", on: "start"}
}

// setVars makes $APN and $PIN expand to apn and pin.
func (c *chat) setVars(apn, pin string) {
	c.pin = pin
	c.vars = strings.NewReplacer("$APN", apn, "$PIN", pin)
	c.shown = strings.NewReplacer("$APN", apn, "$PIN", "****")
}

// command returns what st sends and how logs and errors show it.
func (c *chat) command(st *Step) (send, shown string, err error) {
	send, shown = st.Send, st.Send
	if c.vars != nil {
		send, shown = c.vars.Replace(send), c.shown.Replace(shown)
	}
	switch {
	case !strings.Contains(st.Send, "$PIN"):
	case c.pin == "":
		err = fmt.Errorf("%w: the script sends $PIN but no PIN is configured", ErrSIMPIN)
	case pinRejected(c.pin):
		err = errRejectedBefore
	}
	return send, shown, err
}

// step runs st and returns the line that ended it (the expected line, or
// the failing result of an Optional step; "" for NoResponse).
func (c *chat) step(ctx context.Context, st Step) (string, error) {
	c.log.Debug("dialer: step", "from", c.prev, "to", st.Name, "on", c.on)
	c.prev, c.on = st.Name, "failure"
	send, shown, err := c.command(&st)
	fail := func(err error) error { return &StepError{Step: st.Name, Command: shown, Err: err} }
	if err != nil {
		return "", fail(err)
	}
	if err := c.pause(ctx, st.Delay); err != nil {
		return "", fail(err)
	}
	timeout := cmp.Or(st.Timeout, defaultTimeout)
	for try := 1; ; try++ {
		sent := time.Now()
		if err := c.send(send, shown, st.NoCR); err != nil {
			return "", fail(err)
		}
		if st.NoResponse {
			c.on = "sent"
			return "", nil
		}
		line, final, err := c.await(ctx, &st, send, sent.Add(timeout))
		switch {
		case err == nil:
			if try > 1 {
				c.drain(ctx, cmp.Or(st.RetryInterval, timeout))
			}
			c.on = line
			return line, nil
		case final && st.Optional:
			c.log.Debug("dialer: optional step failed", "step", st.Name, "result", line)
			c.on = line
			return line, nil
		case !final && err != ErrTimeout:
			return line, fail(err) // cancelled, I/O or Info error: no retry
		case try > st.Retry:
			if err == ErrTimeout && try > 1 {
				err = fmt.Errorf("%w after %d tries", ErrTimeout, try)
			}
			return line, fail(err)
		}
		c.log.Debug("dialer: retry", "step", st.Name, "try", try, "err", err)
		if err := c.pause(ctx, st.RetryInterval-time.Since(sent)); err != nil {
			return "", fail(err)
		}
	}
}

// pause waits for d, if positive.
func (c *chat) pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	return c.wait(ctx, d)
}

// send writes a command, with its CR unless noCR.
func (c *chat) send(cmd, shown string, noCR bool) error {
	if !noCR {
		cmd += "\r"
	} else if cmd == "" {
		return nil
	}
	c.log.Debug("dialer: send", "command", shown)
	_, err := c.l.Write([]byte(cmd))
	return err
}

// await reads lines until one ends st: an expected line (nil error), a
// failing result or Abort match (final is true), a timeout (ErrTimeout),
// or a context or I/O error.
func (c *chat) await(ctx context.Context, st *Step, sent string, deadline time.Time) (line string, final bool, err error) {
	expect := st.Expect
	if expect == nil {
		expect = defaultExpect
	}
	var infoErr error
	for {
		line, err := c.r.readLine(ctx, deadline)
		if err != nil {
			return "", false, err
		}
		if line == "" {
			continue
		}
		if sent != "" && strings.EqualFold(line, strings.TrimSpace(sent)) {
			c.log.Debug("dialer: echo", "step", st.Name)
			continue
		}
		c.log.Debug("dialer: recv", "step", st.Name, "line", c.mask(line))
		if hasPrefix(expect, line) {
			return line, false, infoErr
		}
		if h := matchInfo(st.Info, line); h != nil && (h.Prefix != "" || c.aborted(line) == nil) {
			if err := h.Handle(line); err != nil && infoErr == nil {
				infoErr = err
			}
			continue
		}
		if u := matchURC(c.urc, line); u != nil {
			u.Handle(line)
			continue
		}
		if err := c.aborted(line); err != nil {
			if infoErr != nil {
				return line, false, infoErr
			}
			return line, true, err
		}
		// Any other line is an information line nobody asked for.
	}
}

// drain reads and drops answers for d, passing URCs on: after a retried
// command, the modem may still answer the earlier attempts.
func (c *chat) drain(ctx context.Context, d time.Duration) {
	deadline := time.Now().Add(d)
	for {
		line, err := c.r.readLine(ctx, deadline)
		if err != nil {
			return
		}
		if u := matchURC(c.urc, line); u != nil {
			u.Handle(line)
		} else if line != "" {
			c.log.Debug("dialer: drop late answer", "line", c.mask(line))
		}
	}
}

// aborted returns the error line stands for, or nil.
func (c *chat) aborted(line string) error {
	for _, a := range c.abort {
		if a.Prefix == "" || !strings.HasPrefix(line, a.Prefix) {
			continue
		}
		if a.Err != nil {
			return a.Err
		}
		if err := resultError(line); err != nil {
			return err
		}
		return abortError{line: line}
	}
	return resultError(line)
}

// mask hides the PIN in a line before it is logged: a modem with echo on
// repeats AT+CPIN="...".
func (c *chat) mask(line string) string {
	if c.pin == "" {
		return line
	}
	return strings.ReplaceAll(line, c.pin, "****")
}

func hasPrefix(prefixes []string, line string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// matchInfo returns the handler of line: the first whose Prefix begins
// it, else one with an empty Prefix.
func matchInfo(hs []Info, line string) *Info {
	var all *Info
	for i := range hs {
		switch {
		case hs[i].Prefix == "":
			if all == nil {
				all = &hs[i]
			}
		case strings.HasPrefix(line, hs[i].Prefix):
			return &hs[i]
		}
	}
	return all
}

func matchURC(hs []URC, line string) *URC {
	for i := range hs {
		if hs[i].Prefix != "" && strings.HasPrefix(line, hs[i].Prefix) {
			return &hs[i]
		}
	}
	return nil
}

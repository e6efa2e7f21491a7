package dce

import (
	"errors"
	"strings"

	"github.com/gprsppp/gprsppp/at"
)

// del is DEL, which terminals send for the backspace key; it edits the
// line as S5 does.
const del = 0x7f

// commandInput edits and runs command lines from b, echoing it if echo
// is on (V.250 §5.2). It returns how much of b it took: it stops after a
// line that left command state.
func (e *Engine) commandInput(b []byte) int {
	for i, c := range b {
		if e.echo {
			e.out = append(e.out, c)
		}
		e.afterCR = c == byte(e.sregs[3])
		switch {
		case c == byte(e.sregs[3]) || c == '\n':
			// LF ends a line too, for terminals that send LF alone;
			// after CR it is an empty line, which is ignored.
			e.endLine()
			if e.state != commandState || e.suspended {
				return i + 1
			}
		case c == byte(e.sregs[5]) || c == del:
			if n := len(e.line); n > 0 && !e.overflow {
				e.line = e.line[:n-1]
			}
		case c == '/' && !e.overflow && repeatPrefix(e.line):
			// A/ repeats the last command line at once (V.250 §5.2.4);
			// before any, it is an empty command line.
			e.line = e.line[:0]
			last := e.last
			if last == "" {
				last = "AT"
			}
			e.runLine(last)
			if e.state != commandState || e.suspended {
				return i + 1
			}
		case c < 0x20:
			// Other control characters are left out of the line
			// (V.250 §5.2.2); the embedder may act on them.
			if e.cfg.Control != nil {
				e.cfg.Control(e, c)
				if e.state != commandState || e.suspended {
					return i + 1
				}
			}
		default:
			e.addChar(c)
		}
	}
	return len(b)
}

// addChar adds c to the line being typed. Text without "AT" that grows
// too long loses its head, as it is noise (stray PPP frames); a command
// line whose body grows too long is discarded to its end.
func (e *Engine) addChar(c byte) {
	if e.overflow {
		return
	}
	e.line = append(e.line, c)
	if len(e.line) <= e.cfg.MaxLine+2 {
		return
	}
	i := indexAT(e.line)
	switch {
	case i < 0:
		e.line = append(e.line[:0], c)
	case len(e.line)-i > e.cfg.MaxLine+2:
		e.line, e.overflow = e.line[:0], true
	default:
		e.line = append(e.line[:0], e.line[i:]...)
	}
}

// repeatPrefix reports whether a '/' typed after line completes the
// prefix "A/" (V.250 §5.2.4): line ends in 'A' or 'a', and nothing
// before it began a command line with "AT" (noise before the 'A' is
// skipped, as it is before "AT"). An "A/" inside a command line, such as
// AT+QICSGP=1,"A/B", is part of that line.
func repeatPrefix(line []byte) bool {
	n := len(line)
	if n == 0 || line[n-1]|0x20 != 'a' {
		return false
	}
	_, started := at.Body(string(line[:n-1]))
	return !started
}

func indexAT(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i]|0x20 == 'a' && b[i+1]|0x20 == 't' {
			return i
		}
	}
	return -1
}

// endLine runs the line typed so far.
func (e *Engine) endLine() {
	l := string(e.line)
	e.line = e.line[:0]
	if e.overflow {
		e.overflow = false
		e.log.Debug("dce: command line too long")
		e.Result(at.Error)
		return
	}
	if l != "" {
		e.runLine(l)
	}
}

// errPayload is what Capture returns: the command goes on with a payload.
var errPayload = errors.New("dce: payload follows")

// runLine runs one command line. Text without "AT" is ignored, as noise
// on the line is on real modems.
func (e *Engine) runLine(l string) {
	body, ok := at.Body(l)
	if !ok {
		if e.cfg.NoiseError && strings.TrimSpace(l) != "" {
			e.Result(at.Error)
		}
		return
	}
	l = l[len(l)-len(body)-2:]
	e.last = l
	if e.cfg.BeforeLine != nil && !e.cfg.BeforeLine(e, l) {
		return
	}
	e.log.Debug("dce: command", "line", redact(l))
	cmds, err := e.cfg.Syntax.ParseLine(body)
	if err != nil {
		e.log.Debug("dce: bad command line", "err", err)
		e.Result(at.Error)
		return
	}
	err = e.execAll(cmds)
	switch err {
	case errPayload:
		e.startPayload()
		return
	case ErrHandled:
	default:
		e.Result(err)
	}
	if e.pending != nil {
		// CONNECT: online data state once the result code is out.
		e.enterData()
	}
}

// execAll runs cmds up to the first that fails.
func (e *Engine) execAll(cmds []at.Command) error {
	e.inLine = true
	defer func() { e.inLine = false }()
	for _, c := range cmds {
		if err := e.exec(c); err != nil {
			return err
		}
	}
	return nil
}

// exec runs one command.
func (e *Engine) exec(c at.Command) error {
	name := c.Name
	if !c.Extended() && strings.HasPrefix(name, "S") {
		name = "S"
	}
	h, ok := e.cmds[name]
	switch {
	case ok:
	case e.cfg.Unknown != nil:
		h = e.cfg.Unknown
	default:
		return at.Error
	}
	return h(e, c)
}

// redact hides a PIN in a command line for the log.
func redact(l string) string {
	upper := []byte(l)
	for i, c := range upper {
		if 'a' <= c && c <= 'z' {
			upper[i] = c - ('a' - 'A')
		}
	}
	if i := strings.Index(string(upper), "+CPIN="); i >= 0 {
		return l[:i+6] + "<redacted>"
	}
	return l
}

package atcompat

import (
	"strings"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// shimMaxLine is the longest command line the shim takes, as the M95's
// input buffer; longer lines are discarded up to their CR and answered
// ERROR.
const shimMaxLine = 556

const (
	shimCR     = '\r'
	shimLF     = '\n'
	shimBS     = 0x08
	shimDEL    = 0x7f
	shimCtrlZ  = 0x1a
	shimESC    = 0x1b
	shimPrompt = "> "
)

// shimInput is the host input state: a command line being typed, or the
// payload of an AT+QISEND after its prompt.
type shimInput struct {
	line     []byte
	overlong bool
	afterCR  bool           // the last byte ended a command line
	send     *shimSendInput // non-nil after a QISEND prompt
	last     string         // the last command line run, which A/ repeats
}

// shimSendInput collects a QISEND payload: fixed (n > 0) ends after n
// bytes, variable ends with Ctrl+Z; ESC cancels both.
type shimSendInput struct {
	conn  *shimConn
	fixed int
	buf   []byte
	// done takes the payload instead of sendPayload when not nil: a
	// dialect's own send command.
	done func(data []byte)
}

// finish hands a complete payload on.
func (s *shimSession) finishSend(st *shimSendInput) {
	s.inState.send = nil
	if st.done != nil {
		st.done(st.buf)
		return
	}
	s.sendPayload(st.conn, st.buf)
}

// input handles one chunk of host bytes.
func (s *shimSession) input(b []byte) {
	for i := 0; i < len(b); i++ {
		if s.busy {
			s.pending = append(s.pending, b[i:]...)
			return
		}
		if s.data != nil && s.data.active {
			s.dataInput(b[i:])
			return
		}
		s.inputByte(b[i])
	}
}

// resume processes host input held while a command ran.
func (s *shimSession) resume() {
	if s.closing {
		return
	}
	s.busy = false
	p := s.pending
	s.pending = nil
	s.input(p)
	s.flushRecv()
}

func (s *shimSession) inputByte(c byte) {
	afterCR := s.inState.afterCR
	s.inState.afterCR = c == shimCR
	if st := s.inState.send; st != nil {
		// Hosts end lines with CR LF (TinyGSM's AT_NL): the LF of the
		// QISEND command line is not payload.
		if !(afterCR && c == shimLF && len(st.buf) == 0) {
			s.sendByte(st, c)
		}
		return
	}
	if s.set.echo {
		s.out.WriteByte(c)
	}
	switch c {
	case shimCR:
		line, over := string(s.inState.line), s.inState.overlong
		s.inState.line, s.inState.overlong = s.inState.line[:0], false
		if over {
			s.result("ERROR")
			return
		}
		s.runLine(line)
	case shimLF:
	case shimBS, shimDEL:
		if n := len(s.inState.line); n > 0 {
			s.inState.line = s.inState.line[:n-1]
		}
	default:
		if c == '/' && !s.inState.overlong && shimRepeatPrefix(s.inState.line) {
			s.inState.line = s.inState.line[:0]
			s.repeatLine()
			return
		}
		if len(s.inState.line) >= shimMaxLine {
			s.inState.overlong = true
			return
		}
		s.inState.line = append(s.inState.line, c)
	}
}

// sendByte takes one byte of a QISEND payload.
func (s *shimSession) sendByte(st *shimSendInput, c byte) {
	if st.fixed > 0 {
		st.buf = append(st.buf, c)
		if s.set.echo && s.ip.sde != 0 {
			s.out.WriteByte(c)
		}
		if len(st.buf) == st.fixed {
			s.finishSend(st)
		}
		return
	}
	switch c {
	case shimCtrlZ:
		s.finishSend(st)
		return
	case shimESC:
		s.inState.send = nil
		s.result("OK")
		return
	case shimBS:
		if n := len(st.buf); n > 0 {
			st.buf = st.buf[:n-1]
		}
	default:
		// "The data beyond 1460 will be omitted."
		if len(st.buf) < s.cfg.Profile.MaxSend {
			st.buf = append(st.buf, c)
		}
	}
	if s.set.echo && s.ip.sde != 0 {
		s.out.WriteByte(c)
	}
}

// startSend shows the prompt and collects a payload for c (fixed > 0 for
// AT+QISEND=<len>).
func (s *shimSession) startSend(c *shimConn, fixed int) {
	s.startPayload(&shimSendInput{conn: c, fixed: fixed})
}

// startPayload shows the prompt and collects the payload st describes.
func (s *shimSession) startPayload(st *shimSendInput) {
	s.inState.send = st
	if s.ip.autos == 1 {
		// Timed sending: whatever came in is sent when the timer
		// expires, SEND FAIL if nothing did.
		s.afterFunc(time.Duration(s.ip.autosT)*time.Second, func() {
			if s.inState.send == st {
				s.finishSend(st)
			}
		})
	}
	if s.ip.prompt != 1 {
		return // AT+QIPROMPT=0/2: no prompt
	}
	if s.set.verbose {
		s.out.WriteString("\r\n")
	}
	s.out.WriteString(shimPrompt)
}

// runLine runs a command line and then delivers received data that waited
// for it.
func (s *shimSession) runLine(line string) {
	s.execLine(line)
	if !s.busy && s.inState.send == nil {
		s.flushRecv()
	}
}

// shimRepeatPrefix reports whether a '/' typed after line completes the
// prefix "A/" or "a/" (V.250 §5.2.4): line ends in that 'A', and nothing
// before it began a command line with "AT" (line noise before the 'A' is
// skipped, as it is before "AT"). An "A/" inside a command line, such as
// AT+QICSGP=1,"A/B", is part of that line.
func shimRepeatPrefix(line []byte) bool {
	n := len(line)
	if n == 0 || line[n-1]|0x20 != 'a' {
		return false
	}
	_, started := at.Body(string(line[:n-1]))
	return !started
}

// repeatLine runs the previous command line again on "A/" (V.250 §5.2.4,
// M35 AT Commands Manual §15.1 "A/ Re-issues the Last Command Given"). It
// is acted on at once, without a CR; before any command line it is an
// empty one, answered OK.
func (s *shimSession) repeatLine() {
	line := s.inState.last
	if line == "" {
		line = "AT"
	}
	s.log.Debug("atcompat: shim: repeat", "line", line)
	s.runLine(line)
}

// execLine runs one command line: "AT" followed by commands.
func (s *shimSession) execLine(line string) {
	body, ok := at.Body(line)
	if !ok {
		if strings.TrimSpace(line) != "" {
			s.result("ERROR")
		}
		return
	}
	s.inState.last = line
	cmds, err := parseShimLine(body)
	if err != nil {
		s.log.Debug("atcompat: shim: bad command line", "line", line, "err", err)
		s.result("ERROR")
		return
	}
	s.log.Debug("atcompat: shim: command", "line", line)
	for _, c := range cmds {
		err := s.exec(c)
		switch {
		case err == nil:
			continue
		case err == errShimFinal:
			return
		}
		s.errorResult(err)
		return
	}
	s.result("OK")
}

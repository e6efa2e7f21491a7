package shim

import (
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/at/dce"
)

// shimMaxLine is the longest command line body the shim takes, as the
// M95's input buffer; longer lines are discarded up to their CR and
// answered ERROR.
const shimMaxLine = 554

// shimSendInput is an AT+QISEND payload being collected by the engine
// (dce.Payload): fixed (n > 0) ends after n bytes, variable with Ctrl+Z;
// ESC cancels both.
type shimSendInput struct {
	conn  *shimConn
	fixed int
	buf   []byte
	// done takes the payload instead of sendPayload when not nil: a
	// dialect's own send command.
	done func(data []byte)
}

// input hands host bytes to the engine. While a command holds the line
// (the engine is suspended), they wait in pending for resume.
func (s *shimSession) input(b []byte) {
	for len(b) > 0 && !s.closing {
		if s.e.Suspended() {
			s.pending = append(s.pending, b...)
			return
		}
		b = b[s.e.Input(b):]
		s.afterInput()
	}
}

// afterInput delivers received data that waited for a command line.
func (s *shimSession) afterInput() {
	if !s.e.Suspended() && !s.e.InPayload() {
		s.flushRecv()
	}
}

// resume processes host input held while a command ran.
func (s *shimSession) resume() {
	if s.closing {
		return
	}
	s.e.Resume()
	p := s.pending
	s.pending = nil
	s.input(p)
	s.afterInput()
}

// hold makes the host wait: its further input stays unread until
// resume, as while a module's command runs.
func (s *shimSession) hold() { s.e.Suspend() }

// busy reports that the host waits for a command (or a payload's
// SEND OK).
func (s *shimSession) busy() bool { return s.e.Suspended() }

// beforeLine checks a whole command line before any of it runs, so that
// a parameter the M95 cannot take fails the line with nothing done, and
// delivers what waited for the previous one.
func (s *shimSession) beforeLine(e *dce.Engine, line string) bool {
	s.flushRecv()
	body, _ := at.Body(line)
	cmds, err := parseShimLine(body)
	if err != nil {
		s.log.Debug("shim: bad command line", "line", line, "err", err)
		e.Result(at.Error)
		return false
	}
	s.lineLeft = len(cmds)
	s.log.Debug("shim: command", "line", line)
	return true
}

// control passes a control character typed in command state to a
// personality that acts on one (controller).
func (s *shimSession) control(_ *dce.Engine, c byte) {
	if p, ok := s.pers.(controller); ok {
		p.control(c)
	}
}

// engineCommands is the session's command table as the engine runs it.
func (s *shimSession) engineCommands() map[string]dce.Handler {
	t := make(map[string]dce.Handler, len(s.cmds)+1)
	for name, h := range s.cmds {
		t[name] = s.adapt(h)
	}
	t["S"] = s.adapt((*shimSession).cmdSReg)
	return t
}

// adapt runs a shim handler on the engine: the command's parameters
// split and unquoted, errShimFinal as dce.ErrHandled (or the payload the
// handler asked for), a *dialer.CMEError as the engine reports it under
// AT+CMEE, anything else ERROR.
func (s *shimSession) adapt(h shimHandler) dce.Handler {
	return func(e *dce.Engine, c at.Command) error {
		s.lineLeft--
		sc, err := newShimCmd(c)
		if err != nil {
			return at.Error
		}
		err = h(s, &sc)
		s.applySettings() // ATE, ATV, ATZ... changed them
		switch {
		case err == nil:
			return nil
		case err == errShimFinal:
			if p := s.capture; p != nil {
				s.capture = nil
				return e.Capture(*p)
			}
			return dce.ErrHandled
		default:
			if cme, ok := shimCME(err); ok {
				return cme
			}
			return at.Error
		}
	}
}

// startSend collects a payload for c (fixed > 0 for AT+QISEND=<len>).
func (s *shimSession) startSend(c *shimConn, fixed int) {
	s.startPayload(&shimSendInput{conn: c, fixed: fixed})
}

// startPayload has the engine show the prompt and collect the payload
// st describes, once the handler returns errShimFinal.
func (s *shimSession) startPayload(st *shimSendInput) {
	s.send = st
	p := dce.Payload{
		Length: st.fixed, Limit: s.cfg.Profile.MaxSend,
		Echo: s.ip.sde != 0, Edit: true, NoPrompt: s.ip.prompt != 1,
		Done: func(_ *dce.Engine, data []byte) error {
			st.buf = data
			s.finishSend(st)
			return dce.ErrHandled
		},
	}
	if !s.e.Verbose() {
		p.Prompt = "> "
	}
	s.capture = &p
	if s.ip.autos == 1 {
		// Timed sending: whatever came in is sent when the timer
		// expires, SEND FAIL if nothing did.
		s.afterFunc(time.Duration(s.ip.autosT)*time.Second, func() {
			if s.send == st && s.e.InPayload() {
				s.e.EndPayload()
				s.afterInput()
			}
		})
	}
}

// finishSend hands a complete payload on.
func (s *shimSession) finishSend(st *shimSendInput) {
	s.send = nil
	if st.done != nil {
		st.done(st.buf)
		return
	}
	s.sendPayload(st.conn, st.buf)
}

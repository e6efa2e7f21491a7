package dce

import "github.com/gprsppp/gprsppp/at"

// Control characters that end a payload (3GPP TS 27.005 §3.5.1).
const (
	ctrlZ = 0x1a // sends the payload
	esc   = 0x1b // cancels it
)

// Payload is data a command takes after a prompt, as AT+CMGS, AT+QISEND
// and AT#SSEND do.
type Payload struct {
	// Prompt is written before the payload; "" means "\r\n> " with no
	// line end after it, as 27.005 §3.5.1 and the socket dialects have it.
	Prompt string
	// NoPrompt writes no prompt at all (Quectel's AT+QIPROMPT=0).
	NoPrompt bool
	// Length, if positive, is the payload's fixed length; otherwise
	// Ctrl-Z ends it and ESC cancels it (answered OK, Done not called).
	// Limit bounds a payload ended by Ctrl-Z.
	Length, Limit int
	// Echo echoes the payload when command echo is on.
	Echo bool
	// Edit lets backspace (S5) remove the last byte of a payload ended
	// by Ctrl-Z, as a terminal user types it.
	Edit bool
	// Done takes the payload; what it returns is the command's final
	// result, as a Handler's (ErrHandled: it answered itself).
	Done func(e *Engine, data []byte) error
}

// InPayload reports whether a payload is being collected.
func (e *Engine) InPayload() bool { return e.state == payloadState }

// EndPayload ends the payload being collected as Ctrl-Z would, with
// what came so far: a module's timed send (Quectel's AT+QIAUTOS).
func (e *Engine) EndPayload() {
	if e.state == payloadState {
		e.endPayload(true)
		e.flush()
	}
}

// Capture has the command line's last command take a payload after a
// prompt. A Handler returns what it returns: return e.Capture(p). The
// commands after it on the line are not run.
func (e *Engine) Capture(p Payload) error {
	if p.Prompt == "" {
		p.Prompt = "\r\n> "
	}
	if p.Limit <= 0 {
		p.Limit = 4096
	}
	e.payload = &p
	return errPayload
}

func (e *Engine) startPayload() {
	e.state = payloadState
	e.data = e.data[:0]
	if !e.payload.NoPrompt {
		e.out = append(e.out, e.payload.Prompt...)
	}
}

// payloadInput collects payload bytes from b and returns how many it
// took: up to the end of the payload.
func (e *Engine) payloadInput(b []byte) int {
	p := e.payload
	for i, c := range b {
		// Hosts end command lines with CR LF: the LF after the CR of
		// the command line is not payload.
		afterCR := e.afterCR
		e.afterCR = false
		if afterCR && c == '\n' && len(e.data) == 0 {
			continue
		}
		if p.Length <= 0 {
			switch c {
			case ctrlZ:
				e.endPayload(true)
				return i + 1
			case esc:
				e.endPayload(false)
				return i + 1
			case byte(e.sregs[5]):
				if p.Edit {
					if n := len(e.data); n > 0 {
						e.data = e.data[:n-1]
					}
					if p.Echo && e.echo {
						e.out = append(e.out, c)
					}
					continue
				}
			}
		}
		if p.Echo && e.echo {
			e.out = append(e.out, c)
		}
		if p.Length > 0 || len(e.data) < p.Limit {
			e.data = append(e.data, c)
		}
		if p.Length > 0 && len(e.data) == p.Length {
			e.endPayload(true)
			return i + 1
		}
	}
	return len(b)
}

// endPayload answers the command that took the payload.
func (e *Engine) endPayload(send bool) {
	p := e.payload
	e.payload, e.state = nil, commandState
	if !send {
		e.Result(nil)
		return
	}
	var err error
	if p.Done != nil {
		err = p.Done(e, append([]byte(nil), e.data...))
	}
	switch err {
	case ErrHandled:
		return
	case errPayload:
		err = at.Error
	}
	e.Result(err)
}

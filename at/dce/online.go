package dce

import "time"

// DataMode is the embedder's side of a call in online data state.
type DataMode interface {
	// Data takes bytes the DTE sent in online data state: the slice
	// given to Input, or a new one when escape characters held back turn
	// out to be data. It may keep b only if the embedder does not reuse
	// the buffers it passes to Input.
	Data(b []byte)
	// Escaped tells that the DTE escaped to online command state ("+++"
	// with guard times, or a DTR drop under AT&D1); the call stays up.
	// The engine then answers OK.
	Escaped()
	// HangUp tells that a DTR drop under AT&D2 ended the call, and
	// returns the final result the engine answers with: at.NoCarrier
	// as V.250 has it, or what the modem imitated says (nil is OK).
	HangUp() error
}

// GoOnline hands the line to dm in online data state: from a Handler,
// once the command line's final result code (CONNECT) is out, else at
// once. Input then passes the bytes it takes to dm.Data, except the
// escape sequence.
func (e *Engine) GoOnline(dm DataMode) {
	e.pending = dm
	if !e.inLine {
		e.enterData()
	}
}

func (e *Engine) enterData() {
	e.dm, e.pending = e.pending, nil
	e.state = dataState
	e.esc.Reset(e.clk.Now())
}

// Online reports whether the engine is in online data state.
func (e *Engine) Online() bool { return e.state == dataState }

// Hangup forgets the call: the engine is in command state, without a
// result code (the embedder writes one with Result if it wants).
func (e *Engine) Hangup() {
	e.stopTimer()
	e.dm, e.pending = nil, nil
	if e.state == dataState {
		e.state = commandState
		e.flushURCs()
	}
}

// guard is the escape guard time, S12 in fiftieths of a second.
func (e *Engine) guard() time.Duration {
	return time.Duration(e.sregs[12]) * time.Second / 50
}

// dataInput passes bytes received in online data state to the call,
// watching for the escape sequence.
func (e *Engine) dataInput(b []byte) {
	if e.noEscape {
		e.dm.Data(b)
		return
	}
	e.esc.Char, e.esc.Guard = byte(e.sregs[2]), e.guard()
	data, wait := e.esc.Input(e.clk.Now(), b)
	if len(data) > 0 {
		e.dm.Data(data)
	}
	if !wait {
		e.stopTimer()
		return
	}
	if e.esc.Guard == 0 {
		e.escape()
		return
	}
	if e.timer != nil {
		return
	}
	e.timer = e.clk.AfterFunc(e.esc.Guard, func() {
		e.post(func() {
			e.timer = nil
			if e.state == dataState && e.esc.Timeout(e.clk.Now()) {
				e.escape()
				e.flush()
			}
		})
	})
}

func (e *Engine) post(f func()) {
	if e.cfg.Post == nil {
		f()
		return
	}
	e.cfg.Post(f)
}

func (e *Engine) stopTimer() {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
}

// escape goes to online command state with the call kept.
func (e *Engine) escape() {
	e.log.Debug("dce: escape, online command state")
	e.state = commandState
	e.esc.Reset(e.clk.Now())
	e.dm.Escaped()
	e.Result(nil)
	e.flushURCs()
}

func (e *Engine) flushURCs() {
	urcs := e.urcs
	e.urcs = nil
	for _, u := range urcs {
		e.Info(u)
	}
}

// DTR tells the engine of a change of the DTE's Data Terminal Ready
// (circuit 108/2). Dropping it in online data state acts as AT&D says:
// &D0 ignores it, &D1 escapes to online command state as "+++" does,
// &D2 hangs up and answers NO CARRIER (V.250 §6.2.9).
func (e *Engine) DTR(on bool) {
	if on || e.state != dataState {
		return
	}
	switch e.dtr {
	case 1:
		e.escape()
	case 2:
		dm := e.dm
		e.Hangup()
		e.Result(dm.HangUp())
	}
	e.flush()
}

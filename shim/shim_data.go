package shim

import (
	"bytes"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/modemsock"
)

// Escape from transparent mode (seed §4): at least shimEscGuard of silence
// before the first '+' and after the third. The seed asks for less than
// 20 ms between the '+'s; the shim allows shimEscGap because USB serial
// adapters and ptys deliver bytes in bursts.
const (
	shimEscGuard = 500 * time.Millisecond
	shimEscGap   = 100 * time.Millisecond
)

// shimData is the transparent mode connection (the M95's AT+QIMODE=1,
// the BG96's access mode 2) and its data mode state. It is the engine's
// dce.DataMode: the engine watches for the "+++" escape and DTR, and
// hands the rest of the host's bytes to Data.
type shimData struct {
	s    *shimSession
	sock *modemsock.Socket
	// owner is the dialect's connection in data mode (*shimConn,
	// *bg96Socket, ...), for the dialect to know its own.
	owner any
	// hangUp closes owner on an AT&D2 DTR drop, returning the final
	// result the module gives for it.
	hangUp   func() error
	active   bool // data mode; false after +++ until ATO
	tbuf     []byte
	pack     clock.Timer
	inflight int  // writes queued on the connection
	stalled  bool // host input paused until writes drain
}

// shimDTRPoll is how often DTR is read in data mode.
const shimDTRPoll = 100 * time.Millisecond

// shimDTR is the optional DTR input of Serve's byte stream.
type shimDTR interface {
	DTR() (bool, error)
}

func (s *shimSession) enterData(c *shimConn) {
	s.goOnline(&shimData{s: s, sock: c.sock, owner: c, hangUp: func() error {
		// The manuals give no text for it; the shim says CLOSED, as
		// when a transparent connection ends (seed §4), then OK, as
		// when AT&D1 returns to command mode.
		s.closeConn(c, false)
		c.pdp.conns[c.idx] = nil
		c.pdp.ipClose = c.pdp.mux == 0
		s.line("CLOSED")
		return nil
	}})
}

// goOnline hands the host's line to d in data mode: at once, or after
// the command line that asked for it.
func (s *shimSession) goOnline(d *shimData) {
	s.data, d.active = d, true
	s.e.SetEscape(s.ip.tcfg.esc == 1)
	s.e.GoOnline(d)
	s.pollDTR(func() bool { return s.data == d && d.active })
	s.dataDeliver()
}

// dataDeliver gives the host what the transparent connection received,
// raw, while in data mode.
func (s *shimSession) dataDeliver() {
	d := s.data
	if c, ok := d.owner.(*shimConn); ok {
		s.deliver(c) // the M95's, with its own bookkeeping
		return
	}
	if d.active && d.sock.Buffered() > 0 {
		s.raw(d.sock.Read(d.sock.Buffered()))
	}
}

// pollDTR watches for a DTR drop while online reports that the data
// mode it was started for goes on (AT&D1, AT&D2): the engine acts on it
// as AT&D says, through the data mode's Escaped or HangUp.
func (s *shimSession) pollDTR(online func() bool) {
	dtr, ok := s.rw.(shimDTR)
	if !ok || s.set.dtr == 0 {
		return
	}
	wasUp, err := dtr.DTR()
	if err != nil {
		return
	}
	var check func()
	check = func() {
		if !online() {
			return
		}
		up, err := dtr.DTR()
		if err != nil {
			return
		}
		if wasUp && !up {
			s.e.DTR(false) // as AT&D says
			s.afterInput()
			return
		}
		wasUp = up
		s.afterFunc(shimDTRPoll, check)
	}
	s.afterFunc(shimDTRPoll, check)
}

// Escaped implements dce.DataMode: "+++" or a DTR drop under AT&D1
// (V.250 §6.2.9) changed to command mode, keeping the connection; ATO
// returns. What the host typed goes out first. The engine answers OK.
func (d *shimData) Escaped() {
	d.s.sendData(d.tbuf)
	d.tbuf = nil
	d.active = false
}

// HangUp implements dce.DataMode: a DTR drop under AT&D2. The
// transparent connection closes as the dialect's close command would,
// dropping what the host typed that is not yet written, and the host is
// back in command mode with the dialect's words for it (the M95's
// CLOSED and OK, the BG96's and Telit's NO CARRIER).
func (d *shimData) HangUp() error { return d.hangUp() }

// Data implements dce.DataMode: the host's bytes in data mode, packed as
// AT+QITCFG says.
func (d *shimData) Data(b []byte) {
	d.tbuf = append(d.tbuf, b...)
	d.s.packData()
}

// leaveData stops data mode for good (the connection is gone).
func (s *shimSession) leaveData() {
	d := s.data
	s.e.Hangup()
	if d.pack != nil {
		d.pack.Stop()
	}
	if d.stalled {
		d.stalled = false
		s.resume()
	}
}

// packData sends full packets of AT+QITCFG's size at once and the rest
// after its wait time.
func (s *shimSession) packData() {
	d, size := s.data, s.ip.tcfg.size
	for len(d.tbuf) >= size {
		s.sendData(d.tbuf[:size])
		d.tbuf = d.tbuf[size:]
	}
	if len(d.tbuf) == 0 || d.pack != nil {
		return
	}
	if s.ip.tcfg.wait == 0 {
		s.sendData(d.tbuf)
		d.tbuf = nil
		return
	}
	d.pack = s.afterFunc(time.Duration(s.ip.tcfg.wait)*100*time.Millisecond, func() {
		if s.data != d {
			return
		}
		d.pack = nil
		s.sendData(d.tbuf)
		d.tbuf = nil
	})
}

// sendData queues data on the connection; host input pauses while the
// connection's queue is full.
func (s *shimSession) sendData(b []byte) {
	d := s.data
	if len(b) == 0 {
		return
	}
	ok := d.sock.Write(bytes.Clone(b), func(error) {
		d.inflight--
		if d.stalled && s.data == d && d.inflight < modemsock.TxQueue/2 {
			d.stalled = false
			s.resume()
		}
	})
	if !ok {
		return // the connection is closing; CLOSED follows
	}
	d.inflight++
	if d.inflight >= modemsock.TxQueue-1 {
		d.stalled = true
		s.hold()
	}
}

func (s *shimSession) cmdATO(c *shimCmd) error {
	d := s.data
	if d == nil || d.active || d.sock.State() != modemsock.Connected {
		return errShimState
	}
	s.resumeData()
	return errShimFinal
}

// resumeData returns to data mode after +++ (ATO; the BG96's
// AT+QISWTMD=<id>,2).
func (s *shimSession) resumeData() {
	s.result("CONNECT")
	s.goOnline(s.data)
}

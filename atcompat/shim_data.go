package atcompat

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
// the BG96's access mode 2) and its data mode state.
type shimData struct {
	sock     *modemsock.Socket
	conn     *shimConn   // the M95's connection; nil for the BG96
	bg       *bg96Socket // the BG96's; nil for the M95
	active   bool // data mode; false after +++ until ATO
	tbuf     []byte
	last     time.Time // arrival of the last data byte
	plus     int       // '+'s held back as a possible escape
	lastPlus time.Time
	gen      int // invalidates escape timers
	pack     clock.Timer
	inflight int  // writes queued on the connection
	stalled  bool // host input paused until writes drain
	dtrUp    bool // DTR at the last poll
}

// shimDTRPoll is how often DTR is read in data mode.
const shimDTRPoll = 100 * time.Millisecond

// shimDTR is the optional DTR input of Serve's byte stream.
type shimDTR interface {
	DTR() (bool, error)
}

func (s *shimSession) enterData(c *shimConn) {
	s.data = &shimData{sock: c.sock, conn: c, active: true, last: s.cfg.Clock.Now()}
	s.pollDTR(s.data)
	s.deliver(c)
}

// dataDeliver gives the host what the transparent connection received,
// raw, while in data mode.
func (s *shimSession) dataDeliver() {
	d := s.data
	if d.conn != nil {
		s.deliver(d.conn)
		return
	}
	if d.active && d.sock.Buffered() > 0 {
		s.raw(d.sock.Read(d.sock.Buffered()))
	}
}

// pollDTR watches for a DTR drop while d is in data mode (AT&D1, AT&D2).
func (s *shimSession) pollDTR(d *shimData) {
	dtr, ok := s.rw.(shimDTR)
	if !ok || s.set.dtr == 0 {
		return
	}
	up, err := dtr.DTR()
	if err != nil {
		return
	}
	d.dtrUp = up
	var check func()
	check = func() {
		if s.data != d || !d.active {
			return
		}
		up, err := dtr.DTR()
		if err != nil {
			return
		}
		if d.dtrUp && !up {
			s.dtrDropped()
			return
		}
		d.dtrUp = up
		s.afterFunc(shimDTRPoll, check)
	}
	s.afterFunc(shimDTRPoll, check)
}

// dtrDropped acts on DTR going from ON to OFF in data mode (V.250
// §6.2.9; the M95 and M35 manuals' AT&D): AT&D1 changes to command mode
// keeping the connection, AT&D2 disconnects it and changes to command
// mode.
func (s *shimSession) dtrDropped() {
	if s.set.dtr == 2 {
		s.disconnectData()
		return
	}
	s.commandMode()
}

// disconnectData is AT&D2's DTR drop: the transparent connection closes as
// with AT+QICLOSE (IP CLOSE), dropping what the host typed that is not yet
// written, and the host is back in command mode. The manuals give no text
// for it; the shim says CLOSED, as when a transparent connection ends
// (seed §4), then OK, as when AT&D1 returns to command mode.
func (s *shimSession) disconnectData() {
	if k := s.data.bg; k != nil {
		s.bg96Release(k) // leaves data mode
		s.result("NO CARRIER")
		return
	}
	c := s.data.conn
	s.closeConn(c, false)
	c.pdp.conns[c.idx] = nil
	c.pdp.ipClose = c.pdp.mux == 0
	s.line("CLOSED")
	s.result("OK")
}

// commandMode leaves data mode (+++ or DTR) with OK; ATO returns.
func (s *shimSession) commandMode() {
	d := s.data
	d.plus = 0
	d.gen++
	s.sendData(d.tbuf)
	d.tbuf = nil
	d.active = false
	s.result("OK")
}

// leaveData stops data mode for good (the connection is gone).
func (s *shimSession) leaveData() {
	d := s.data
	d.gen++
	if d.pack != nil {
		d.pack.Stop()
	}
	if d.stalled {
		d.stalled = false
		s.resume()
	}
}

// dataInput takes host bytes in data mode.
func (s *shimSession) dataInput(b []byte) {
	d, now := s.data, s.cfg.Clock.Now()
	for _, c := range b {
		if d.plus > 0 {
			if c == '+' && d.plus < 3 && now.Sub(d.lastPlus) <= shimEscGap {
				d.plus++
				d.lastPlus = now
				s.armEscape()
				continue
			}
			s.plusAsData()
		}
		if c == '+' && s.ip.tcfg.esc == 1 && now.Sub(d.last) >= shimEscGuard {
			d.plus, d.lastPlus = 1, now
			s.armEscape()
			continue
		}
		d.tbuf = append(d.tbuf, c)
		d.last = now
	}
	s.packData()
}

// plusAsData turns held '+'s into data.
func (s *shimSession) plusAsData() {
	d := s.data
	d.tbuf = append(d.tbuf, bytes.Repeat([]byte("+"), d.plus)...)
	d.last, d.plus = d.lastPlus, 0
	d.gen++
}

// armEscape waits for the next '+' (shimEscGap) or, after the third, for
// the closing guard time.
func (s *shimSession) armEscape() {
	d := s.data
	d.gen++
	gen, wait := d.gen, shimEscGap
	if d.plus == 3 {
		wait = shimEscGuard
	}
	s.afterFunc(wait, func() {
		if s.data != d || d.gen != gen {
			return
		}
		if d.plus < 3 {
			s.plusAsData()
			s.packData()
			return
		}
		s.commandMode()
	})
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
		d.stalled, s.busy = true, true
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
	d := s.data
	s.result("CONNECT")
	d.active, d.last = true, s.cfg.Clock.Now()
	s.pollDTR(d)
	s.dataDeliver()
}

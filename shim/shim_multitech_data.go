package shim

import (
	"bytes"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/modemsock"
)

// The framing characters of the Multi-Tech bridge (dialects.md §2.4).
const (
	etx = 0x03 // end of the session
	dle = 0x10 // the next character is data
)

// mtMaxDatagram is the most one #OUDP datagram carries; more waiting
// goes in the next.
const mtMaxDatagram = 1460

// mtData is the Multi-Tech bridge: the one session's data mode, a
// dce.DataMode. With DLE framing (DLEMODE=1 for TCP, always for UDP) a
// bare ETX from the host ends the session, and ETX and DLE in the data
// go as DLE ETX and DLE DLE both ways; without it every byte is data
// and the host cannot end the session. The engine's "+++" escape is
// off: the module has none.
type mtData struct {
	s       *shimSession
	sock    *modemsock.Socket
	udp     bool
	dle     bool
	txDelay int  // ms: UDP packs what the host sends for this long
	opening bool // #OTCP or #OUDP waits for the connection
	// keep is #LUDPSTART's listener, which reads the session's
	// datagrams: it closes with the session.
	keep  *modemsock.Listener
	ended bool

	esc      bool   // the host's last byte was a DLE
	tbuf     []byte // host data not yet written
	pack     clock.Timer
	inflight int
	stalled  bool
	closed   func() // the host's ETX: run once the writes are out
}

// Data implements dce.DataMode: the host's bytes, unframed.
func (d *mtData) Data(b []byte) {
	if d.ended {
		return
	}
	if !d.dle {
		d.add(b)
		return
	}
	out := make([]byte, 0, len(b))
	for i, c := range b {
		switch {
		case d.esc:
			// DLE then any character is that character; the module
			// documents DLE ETX and DLE DLE only.
			d.esc = false
			out = append(out, c)
		case c == dle:
			d.esc = true // may end this buffer: the next one completes it
		case c == etx:
			d.add(out)
			d.s.mtHostClose(d, b[i+1:])
			return
		default:
			out = append(out, c)
		}
	}
	d.add(out)
}

// Escaped implements dce.DataMode: a DTR drop under AT&D1 (the "+++"
// escape is off). The module has no command to go back to the session,
// so the shim ends it as at a DTR drop under AT&D2: what the host sent
// goes out, the socket closes, Ok_Info_SocketClosed, and the engine's
// OK.
func (d *mtData) Escaped() { d.hangUp() }

// HangUp implements dce.DataMode: a DTR drop under AT&D2 ends the
// session as the host's ETX does, Ok_Info_SocketClosed then OK (nil),
// whatever DLEMODE is: the host hung up the line.
func (d *mtData) HangUp() error {
	d.hangUp()
	return nil
}

func (d *mtData) hangUp() {
	s := d.s
	d.flushTx()
	s.mt().sess = nil
	d.stop()
	s.mtInfo(mtSocketClosed)
}

// mtHostClose ends the session at the host's ETX: what it sent before
// goes out, then the socket closes, Ok_Info_SocketClosed, and OK ("the
// TCP process is completely finished", seed 003). The host waits until
// then. What followed the ETX is command input: OpenDMTP sends three
// ETX, and the other two are ignored there.
func (s *shimSession) mtHostClose(d *mtData, rest []byte) {
	d.flushTx()
	s.mt().sess = nil
	d.ended = true
	s.e.Hangup()
	s.pending = append(bytes.Clone(rest), s.pending...)
	if !d.stalled {
		s.hold()
	}
	d.stalled = false
	d.closed = func() {
		d.stop()
		s.mtInfo(mtSocketClosed)
		s.result("OK")
		s.resume()
	}
	if d.inflight == 0 {
		s.afterFunc(0, d.closed) // once the engine's Input has returned
	}
}

// add queues host data for the session.
func (d *mtData) add(b []byte) {
	if len(b) == 0 {
		return
	}
	if !d.udp {
		d.write(b)
		return
	}
	// UDP: a datagram is what the host sent within #UDPTXDELAY.
	d.tbuf = append(d.tbuf, b...)
	for len(d.tbuf) >= mtMaxDatagram {
		d.write(d.tbuf[:mtMaxDatagram])
		d.tbuf = d.tbuf[mtMaxDatagram:]
	}
	if len(d.tbuf) == 0 || d.pack != nil {
		return
	}
	d.pack = d.s.afterFunc(time.Duration(d.txDelay)*time.Millisecond, func() {
		d.pack = nil
		if !d.ended {
			d.flushTx()
		}
	})
}

// flushTx writes what waits for the UDP packing timer.
func (d *mtData) flushTx() {
	if d.pack != nil {
		d.pack.Stop()
		d.pack = nil
	}
	if len(d.tbuf) > 0 {
		d.write(d.tbuf)
		d.tbuf = nil
	}
}

// write queues b on the socket; host input pauses while its queue is
// full (the module's serial flow control).
func (d *mtData) write(b []byte) {
	s := d.s
	ok := d.sock.Write(bytes.Clone(b), func(error) {
		d.inflight--
		if d.closed != nil && d.inflight == 0 {
			d.closed()
			return
		}
		if d.stalled && d.inflight < modemsock.TxQueue/2 {
			d.stalled = false
			s.resume()
		}
	})
	if !ok {
		return // closing: Ok_Info_SocketClosed follows
	}
	d.inflight++
	if d.inflight >= modemsock.TxQueue-1 && !d.stalled {
		d.stalled = true
		s.hold()
	}
}

// deliver gives the host what the session received, framed.
func (d *mtData) deliver() {
	if d.opening || d.ended || d.sock.Buffered() == 0 {
		return
	}
	data := d.sock.Read(d.sock.Buffered())
	if d.dle {
		data = mtStuff(data)
	}
	d.s.raw(data)
}

// mtStuff puts a DLE before each ETX and DLE of data.
func mtStuff(data []byte) []byte {
	n := bytes.Count(data, []byte{etx}) + bytes.Count(data, []byte{dle})
	if n == 0 {
		return data
	}
	out := make([]byte, 0, len(data)+n)
	for _, c := range data {
		if c == etx || c == dle {
			out = append(out, dle)
		}
		out = append(out, c)
	}
	return out
}

// stop closes the session's socket and forgets its timers; the host's
// input, if paused for it, goes on.
func (d *mtData) stop() {
	d.ended = true
	if d.pack != nil {
		d.pack.Stop()
		d.pack = nil
	}
	d.sock.Close()
	if d.keep != nil {
		d.keep.Close()
		d.keep = nil
	}
	if d.stalled {
		d.stalled = false
		d.s.resume()
	}
}

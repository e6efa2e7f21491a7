package session

import (
	"sync"

	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
)

// writer frames packets onto the line. LCP packets always go with the
// default ACCM and no compression (RFC 1661 §6.5, §6.6; RFC 1662 §7.1);
// everything else with what LCP negotiated.
type writer struct {
	s     *Session
	mu    sync.Mutex // guards all below and serialises writes to the line
	ctl   ppp.Encoder
	data  ppp.Encoder
	buf   []byte
	trace []byte
	dead  bool
}

func (w *writer) init(s *Session) {
	w.s = s
	w.ctl = ppp.Encoder{ACCM: 0xffffffff}
	w.data = w.ctl
}

// negotiated applies LCP's outcome to data frames.
func (w *writer) negotiated(ng lcp.Negotiated) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.data = ppp.Encoder{ACCM: ng.SendACCM, PFC: ng.SendPFC, ACFC: ng.SendACFC}
}

// reset returns data frames to the defaults when LCP goes down.
func (w *writer) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.data = w.ctl
}

// write frames and sends one packet; a failure is reported to the loop.
func (w *writer) write(proto ppp.Protocol, info []byte, control bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dead {
		return ErrClosed
	}
	enc := &w.data
	if control {
		enc = &w.ctl
	}
	if t := w.s.cfg.Trace; t != nil {
		w.trace = append(append(w.trace[:0], 0xff, 0x03, byte(proto>>8), byte(proto)), info...)
		t(true, w.trace)
	}
	w.buf = enc.AppendFrame(w.buf[:0], proto, info)
	if _, err := w.s.rw.Write(w.buf); err != nil {
		w.s.stats.writeErrors.Add(1)
		w.s.lineError(err)
		return err
	}
	w.s.stats.framesOut.Add(1)
	w.s.stats.octetsOut.Add(uint64(len(w.buf)))
	if proto == ppp.ProtocolIPv4 {
		w.s.stats.ipOut.Add(1)
	}
	return nil
}

// close closes the line after any write in progress.
func (w *writer) close() {
	// Closing first unblocks a write stuck on a dead line.
	w.s.rw.Close()
	w.mu.Lock()
	w.dead = true
	w.mu.Unlock()
}

// sendFunc returns a Send function for a control protocol.
func (s *Session) sendFunc(proto ppp.Protocol) func([]byte) {
	return func(pkt []byte) {
		s.logPacket("sent", proto, pkt)
		s.w.write(proto, pkt, proto == ppp.ProtocolLCP)
	}
}

package shim

import (
	"fmt"

	"github.com/gprsppp/gprsppp/at"
)

func (s *shimSession) cmdQISEND(c *shimCmd) error {
	p := s.pdp()
	if c.Op == at.Test {
		s.line(fmt.Sprintf("+QISEND: <length>(1-%d)", s.cfg.Profile.MaxSend))
		return nil
	}
	if p.mode == 1 || (c.Op != at.Action && c.Op != at.Set) {
		return errShimState
	}
	lenArg := 0
	if p.mux == 1 {
		lenArg = 1
		if c.Op != at.Set || !c.argc(1, 2) {
			return errShimParam
		}
	} else if !c.argc(0, 1) {
		return errShimParam
	}
	cn, ok := s.connArg(c, 0)
	if p.mux == 0 {
		cn, ok = s.connFor(p), true
	}
	if !ok {
		return errShimParam
	}
	fixed := 0
	if len(c.args) > lenArg {
		n, ok := c.intArg(lenArg, 1, s.cfg.Profile.MaxSend)
		if !ok {
			return errShimParam
		}
		fixed = n
	}
	if cn == nil || cn.state != connConnected {
		return errShimState
	}
	s.startSend(cn, fixed)
	return errShimFinal
}

// sendPayload queues a QISEND payload for the connection's writer and
// answers SEND OK at once, like the module once the data is in its send
// window (checklist item 5: within 1 s). While the queue is full the host
// waits for SEND OK and its further input stays unread.
func (s *shimSession) sendPayload(c *shimConn, data []byte) {
	switch {
	case len(data) == 0 || c.state != connConnected:
		s.line("SEND FAIL")
	case s.write(c, data, nil):
		s.sendOK()
	default:
		c.waiting = data
		s.hold()
	}
}

func (s *shimSession) cmdQISACK(c *shimCmd) error {
	p := s.pdp()
	if c.Op == at.Test {
		return nil
	}
	var cn *shimConn
	switch {
	case p.mux == 0 && c.Op == at.Action:
		cn = s.connFor(p)
	case p.mux == 1 && c.Op == at.Set && len(c.args) == 1:
		var ok bool
		if cn, ok = s.connArg(c, 0); !ok {
			return errShimParam
		}
	default:
		return errShimParam
	}
	if cn == nil {
		return errShimState
	}
	// sent counts what the module took (queued or written); acked what
	// the peer acknowledged, or, without UnackedConn, all of it: a write
	// still in flight must not show as unacknowledged after its echo was
	// already received.
	// UDP: "In UDP connection, the acknowledged data is always 0."
	var sent, acked int
	if cn.sock != nil {
		sent, acked = cn.sock.Counters()
	}
	nAcked := sent - acked
	if cn.udp {
		nAcked = 0
	}
	s.line(fmt.Sprintf("+QISACK: %d, %d, %d", sent, acked, nAcked))
	return nil
}

func (s *shimSession) cmdQIRD(c *shimCmd) error {
	if c.Op == at.Test {
		return nil
	}
	id, ok1 := c.intArg(0, 0, 1)
	_, ok2 := c.intArg(1, 1, 2)
	sid, ok3 := c.intArg(2, 0, s.cfg.Profile.MaxConnections-1)
	n, ok4 := c.intArg(3, 1, 1500)
	if c.Op != at.Set || len(c.args) != 4 || !ok1 || !ok2 || !ok3 || !ok4 {
		return errShimParam
	}
	cn := s.pdps[id].conns[sid]
	if cn == nil {
		return errShimState
	}
	if cn.buffered() == 0 {
		return nil
	}
	data := s.take(cn, n)
	s.line(fmt.Sprintf("+QIRD: %s:%d,%s,%d", cn.remote().Addr(), cn.remote().Port(), cn.proto(), len(data)))
	s.raw(data)
	// Data left waiting is announced again after the OK (flushRecv):
	// TinyGSM's M95 driver takes each +QIRDI for 1500 octets and reads
	// no more until the next one, and other hosts read once per notice.
	cn.notified = false
	s.deliverClosed(cn)
	return nil
}

// sendOK reports a payload taken, unless AT+QIPROMPT=2 asked for silence.
func (s *shimSession) sendOK() {
	if s.ip.prompt != 2 {
		s.line("SEND OK")
	}
}

package atcompat

import (
	"fmt"
)

// deliver gives c's buffered data to the host as AT+QINDI says: pushed
// (0), announced by +QIRDI for AT+QIRD (1, 2), or raw in transparent data
// mode. Data the host cannot take now stays buffered; the buffer's bound
// then stops the connection's reader.
func (s *shimSession) deliver(c *shimConn) {
	if d := s.data; d != nil && d.conn == c {
		if d.active && c.rxLen > 0 {
			s.raw(s.take(c, c.rxLen))
		}
		return
	}
	if c.pdp.mode == 1 {
		return
	}
	switch s.ip.indi {
	case 0:
		if s.busy || s.inState.send != nil {
			return
		}
		s.push(c)
	case 1:
		// Once per "buffer became non-empty" (checklist item 3).
		if c.rxLen > 0 && !c.notified {
			c.notified = true
			s.line(fmt.Sprintf("+QIRDI: %d,%d,%d", c.pdp.id, c.sc(), c.idx))
		}
	case 2:
		// MC60 clients read exactly <tlen> and then wait for the next
		// +QIRDI, so a new one follows once all announced bytes are read.
		if c.rxLen > 0 && c.announced == 0 {
			c.announced = c.rxLen
			s.line(fmt.Sprintf("+QIRDI: %d,%d,%d,%d,%d,%d",
				c.pdp.id, c.sc(), c.idx, len(c.rx), len(c.rx[len(c.rx)-1]), c.rxLen))
		}
	}
	s.deliverClosed(c)
}

// push writes c's buffered data with the headers of AT+QIMUX, AT+QISHOWRA,
// AT+QISHOWLA, AT+QIHEAD and AT+QISHOWPT (seed §5.3.1), one block per read.
func (s *shimSession) push(c *shimConn) {
	for len(c.rx) > 0 {
		data := s.take(c, len(c.rx[0]))
		if c.pdp.mux == 1 {
			s.line(fmt.Sprintf("+RECEIVE: %d, %d", c.idx, len(data)))
		}
		if s.ip.showRA != 0 {
			s.line(fmt.Sprintf("RECV FROM:%s:%d", c.remote.Addr(), c.remote.Port()))
		}
		if s.ip.showLA != 0 {
			s.line(fmt.Sprintf("TO:%s", c.local.Addr()))
		}
		if s.ip.head != 0 {
			pt := ""
			if s.ip.showPT != 0 && c.pdp.mux == 0 {
				pt = c.proto()
			}
			s.raw(fmt.Appendf(nil, "IPD%d%s:", len(data), pt))
		}
		s.raw(data)
	}
}

// deliverClosed reports CLOSED for a connection the peer closed, after the
// data pushed before it.
func (s *shimSession) deliverClosed(c *shimConn) {
	if !c.eof || c.state != connClosed || (s.ip.indi == 0 && c.rxLen > 0 && c.pdp.mode == 0) {
		return
	}
	c.eof = false
	s.line(c.urcPrefix() + "CLOSED")
}

// flushRecv delivers what waited for a command to finish.
func (s *shimSession) flushRecv() {
	for _, p := range s.pdps {
		for _, c := range p.conns {
			if c != nil && (c.rxLen > 0 || c.eof) {
				s.deliver(c)
			}
		}
	}
}

package shim

import (
	"fmt"
	"time"
)

// deliver gives c's buffered data to the host as AT+QINDI says: pushed
// (0), announced by +QIRDI for AT+QIRD (1, 2), or raw in transparent data
// mode. Data the host cannot take now stays buffered; the buffer's bound
// then stops the connection's reader.
func (s *shimSession) deliver(c *shimConn) {
	if d := s.data; d != nil && d.owner == c {
		if d.active && c.buffered() > 0 {
			s.raw(s.take(c, c.buffered()))
		}
		return
	}
	if c.pdp.mode == 1 {
		return
	}
	switch s.ip.indi {
	case 0:
		if s.busy() || s.e.InPayload() {
			return
		}
		s.push(c)
	case 1, 2:
		// Once per "buffer became non-empty" (checklist item 3), and again
		// after an AT+QIRD that left data waiting (cmdQIRD).
		if c.buffered() > 0 && !c.notified {
			c.notified = true
			s.announce(c)
		}
	}
	s.deliverClosed(c)
}

// shimModuleBuffer is the receive buffer of the module being imitated, the
// most a +QIRDI announces. Quectel does not publish the M95's; the GPRS
// modules of its generation hold "only 25 KB" (seed 000). The shim's own
// buffer (Profile.RecvBuffer, 64 KiB) may hold more, but hosts size their
// reads by the announcement: TinyGSM's MC60 driver parses <tlen> as an
// int16_t, so 65532 would read as -4 and the notice would be dropped.
const shimModuleBuffer = 25 << 10

// shimMaxPackets is the most packets a +QIRDI announces: TinyGSM's MC60
// driver parses <num> as an int8_t and drops a notice with a negative one.
const shimMaxPackets = 127

// announce tells the host that c has data for AT+QIRD: "+QIRDI:
// <id>,<sc>,<sid>" under AT+QINDI=1, with ",<num>,<len>,<tlen>" under
// AT+QINDI=2.
func (s *shimSession) announce(c *shimConn) {
	urc := fmt.Sprintf("+QIRDI: %d,%d,%d", c.pdp.id, c.sc(), c.idx)
	if s.ip.indi == 2 {
		num, last, total := shimAnnouncement(c.sock.Packets())
		urc += fmt.Sprintf(",%d,%d,%d", num, last, total)
	}
	s.line(urc)
}

// shimAnnouncement is what a +QIRDI under AT+QINDI=2 reports of a
// connection's buffered packets: the number of packets, the length of the last one, and the total,
// counting no further than a module's buffer could hold (shimModuleBuffer,
// shimMaxPackets). The rest stays buffered, as if it were still on its
// way: a host that reads what was announced is announced the rest.
func shimAnnouncement(packets [][]byte) (num, last, total int) {
	for _, p := range packets {
		if num == shimMaxPackets || total == shimModuleBuffer {
			break
		}
		last = min(len(p), shimModuleBuffer-total)
		num++
		total += last
	}
	return num, last, total
}

// push writes c's buffered data with the headers of AT+QIMUX, AT+QISHOWRA,
// AT+QISHOWLA, AT+QIHEAD and AT+QISHOWPT (seed §5.3.1), one block per read.
func (s *shimSession) push(c *shimConn) {
	for c.buffered() > 0 {
		data := s.take(c, len(c.sock.Packets()[0]))
		if c.pdp.mux == 1 {
			s.line(fmt.Sprintf("+RECEIVE: %d, %d", c.idx, len(data)))
		}
		if s.ip.showRA != 0 {
			s.line(fmt.Sprintf("RECV FROM:%s:%d", c.remote().Addr(), c.remote().Port()))
		}
		if s.ip.showLA != 0 {
			s.line(fmt.Sprintf("TO:%s", c.local().Addr()))
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
	if !c.eof || c.state != connClosed || (s.ip.indi == 0 && c.buffered() > 0 && c.pdp.mode == 0) {
		return
	}
	c.eof = false
	s.line(c.urcPrefix() + "CLOSED")
}

// flushRecv delivers what waited for a command to finish, and marks the
// moment the port's command line last had input or an answer.
func (s *shimSession) flushRecv() {
	s.quiet = s.cfg.Clock.Now()
	s.pers.flushRecv()
}

// urcGuard is how long an unsolicited result announcing data (SRING,
// +CIPRXGET: 1, CLOSED) waits after the port's last command input or
// answer, so that it does not follow a final result at once. attentive's
// reader thread reuses the buffer holding a response for the next line
// before its caller has parsed it, so a URC right behind an OK turns the
// response into the URC. On a module the radio's latency keeps them
// apart.
const urcGuard = 50 * time.Millisecond

// afterQuiet runs f on the loop once the port has been quiet for
// urcGuard, and reports true, unless it is quiet already (false: the
// caller goes on at once). due marks a run already scheduled, so that
// one waits at most once.
func (s *shimSession) afterQuiet(due *bool, f func()) bool {
	wait := urcGuard - s.cfg.Clock.Now().Sub(s.quiet)
	if wait <= 0 {
		return false
	}
	if !*due {
		*due = true
		s.afterFunc(wait, func() {
			*due = false
			f()
		})
	}
	return true
}

// m95FlushRecv is flushRecv for the M95.
func (s *shimSession) m95FlushRecv() {
	for _, p := range s.pdps {
		for _, c := range p.conns {
			if c != nil && (c.buffered() > 0 || c.eof) {
				s.deliver(c)
			}
		}
	}
}

package cmux

import (
	"bytes"
	"fmt"
	"slices"
)

// pendingMsg is a control command awaiting its response.
type pendingMsg struct {
	msg   Message
	dlci  int // the DLC an MSC or PN is about, -1 for others
	retry *retry
	reply func(Message, error) // nil: nobody waits
}

func (p *pendingMsg) stop() { p.retry.stop() }

// msgDLCI is the DLC an MSC or PN value is about, -1 for other messages.
func msgDLCI(m Message) int {
	switch {
	case m.Type == MsgMSC && len(m.Value) > 0:
		return int(m.Value[0] >> 2)
	case m.Type == MsgPN && len(m.Value) > 0:
		return int(m.Value[0] & 0x3F)
	}
	return -1
}

// sendMsg sends a control message on DLCI 0.
func (m *Mux) sendMsg(msg Message) {
	m.log.Debug("cmux: send control", "msg", msg)
	m.send(Frame{DLCI: 0, CR: m.cmdCR(), Type: UIH, Info: msg.Append(nil)})
}

// request sends the command msg, again every T2 up to retries times
// until its response arrives, then calls reply (if not nil) with the
// response, or with ErrNotSupported after NSC, ErrNoResponse, or the
// multiplexer's end.
func (m *Mux) request(msg Message, retries int, reply func(Message, error)) {
	if m.ended {
		return
	}
	p := &pendingMsg{msg: msg, dlci: msgDLCI(msg), reply: reply}
	m.log.Debug("cmux: send control", "msg", msg)
	f := Frame{DLCI: 0, CR: m.cmdCR(), Type: UIH, Info: msg.Append(nil)}
	p.retry = m.sendRetried(f, m.cfg.T2, retries, func() {
		m.removePending(p)
		m.log.Debug("cmux: control message unanswered", "msg", msg)
		if reply != nil {
			reply(Message{}, fmt.Errorf("%w to %v after %d tries", ErrNoResponse, msg.Type, retries+1))
		}
	})
	m.pending = append(m.pending, p)
}

// isPending reports whether a command of type t awaits its response.
func (m *Mux) isPending(t MsgType) bool {
	return slices.ContainsFunc(m.pending, func(p *pendingMsg) bool { return p.msg.Type == t })
}

func (m *Mux) removePending(p *pendingMsg) {
	if i := slices.Index(m.pending, p); i >= 0 {
		m.pending = slices.Delete(m.pending, i, i+1)
	}
}

// control handles the messages in a UIH frame on DLCI 0.
func (m *Mux) control(b []byte) {
	for len(b) > 0 {
		msg, rest, err := ParseMessage(b)
		if err != nil {
			m.stats.unknown.Add(1)
			m.log.Debug("cmux: bad control message", "err", err)
			return
		}
		b = rest
		m.log.Debug("cmux: receive control", "msg", msg)
		if msg.Command {
			m.onCommand(msg)
		} else {
			m.onResponse(msg)
		}
		if m.ended {
			return
		}
	}
}

// onResponse completes the pending command msg answers.
func (m *Mux) onResponse(msg Message) {
	typ, dlci, err := msg.Type, msgDLCI(msg), error(nil)
	if msg.Type == MsgNSC {
		if len(msg.Value) == 0 {
			return
		}
		// TS 27.010 echoes the rejected type octet; Linux n_gsm 6.1
		// sends it without its EA bit, shifted right by one (PN command
		// 0x83 comes back as 0x41, which read the standard way is PSC).
		// Take whichever names a pending command.
		v := msg.Value[0]
		typ, dlci, err = MsgType(v>>2), -2, ErrNotSupported
		if !m.isPending(typ) {
			typ = MsgType(v >> 1 & 0x3F)
		}
	}
	for _, p := range m.pending {
		// An MSC response echoes its command's value.
		sameMSC := typ != MsgMSC || dlci == -2 || bytes.Equal(p.msg.Value, msg.Value)
		if p.msg.Type == typ && (dlci == -2 || p.dlci == dlci) && sameMSC {
			p.stop()
			m.removePending(p)
			if p.reply != nil {
				p.reply(msg, err)
			}
			return
		}
	}
}

// onCommand answers a command from the peer.
func (m *Mux) onCommand(msg Message) {
	switch msg.Type {
	case MsgPN:
		m.onPN(msg)
	case MsgTest:
		m.sendMsg(Message{Type: msg.Type, Value: msg.Value})
	case MsgPSC:
		// This end has no low-power state of its own; the peer sleeps
		// once it has the response, and is woken before the next frame.
		m.sendMsg(Message{Type: msg.Type, Value: msg.Value})
		m.wq.push(nil)
	case MsgFCon, MsgFCoff:
		m.setAggregate(msg.Type == MsgFCoff)
		m.sendMsg(Message{Type: msg.Type})
	case MsgMSC:
		m.onMSC(msg)
	case MsgCLD:
		m.sendMsg(Message{Type: MsgCLD})
		m.finish(fmt.Errorf("%w: CLD", ErrClosedByPeer))
	default:
		m.stats.unknown.Add(1)
		m.sendMsg(Message{Type: MsgNSC, Value: []byte{msg.typeOctet()}})
	}
}

// onPN answers a parameter negotiation with the smaller N1.
func (m *Mux) onPN(msg Message) {
	p, err := ParsePN(msg.Value)
	if err != nil || p.DLCI == 0 {
		m.stats.unknown.Add(1)
		return
	}
	n1 := m.cfg.N1
	if p.N1 > 0 && int(p.N1) < n1 {
		n1 = int(p.N1)
	}
	if d := m.dlcs[p.DLCI]; d == nil || d.state != dlcOpen {
		m.peerN1[p.DLCI] = n1
	}
	p.N1, p.FrameType, p.CL, p.K = uint16(n1), 0, 0, 0
	m.sendMsg(Message{Type: MsgPN, Value: p.Append(nil)})
}

// onMSC answers a modem status command, echoing it, and passes the
// signals to the channel.
func (m *Mux) onMSC(msg Message) {
	s, err := ParseMSC(msg.Value)
	if err != nil {
		m.stats.unknown.Add(1)
		return
	}
	m.sendMsg(Message{Type: MsgMSC, Value: msg.Value})
	if d := m.dlcs[s.DLCI]; d != nil && d.ch != nil {
		d.ch.setPeer(s.Signals)
	}
}

// syncFC sends an MSC if the channel's reader state (throttled or not)
// differs from the FC bit last sent. The reader changes that state on its
// own goroutine and the loop may learn of it late, after data that
// throttled it again: the state at send time is what counts.
func (m *Mux) syncFC(d *dlc) {
	if fc := d.ch.isThrottled(); fc != d.sentFC {
		if fc {
			m.stats.flowStops.Add(1)
		} else {
			m.stats.flowResumes.Add(1)
		}
		m.sendMSC(d, fc)
	}
}

// sendMSC sends this end's signals for d: RTC, RTR and DV always (n_gsm
// stops sending on RTR=0 and hangs up on DV=0), FC to ask the peer to
// stop.
func (m *Mux) sendMSC(d *dlc, fc bool) {
	d.sentFC = fc
	s := RTC | RTR | DV
	if fc {
		s |= FC
	}
	// A newer MSC supersedes one still unanswered: retransmitting the old
	// one after it would leave the peer with stale signals (FC set for
	// good).
	for _, p := range slices.Clone(m.pending) {
		if p.msg.Type == MsgMSC && p.dlci == d.dlci {
			p.stop()
			m.removePending(p)
		}
	}
	m.request(Message{Type: MsgMSC, Command: true, Value: MSC{DLCI: d.dlci, Signals: s}.Append(nil)}, m.cfg.N2, nil)
}

// setAggregate applies FCon or FCoff to every channel.
func (m *Mux) setAggregate(off bool) {
	m.aggOff = off
	for _, d := range m.dlcs {
		if d != nil && d.ch != nil {
			d.ch.setAggregate(off)
		}
	}
}

// checkAlive sends a Test command if no frame came since the last
// check, and ends the multiplexer if the peer does not answer.
func (m *Mux) checkAlive() {
	if m.ended {
		return
	}
	testing := slices.ContainsFunc(m.pending, func(p *pendingMsg) bool { return p.msg.Type == MsgTest })
	if !m.rxSeen && !testing && m.ctrl == dlcOpen {
		m.request(Message{Type: MsgTest, Command: true, Value: []byte("gprsppp")}, m.cfg.N2, func(_ Message, err error) {
			if err != nil {
				m.finish(fmt.Errorf("%w: %w", ErrPeerSilent, err))
			}
		})
	}
	m.rxSeen = false
	m.keepAlive = m.after(m.cfg.KeepAlive, m.checkAlive)
}

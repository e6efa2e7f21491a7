package fsm

import (
	"slices"

	"github.com/gprsppp/gprsppp/ppp"
)

// act executes one action of a transition; actions is the whole list, so
// irc can tell whether it prepares Configure- or Terminate-Requests.
func (m *Machine) act(a Action, actions []Action, e Event) {
	switch a {
	case TLU:
		m.cb.Up()
	case TLD:
		m.cb.Down()
	case TLS:
		m.cb.Started()
	case TLF:
		m.cb.Finished()
	case IRC:
		m.restart = m.cfg.MaxConfigure
		if slices.Contains(actions, STR) {
			m.restart = m.cfg.MaxTerminate
		}
	case ZRC:
		m.restart = 0
		m.timer.Reset(m.cfg.Restart)
	case SCR:
		m.sendConfigureRequest(e == TOPlus)
	case SCA, SCN:
		m.sendReply()
	case STR:
		m.restart--
		m.send(TerminateRequest, m.NextID(), nil)
		m.timer.Reset(m.cfg.Restart)
	case STA:
		m.send(TerminateAck, m.replyID, nil)
	case SCJ:
		rej := m.rcvd
		if max := m.cfg.MaxReply - ppp.ControlHeaderLen; len(rej) > max {
			rej = rej[:max]
		}
		m.send(CodeReject, m.NextID(), rej)
	case SER:
		// Echo-Reply is sent by the protocol's ReceiveOther (LCP only).
	}
}

// sendConfigureRequest sends our Configure-Request. A retransmission
// after a timeout repeats the outstanding request with its Identifier, so
// a late Ack for it still counts (RFC 1661 §5.1 allows either).
func (m *Machine) sendConfigureRequest(retransmit bool) {
	if !retransmit || !m.sentReq {
		m.reqOpts = m.cb.AppendRequest(m.reqOpts[:0])
		m.reqID = m.NextID()
		m.sentReq = true
	}
	m.restart--
	m.send(ConfigureRequest, m.reqID, m.reqOpts)
	m.timer.Reset(m.cfg.Restart)
}

// sendReply sends the Configure-Ack, -Nak or -Reject prepared by receive.
func (m *Machine) sendReply() {
	m.send(m.replyCode, m.replyID, m.reply)
}

func (m *Machine) send(code Code, id uint8, data []byte) {
	m.buf = ppp.ControlPacket{Code: uint8(code), Identifier: id, Data: data}.Append(m.buf[:0])
	m.cfg.Send(m.buf)
}

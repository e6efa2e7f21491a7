package fsm

import (
	"bytes"

	"github.com/gprsppp/gprsppp/ppp"
)

// Receive processes one packet of the machine's protocol: the information
// field of a PPP frame. Malformed packets are dropped and reported.
func (m *Machine) Receive(pkt []byte) error {
	var p ppp.ControlPacket
	if err := p.Parse(pkt); err != nil {
		return err
	}
	code := Code(p.Code)
	switch code {
	case ConfigureRequest:
		m.receiveRequest(p)
	case ConfigureAck, ConfigureNak, ConfigureReject:
		m.receiveReply(code, p)
	case TerminateRequest:
		m.replyID = p.Identifier
		m.event(RTR)
	case TerminateAck:
		m.event(RTA)
	case CodeReject:
		m.receiveCodeReject(p.Data)
	default:
		if !m.cb.ReceiveOther(code, p.Identifier, p.Data) {
			m.rcvd = append(m.rcvd[:0], pkt[:ppp.ControlHeaderLen+len(p.Data)]...)
			m.event(RUC)
		}
	}
	return nil
}

// negotiating reports states in which a Configure-Request is processed;
// in the others the table answers with Terminate-Ack or ignores it.
func (m *Machine) negotiating() bool {
	return m.state == Stopped || m.state >= ReqSent
}

func (m *Machine) receiveRequest(p ppp.ControlPacket) {
	m.replyID = p.Identifier
	if !m.negotiating() {
		m.event(RCRPlus)
		return
	}
	m.replyCode, m.reply = m.cb.ReceiveRequest(p.Data, m.reply[:0], m.naks >= m.cfg.MaxFailure)
	if m.replyCode == ConfigureAck {
		m.naks = 0 // Max-Failure counts Naks sent without an Ack between
		m.event(RCRPlus)
		return
	}
	if m.replyCode == ConfigureNak {
		m.naks++
	}
	m.event(RCRMinus)
}

func (m *Machine) receiveReply(code Code, p ppp.ControlPacket) {
	if m.state < ReqSent {
		m.replyID = p.Identifier
		m.event(RCA) // Terminate-Ack in Closed and Stopped, ignored elsewhere
		return
	}
	if !m.sentReq || p.Identifier != m.reqID {
		m.cfg.Logger.Debug("reply for another request dropped", "protocol", m.cfg.Protocol, "code", code, "id", p.Identifier)
		return
	}
	var ok bool
	switch code {
	case ConfigureAck:
		ok = bytes.Equal(p.Data, m.reqOpts) && m.cb.ReceiveAck(p.Data)
	case ConfigureNak:
		// A peer that keeps Nak'ing what we cannot change would loop
		// at line speed: past Max-Failure its Naks count as Rejects
		// (pppd's treat_as_reject), so we stop asking or give up.
		m.rnaks++
		if m.rnaks > m.cfg.MaxFailure {
			ok = m.cb.ReceiveReject(p.Data)
		} else {
			ok = m.cb.ReceiveNak(p.Data)
		}
	default:
		ok = m.cb.ReceiveReject(p.Data)
	}
	if !ok {
		m.cfg.Logger.Debug("bad reply dropped", "protocol", m.cfg.Protocol, "code", code, "id", p.Identifier)
		return
	}
	// A request is answered once: a duplicate reply is dropped above, and
	// the next request is built anew.
	m.sentReq = false
	if code == ConfigureAck {
		m.rnaks = 0
		m.event(RCA)
		return
	}
	m.event(RCN)
}

// receiveCodeReject chooses between RXJ+ and RXJ- (RFC 1661 §5.6). A
// reject of a code the automaton sends (1 to 7) is RXJ-: without it the
// protocol cannot work. A reject of any other code is RXJ- only if the
// protocol says it sends and needs that code; otherwise, and for codes
// no one sends (0, say), it is logged, counted and RXJ+: a confused
// peer's reject of a code we never sent does not end an Opened link.
func (m *Machine) receiveCodeReject(data []byte) {
	if len(data) == 0 {
		return
	}
	rejected := Code(data[0])
	if ConfigureRequest <= rejected && rejected <= CodeReject || m.cb.CodeRejectFatal(rejected) {
		m.event(RXJMinus)
		return
	}
	m.ignoredRejects.Add(1)
	m.cfg.Logger.Debug("code-reject ignored", "protocol", m.cfg.Protocol, "code", rejected)
	m.event(RXJPlus)
}

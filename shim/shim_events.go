package shim

import "github.com/gprsppp/gprsppp/modemsock"

// onSocketEvent renders what the socket core reports in the M95's words:
// CONNECT OK or CONNECT FAIL (dialed), REMOTE IP (accepted), the received
// data as AT+QINDI says (deliver: +QIRDI, +RECEIVE and IPD headers, or raw
// in transparent mode), CLOSED (peerClosed), SEND OK for a payload that
// waited for room (sendWaiting), +PDP DEACT (pdpDeact).
func (s *shimSession) onSocketEvent(ev modemsock.Event) { s.pers.event(ev) }

// m95Event is onSocketEvent for the M95.
func (s *shimSession) m95Event(ev modemsock.Event) {
	switch ev.Kind {
	case modemsock.EventContextLost:
		s.pdpDeact(ev.Context.Data.(*shimPDP))
		return
	case modemsock.EventAccepted:
		s.accepted(ev.Listener.Data.(*shimServer), ev.Socket)
		return
	}
	c, ok := ev.Socket.Data.(*shimConn)
	if !ok {
		return
	}
	switch ev.Kind {
	case modemsock.EventConnected:
		s.dialed(c, nil)
	case modemsock.EventConnectFailed:
		s.dialed(c, ev.Err)
	case modemsock.EventReadable:
		s.deliver(c)
	case modemsock.EventPeerClosed:
		s.peerClosed(c, ev.Err)
	case modemsock.EventSent, modemsock.EventSendFailed:
		s.sendWaiting(c)
	}
}

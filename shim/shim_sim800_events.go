package shim

import (
	"fmt"

	"github.com/gprsppp/gprsppp/modemsock"
)

// sim800Event renders what the socket core reports in the SIM800's
// words: [<n>, ]CONNECT OK or CONNECT FAIL (dialed), <n>, REMOTE IP:
// (accepted), +CIPRXGET: 1 or the pushed data (sim800Deliver), [<n>, ]
// CLOSED and +PDP: DEACT.
func (s *shimSession) sim800Event(ev modemsock.Event) {
	st := s.sim()
	switch ev.Kind {
	case modemsock.EventContextLost:
		s.sim800ContextLost(ev.Context)
		return
	case modemsock.EventAccepted:
		s.sim800Accepted(ev.Listener, ev.Socket)
		return
	}
	k, _ := ev.Socket.Data.(*sim800Conn)
	if k == nil || !st.conns.Holds(k.id, k) {
		return // a connection the host closed
	}
	switch ev.Kind {
	case modemsock.EventConnected:
		k.state = simConnected
		if st.mode == 1 {
			s.result("CONNECT")
			s.goOnline(&shimData{s: s, sock: k.sock, owner: k, hangUp: func() error {
				s.sim800Release(k) // leaves data mode
				s.line("CLOSED")
				return nil
			}})
			s.resume()
			return
		}
		s.line(st.prefix(k.id) + "CONNECT OK")
	case modemsock.EventConnectFailed:
		s.log.Debug("shim: connect failed", "id", k.id, "err", ev.Err)
		s.sim800ConnectFailed(k)
	case modemsock.EventReadable:
		s.sim800Deliver(k)
	case modemsock.EventPeerClosed:
		k.state = simClosed
		s.sim800Retry(k)
		if d := s.data; d != nil && d.owner == k {
			// Transparent: the last data, then CLOSED in command mode.
			s.dataDeliver()
			s.leaveData()
			s.data, k.told = nil, true
			s.line("CLOSED")
			return
		}
		s.sim800Deliver(k)
	case modemsock.EventSent, modemsock.EventSendFailed:
		s.sim800Retry(k)
	}
}

// sim800ConnectFailed reports a failed AT+CIPSTART and frees its
// number.
func (s *shimSession) sim800ConnectFailed(k *sim800Conn) {
	st := s.sim()
	st.conns.Free(k.id, k)
	if st.mux == 1 {
		s.line(st.prefix(k.id) + "CONNECT FAIL")
		return
	}
	st.lastProto = k.proto()
	s.line("STATE: " + st.stateName())
	s.line("CONNECT FAIL")
	if st.mode == 1 {
		s.resume()
	}
}

// sim800Accepted gives a client of AT+CIPSERVER the lowest free number,
// or refuses it when none is free.
func (s *shimSession) sim800Accepted(lis *modemsock.Listener, sock *modemsock.Socket) {
	st := s.sim()
	id, ok := st.conns.Lowest()
	if lis != st.server || !ok || st.mux == 0 && id != 0 {
		sock.Close()
		return
	}
	k := &sim800Conn{id: id, state: simConnected, sock: sock, server: true,
		host: sock.Remote().Addr().String(), port: int(sock.Remote().Port())}
	sock.Data = k
	st.conns.Set(id, k)
	s.line(fmt.Sprintf("%sREMOTE IP: %s", st.prefix(id), sock.Remote().Addr()))
}

// sim800Deliver tells the host of k's data, or pushes it, and then of
// its close; while a command runs it waits (sim800Flush).
func (s *shimSession) sim800Deliver(k *sim800Conn) {
	st := s.sim()
	if d := s.data; d != nil && d.owner == k {
		s.dataDeliver() // raw in data mode; held after +++ until ATO
		return
	}
	if s.busy() || s.e.InPayload() || k.sock == nil {
		return
	}
	if st.rxget == 1 && s.sim800URCDue(k) && s.afterQuiet(&k.urcDue, func() {
		if st.conns.Holds(k.id, k) {
			s.sim800Deliver(k)
		}
	}) {
		return
	}
	if st.rxget == 1 {
		if k.sock.Buffered() > 0 && !k.notified {
			k.notified = true
			if st.mux == 1 {
				s.line(fmt.Sprintf("+CIPRXGET: 1,%d", k.id))
			} else {
				s.line("+CIPRXGET: 1")
			}
		}
	} else {
		s.sim800Push(k)
	}
	if k.state == simClosed && !k.told && (st.rxget == 1 || k.sock.Buffered() == 0) {
		k.told = true
		s.line(st.prefix(k.id) + "CLOSED")
	}
}

// sim800URCDue reports whether k has a URC to give in manual receive:
// +CIPRXGET: 1 for data not yet announced, or CLOSED.
func (s *shimSession) sim800URCDue(k *sim800Conn) bool {
	return k.sock.Buffered() > 0 && !k.notified || k.state == simClosed && !k.told
}

// sim800Push writes k's data as it came (at most a packet of 1460 at a
// time): "+RECEIVE,<n>,<len>:" before each under AT+CIPMUX=1, "+IPD,
// <len>:" under AT+CIPHEAD=1 in single mode, and "RECV FROM:<ip>:<port>"
// before either under AT+CIPSRIP=1.
func (s *shimSession) sim800Push(k *sim800Conn) {
	st := s.sim()
	for k.sock.Buffered() > 0 {
		data := k.sock.Read(sim800MaxRead)
		if st.srip == 1 {
			r := k.sock.Remote()
			s.line(fmt.Sprintf("RECV FROM:%s:%d", r.Addr(), r.Port()))
		}
		switch {
		case st.mux == 1:
			s.line(fmt.Sprintf("+RECEIVE,%d,%d:", k.id, len(data)))
		case st.head == 1 && st.showtp == 1:
			s.raw(fmt.Appendf(nil, "\r\n+IPD,%d,%s:", len(data), k.proto()))
		case st.head == 1:
			s.raw(fmt.Appendf(nil, "\r\n+IPD,%d:", len(data)))
		}
		s.raw(data)
	}
}

// sim800Flush delivers what waited for a command to finish.
func (s *shimSession) sim800Flush() {
	for _, k := range s.sim().conns.All() {
		if k.sock != nil && k.sock.Buffered() > 0 || k.state == simClosed && !k.told {
			s.sim800Deliver(k)
		}
	}
}

// sim800ContextLost handles the loss of the network: of the CIP*
// context, every connection closes, +PDP: DEACT, and the state is PDP
// DEACT until AT+CIPSHUT; of the AT+SAPBR bearer, +SAPBR 1: DEACT.
func (s *shimSession) sim800ContextLost(x *modemsock.Context) {
	st := s.sim()
	x.Deactivate(errShimState)
	if x == st.bearer {
		s.line("+SAPBR 1: DEACT")
		return
	}
	s.log.Debug("shim: context lost")
	for _, k := range st.conns.All() {
		if k.sock != nil {
			k.sock.Close()
		}
		k.state, k.told = simClosed, true // +PDP: DEACT says it for all
		if d := s.data; d != nil && d.owner == k {
			s.leaveData()
			s.data = nil
			s.line("CLOSED")
		}
	}
	if st.server != nil {
		st.server.Close()
		st.server = nil
	}
	st.stage = simPDPDeact
	s.line("+PDP: DEACT")
}

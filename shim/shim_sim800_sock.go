package shim

import (
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/at/dce"
)

// connArg returns the connection number in parameter k under
// AT+CIPMUX=1, 0 in single mode (where the parameter is absent; k is
// then the first parameter after it).
func (st *sim800State) connArg(c *shimCmd) (id, next int, ok bool) {
	if st.mux == 0 {
		return 0, 0, true
	}
	id, ok = c.intArg(0, 0, st.mod.conns-1)
	return id, 1, ok
}

// prefix is "<n>, " under AT+CIPMUX=1, nothing in single mode.
func (st *sim800State) prefix(id int) string {
	if st.mux == 0 {
		return ""
	}
	return strconv.Itoa(id) + ", "
}

// AT+CIPSTART=[<n>,]"TCP"|"UDP","<ip|name>",<port>: OK at once, then
// CONNECT OK (CONNECT in transparent mode), CONNECT FAIL or ALREADY
// CONNECT. In single mode from IP INITIAL the module brings the bearer
// up itself with AT+CSTT's APN.
func (s *shimSession) cmdSIM800CIPSTART(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		if st.mux == 1 {
			s.line(fmt.Sprintf(`+CIPSTART: (0-%d),("TCP","UDP"),("(0-255).(0-255).(0-255).(0-255)"),(1-65535)`, st.mod.conns-1))
		} else {
			s.line(`+CIPSTART: ("TCP","UDP"),("(0-255).(0-255).(0-255).(0-255)"),(1-65535)`)
		}
		return nil
	}
	id, k0, ok := st.connArg(c)
	if c.Op != at.Set || !ok || len(c.args) != k0+3 {
		return errShimParam
	}
	proto := strings.ToUpper(c.args[k0].val)
	host := c.args[k0+1].val
	port, okP := c.intArg(k0+2, 1, 65535)
	if proto != "TCP" && proto != "UDP" || host == "" || !okP {
		return errShimParam
	}
	switch {
	case st.mux == 1 && st.stage != simIPStatus:
		return errShimState
	case st.mux == 0 && st.stage != simIPStatus && st.stage != simIPInitial:
		return errShimState
	case st.mux == 0 && st.server != nil:
		return errShimState
	}
	if k := st.conns.Get(id); k != nil && k.state != simClosed {
		s.result("OK")
		s.line(st.prefix(id) + "ALREADY CONNECT")
		return errShimFinal
	}
	if k := st.conns.Get(id); k != nil {
		s.sim800Release(k) // a connection the peer closed: replaced
	}
	k := &sim800Conn{id: id, udp: proto == "UDP", host: host, port: port}
	st.conns.Set(id, k)
	st.lastProto = ""
	s.result("OK")
	if st.mode == 1 {
		s.hold() // until CONNECT or CONNECT FAIL
	}
	if st.stage == simIPInitial {
		st.stage = simIPConfig
		st.px.Activate(s.cfg.Backend, st.apn, st.user, st.pass, shimActivateTimeout, func(err error) {
			if !st.conns.Holds(id, k) {
				return
			}
			if err != nil {
				s.log.Debug("shim: activation failed", "err", err)
				st.stage = simPDPDeact
				s.sim800ConnectFailed(k)
				return
			}
			st.stage = simIPStatus
			s.sim800Dial(k)
		})
		return errShimFinal
	}
	s.sim800Dial(k)
	return errShimFinal
}

// sim800Dial starts k's connection.
func (s *shimSession) sim800Dial(k *sim800Conn) {
	k.sock = s.socks.Dial(s.sim().px.Network(), k.udp, net.JoinHostPort(k.host, strconv.Itoa(k.port)), shimDialTimeout)
	k.sock.Data = k
}

// AT+CIPSEND=[<n>[,<len>]] (single: AT+CIPSEND[=<len>]): the prompt,
// then len octets or data ended by Ctrl-Z (ESC cancels). SEND OK, or
// DATA ACCEPT:[<n>,]<len> after AT+CIPQSEND=1, once the data is in the
// connection's send queue.
func (s *shimSession) cmdSIM800CIPSEND(c *shimCmd) error {
	st := s.sim()
	max := s.cfg.Profile.MaxSend
	switch c.Op {
	case at.Test:
		if st.mux == 1 {
			s.line(fmt.Sprintf("+CIPSEND: (0-%d),(1-%d)", st.mod.conns-1, max))
		} else {
			s.line(fmt.Sprintf("+CIPSEND: (1-%d)", max))
		}
		return nil
	case at.Read:
		if st.mux == 0 {
			s.line(fmt.Sprintf("+CIPSEND: %d", max))
			return nil
		}
		for id := range st.mod.conns {
			s.line(fmt.Sprintf("+CIPSEND: %d,%d", id, max))
		}
		return nil
	case at.Set, at.Action:
	default:
		return errShimParam
	}
	if st.mux == 1 && c.Op != at.Set {
		return errShimParam
	}
	id, k0, ok := st.connArg(c)
	if !ok || !c.argc(k0, k0+1) {
		return errShimParam
	}
	fixed := 0
	if len(c.args) > k0 {
		if fixed, ok = c.intArg(k0, 1, max); !ok {
			return errShimParam
		}
	}
	k := st.conns.Get(id)
	if k == nil || k.state != simConnected || st.mode == 1 {
		return errShimState
	}
	p := dce.Payload{Length: fixed, Limit: max, Echo: true, Edit: true,
		Done: func(_ *dce.Engine, data []byte) error {
			s.sim800Send(k, data)
			return dce.ErrHandled
		}}
	if !s.e.Verbose() {
		p.Prompt = "> "
	}
	// AT+CIPSPRT: 1 (the default) shows the prompt, 0 and 2 do not.
	p.NoPrompt = st.sprt != 1
	s.capture = &p
	return errShimFinal
}

// sim800Send queues a payload and answers it; while the connection's
// queue is full the host waits.
func (s *shimSession) sim800Send(k *sim800Conn, data []byte) {
	st := s.sim()
	answer := func(ok bool) {
		switch {
		case !ok:
			s.line(st.prefix(k.id) + "SEND FAIL")
		case st.qsend == 1 && st.mux == 1:
			s.line(fmt.Sprintf("DATA ACCEPT:%d,%d", k.id, len(data)))
		case st.qsend == 1:
			s.line(fmt.Sprintf("DATA ACCEPT:%d", len(data)))
		case st.sprt != 2:
			s.line(st.prefix(k.id) + "SEND OK")
		}
	}
	switch {
	case len(data) == 0 || !st.conns.Holds(k.id, k) || k.state != simConnected:
		answer(false)
	case k.sock.Write(data, nil):
		answer(true)
	default:
		k.waiting = data
		k.wait = func() { answer(true) }
		s.hold()
	}
}

// sim800Retry queues a payload that waited for room, if there is room
// now, and answers it; the host goes on. A connection closed meanwhile
// gets SEND FAIL.
func (s *shimSession) sim800Retry(k *sim800Conn) {
	if k.waiting == nil {
		return
	}
	data, answer := k.waiting, k.wait
	if k.state == simConnected && !k.sock.Write(data, nil) {
		return
	}
	k.waiting, k.wait = nil, nil
	if k.state == simConnected {
		answer()
	} else {
		s.line(s.sim().prefix(k.id) + "SEND FAIL")
	}
	s.resume()
}

// AT+CIPACK[=<n>]: +CIPACK: <txlen>,<acklen>,<nacklen>.
func (s *shimSession) cmdSIM800CIPACK(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		return nil
	}
	if st.mux == 1 && c.Op != at.Set || st.mux == 0 && c.Op != at.Action {
		return errShimParam
	}
	id, _, ok := st.connArg(c)
	if !ok || len(c.args) > 1 {
		return errShimParam
	}
	k := st.conns.Get(id)
	if k == nil || k.sock == nil {
		return errShimState
	}
	sent, acked := k.sock.Counters()
	if k.udp {
		acked = sent
	}
	s.line(fmt.Sprintf("+CIPACK: %d,%d,%d", sent, acked, sent-acked))
	return nil
}

// AT+CIPRXGET=<0|1> picks push or manual receive; =2,[<n>,]<len> reads,
// =3 reads as hex, =4[,<n>] tells how much waits.
func (s *shimSession) cmdSIM800CIPRXGET(c *shimCmd) error {
	st := s.sim()
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("+CIPRXGET: %d", st.rxget))
		return nil
	case at.Test:
		s.line(fmt.Sprintf("+CIPRXGET: (0-4),(0-%d),(1-%d)", s.sim().mod.conns-1, sim800MaxRead))
		return nil
	case at.Set:
	default:
		return errShimParam
	}
	mode, ok := c.intArg(0, 0, 4)
	if !ok {
		return errShimParam
	}
	if mode <= 1 {
		if len(c.args) != 1 {
			return errShimParam
		}
		st.rxget = mode
		for _, k := range st.conns.All() {
			s.sim800Deliver(k)
		}
		return nil
	}
	rest := &shimCmd{Command: c.Command, args: c.args[1:]}
	id, k0, ok := st.connArg(rest)
	want := k0 + 1
	if mode == 4 {
		want = k0
	}
	if !ok || len(rest.args) != want || st.rxget != 1 {
		return errShimParam
	}
	k := st.conns.Get(id)
	if k == nil || k.sock == nil {
		return errShimState
	}
	head := fmt.Sprintf("+CIPRXGET: %d,", mode)
	if st.mux == 1 {
		head += strconv.Itoa(id) + ","
	}
	if mode == 4 {
		s.line(head + strconv.Itoa(min(k.sock.Buffered(), sim800ModuleBuffer)))
		return nil
	}
	limit := sim800MaxRead
	if mode == 3 {
		limit /= 2
	}
	n, ok := rest.intArg(k0, 1, limit)
	if !ok {
		return errShimParam
	}
	data := k.sock.Read(n)
	left := min(k.sock.Buffered(), sim800ModuleBuffer)
	s.line(fmt.Sprintf("%s%d,%d", head, len(data), left))
	// The data, then "\r\nOK\r\n" (dialects.md §3.2).
	if mode == 3 {
		s.raw([]byte(strings.ToUpper(hex.EncodeToString(data))))
	} else {
		s.raw(data)
	}
	if k.sock.Buffered() == 0 {
		k.notified = false // edge-triggered: the next arrival is told
	}
	return nil
}

// AT+CIPCLOSE=[<n>][,<quick>] (single: AT+CIPCLOSE[=<quick>]): [<n>, ]
// CLOSE OK, with no OK; ERROR if nothing is open there.
func (s *shimSession) cmdSIM800CIPCLOSE(c *shimCmd) error {
	st := s.sim()
	if c.Op == at.Test {
		return nil
	}
	if st.mux == 1 && c.Op != at.Set {
		return errShimParam
	}
	id, k0, ok := st.connArg(c)
	if _, okQ := c.intArg(k0, 0, 1); !ok || !c.argc(k0, k0+1) || len(c.args) > k0 && !okQ {
		return errShimParam
	}
	k := st.conns.Get(id)
	if k == nil {
		return errShimState
	}
	s.sim800Release(k)
	s.line(st.prefix(id) + "CLOSE OK")
	return errShimFinal
}

// sim800Release closes a connection and frees its number.
func (s *shimSession) sim800Release(k *sim800Conn) {
	st := s.sim()
	if k.sock != nil {
		k.sock.Close()
	}
	st.conns.Free(k.id, k)
	if st.mux == 0 {
		st.lastProto = k.proto()
	}
	if d := s.data; d != nil && d.owner == k {
		s.leaveData()
		s.data = nil
	}
	if k.waiting != nil {
		k.waiting = nil
		s.line(st.prefix(k.id) + "SEND FAIL")
		s.resume()
	}
}

// AT+CIPSHUT: everything closes, the context goes down: SHUT OK and IP
// INITIAL.
func (s *shimSession) cmdSIM800CIPSHUT(c *shimCmd) error {
	if c.Op == at.Test {
		return nil
	}
	if c.Op != at.Action {
		return errShimParam
	}
	s.sim800Shut()
	s.line("SHUT OK")
	return errShimFinal
}

// sim800Shut closes every connection, the server and the context.
func (s *shimSession) sim800Shut() {
	st := s.sim()
	for _, k := range st.conns.All() {
		s.sim800Release(k)
	}
	if st.server != nil {
		st.server.Close()
		st.server = nil
	}
	st.px.Deactivate(errShimState)
	st.stage, st.lastProto = simIPInitial, ""
}

// AT+CIPSERVER=1,<port>: OK, then SERVER OK; each client then takes the
// lowest free number: <n>, REMOTE IP: <ip>. AT+CIPSERVER=0: SERVER
// CLOSE.
func (s *shimSession) cmdSIM800CIPSERVER(c *shimCmd) error {
	st := s.sim()
	switch c.Op {
	case at.Test:
		s.line("+CIPSERVER: (0-CLOSE SERVER, 1-OPEN SERVER),(1,65535)")
		return nil
	case at.Read:
		if st.server == nil {
			s.line("+CIPSERVER: 0")
		} else {
			s.line(fmt.Sprintf("+CIPSERVER: 1,%d,0,0", st.serverPort))
		}
		return nil
	case at.Set:
	default:
		return errShimParam
	}
	mode, ok := c.intArg(0, 0, 1)
	if !ok || mode == 0 && len(c.args) != 1 || mode == 1 && len(c.args) != 2 {
		return errShimParam
	}
	if mode == 0 {
		if st.server == nil {
			return errShimState
		}
		st.server.Close()
		st.server = nil
		s.line("SERVER CLOSE")
		return errShimFinal
	}
	port, ok := c.intArg(1, 1, 65535)
	if !ok {
		return errShimParam
	}
	n := st.px.Network()
	if st.server != nil || n == nil || st.stage != simIPStatus || st.mode == 1 || st.mux == 0 && st.conns.Get(0) != nil {
		return errShimState
	}
	lis, err := s.socks.Listen(n, ":"+strconv.Itoa(port))
	if err != nil {
		s.log.Debug("shim: listen failed", "port", port, "err", err)
		return errShimState
	}
	lis.Data = st
	st.server, st.serverPort = lis, port
	s.result("OK")
	s.line("SERVER OK")
	return errShimFinal
}

// The BG96 personality: the QI* commands of Quectel's LTE modules BG96,
// BG95 and EC2x (the "new QI*" of dialects.md §4), on the same socket
// core as the M95's. Contexts are numbered 1 to 16 and configured with
// AT+QICSGP, activated with AT+QIACT=<ctx>; sockets are connectIDs 0 to
// 11 opened with AT+QIOPEN=<ctx>,<id>,... and answered OK at once, then
// +QIOPEN: <id>,<err>. Received data is announced in buffer mode
// (+QIURC: "recv",<id>, once until AT+QIRD drains it) or pushed
// (+QIURC: "recv",<id>,<len> and the data).
//
// This file holds the dialect's state and commands; shim_bg96_events.go
// renders what the socket core reports.

package shim

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

const (
	// bg96Sockets is the number of connectIDs of a BG96 (0 to 11).
	bg96Sockets = 12
	// bg96Contexts is the highest contextID (1 to 16).
	bg96Contexts = 16
	// bg96MaxRead is the most one AT+QIRD returns.
	bg96MaxRead = 1500
	// bg96MaxSendEx is the most octets one AT+QISENDEX takes (its hex
	// string is twice as long).
	bg96MaxSendEx = 512
	// bg96ModuleBuffer is the most unread data AT+QIRD=<id>,0 reports,
	// whatever the shim holds (Profile.RecvBuffer): TinyGSM's BG96
	// driver parses the count as an int16_t, so 65536 reads as 0 and the
	// download stops for good. The rest counts as still on its way.
	bg96ModuleBuffer = 25 << 10
)

// The error codes of +QIOPEN, +QIURC: "dnsgip" and AT+QIGETERROR
// (dialects.md §4.5).
const (
	bg96OK             = 0
	bg96ErrUnknown     = 550
	bg96ErrParam       = 552
	bg96ErrSocket      = 554
	bg96ErrBind        = 556
	bg96ErrListen      = 557
	bg96ErrWrite       = 558
	bg96ErrPDPOpen     = 561
	bg96ErrIDUsed      = 563
	bg96ErrDNSParse    = 565
	bg96ErrConnect     = 566
	bg96ErrClosed      = 567
	bg96ErrTimeout     = 569
	bg96ErrPDPBroken   = 570
	bg96ErrNotAllowed  = 572
	bg96ErrAPNNotSet   = 573
	bg96ErrPortBusy    = 574
	bg96ErrUnsupported = 555
)

// bg96ErrorText is AT+QIGETERROR's description of each code.
func bg96ErrorText(code int) string {
	switch code {
	case bg96OK:
		return "operation success"
	case bg96ErrParam:
		return "invalid parameters"
	case bg96ErrSocket:
		return "create socket failed"
	case bg96ErrUnsupported:
		return "operation not supported"
	case bg96ErrBind:
		return "socket bind failed"
	case bg96ErrListen:
		return "socket listen failed"
	case bg96ErrWrite:
		return "socket write failed"
	case bg96ErrPDPOpen:
		return "open pdp context failed"
	case bg96ErrIDUsed:
		return "socket identity has been used"
	case bg96ErrDNSParse:
		return "dns parse failed"
	case bg96ErrConnect:
		return "socket connect failed"
	case bg96ErrClosed:
		return "socket has been closed"
	case bg96ErrTimeout:
		return "operation timeout"
	case bg96ErrPDPBroken:
		return "pdp context broken down"
	case bg96ErrNotAllowed:
		return "operation not allowed"
	case bg96ErrAPNNotSet:
		return "APN not configured"
	case bg96ErrPortBusy:
		return "port busy"
	}
	return "unknown error"
}

// The socket types of AT+QIOPEN and AT+QISTATE.
const (
	bg96TCP         = "TCP"
	bg96UDP         = "UDP"
	bg96TCPListener = "TCP LISTENER"
	bg96UDPService  = "UDP SERVICE"
	bg96TCPIncoming = "TCP INCOMING"
)

// The <socket_state>s of AT+QISTATE.
const (
	bg96Initial   = 0
	bg96Opening   = 1
	bg96Connected = 2
	bg96Listening = 3
	bg96Closing   = 4
)

// The <access_mode>s of AT+QIOPEN.
const (
	bg96Buffer      = 0
	bg96Push        = 1
	bg96Transparent = 2
)

// bg96State is a BG96 host's contexts and sockets: the BG96 personality.
type bg96State struct {
	s       *shimSession
	ctxs    [bg96Contexts + 1]*bg96Context // by contextID; [0] unused
	socks   *modemsock.Table[bg96Socket]   // by connectID
	lastErr int                            // AT+QIGETERROR
}

// bg96Context is one contextID's AT+QICSGP settings and its network.
type bg96Context struct {
	id              int
	apn, user, pass string
	auth            int
	px              *modemsock.Context
}

// bg96Socket is one connectID.
type bg96Socket struct {
	id, ctx  int
	typ      string
	host     string // as the host gave it
	rport    int
	lport    int
	mode     int
	state    int
	serverID int

	sock *modemsock.Socket   // TCP, UDP, TCP INCOMING
	lis  *modemsock.Listener // TCP LISTENER, UDP SERVICE

	// dgrams are a UDP SERVICE's datagrams, from any peer, in order.
	dgrams   []bg96Datagram
	dgramLen int

	notified bool // "recv" sent; again once AT+QIRD drained the buffer
	closed   bool // the peer closed: "closed" is due once data is out
	told     bool // "closed" sent
	read     int  // octets the host read or was pushed (AT+QIRD=<id>,0)
}

// bg96Datagram is one datagram a UDP SERVICE received.
type bg96Datagram struct {
	from netip.AddrPort
	data []byte
}

func newBG96State(s *shimSession) *bg96State {
	socks := s.socks
	b := &bg96State{s: s, socks: modemsock.NewTable[bg96Socket](0, bg96Sockets)}
	for id := 1; id <= bg96Contexts; id++ {
		x := &bg96Context{id: id, px: socks.NewContext()}
		x.px.Data = x
		b.ctxs[id] = x
	}
	return b
}

// bg returns the session's BG96 state.
func (s *shimSession) bg() *bg96State { return s.pers.(*bg96State) }

func (b *bg96State) identity() (string, string, string) {
	return "Quectel", "BG96", "BG96MAR02A07M1G"
}

func (b *bg96State) start() { b.s.bg96Banner() } // Zephyr's driver waits for RDY

func (b *bg96State) event(ev modemsock.Event) { b.s.bg96Event(ev) }

func (b *bg96State) flushRecv() { b.s.bg96Flush() }

func (b *bg96State) shutdown() { b.s.bg96Shutdown() }

// commands returns a new command table of the BG96 personality: the
// V.250 and 27.007 basics and the QI* commands of the BG96.
func (*bg96State) commands() map[string]shimHandler {
	t := m95BasicCommands()
	for name, h := range map[string]shimHandler{
		"I":           (*shimSession).cmdBG96ATI,
		"+CEREG":      shimRegQuery("+CEREG"),
		"+CTZR":       shimAccept,
		"+CTZU":       shimAccept,
		"+QCFG":       shimAccept,
		"+QICFG":      shimAccept,
		"+QICSGP":     (*shimSession).cmdBG96QICSGP,
		"+QIACT":      (*shimSession).cmdBG96QIACT,
		"+QIDEACT":    (*shimSession).cmdBG96QIDEACT,
		"+QIOPEN":     (*shimSession).cmdBG96QIOPEN,
		"+QICLOSE":    (*shimSession).cmdBG96QICLOSE,
		"+QISTATE":    (*shimSession).cmdBG96QISTATE,
		"+QISEND":     (*shimSession).cmdBG96QISEND,
		"+QISENDEX":   (*shimSession).cmdBG96QISENDEX,
		"+QIRD":       (*shimSession).cmdBG96QIRD,
		"+QISWTMD":    (*shimSession).cmdBG96QISWTMD,
		"+QIDNSGIP":   (*shimSession).cmdBG96QIDNSGIP,
		"+QIGETERROR": (*shimSession).cmdBG96QIGETERROR,
		"O":           (*shimSession).cmdATO,
		"+CGPADDR":    (*shimSession).cmdBG96CGPADDR,
		"+CFUN":       (*shimSession).cmdBG96CFUN,
	} {
		t[name] = h
	}
	// The M95's own settings are not the BG96's.
	delete(t, "+QNITZ")
	return t
}

// fail records code for AT+QIGETERROR and returns the command's error.
func (s *shimSession) bg96Fail(code int) error {
	s.bg().lastErr = code
	if code == bg96ErrParam {
		return errShimParam
	}
	return errShimState
}

func (s *shimSession) cmdBG96ATI(c *shimCmd) error {
	m := s.info()
	s.line(m.Manufacturer + "\r\n" + m.Model + "\r\nRevision: " + m.Revision) // one block
	return nil
}

// contextArg returns the contextID in parameter k.
func (s *shimSession) bg96ContextArg(c *shimCmd, k int) (*bg96Context, bool) {
	id, ok := c.intArg(k, 1, bg96Contexts)
	if !ok {
		return nil, false
	}
	return s.bg().ctxs[id], true
}

// AT+QICSGP=<ctx>[,<type>,"apn","user","pwd"[,<auth>]]
func (s *shimSession) cmdBG96QICSGP(c *shimCmd) error {
	switch c.Op {
	case at.Test:
		s.line(`+QICSGP: (1-16),(1-3),"APN","USERNAME","PASSWORD",(0-3)`)
		return nil
	case at.Set:
	default:
		return s.bg96Fail(bg96ErrParam)
	}
	x, ok := s.bg96ContextArg(c, 0)
	if !ok || !c.argc(1, 6) {
		return s.bg96Fail(bg96ErrParam)
	}
	if len(c.args) == 1 {
		s.line(fmt.Sprintf("+QICSGP: 1,%q,%q,%q,%d", x.apn, x.user, x.pass, x.auth))
		return nil
	}
	if typ, ok := c.intArg(1, 1, 3); !ok || typ != 1 {
		// IPv6 and IPv4v6 contexts need IPv6 on the link.
		return s.bg96Fail(bg96ErrUnsupported)
	}
	auth := x.auth
	if len(c.args) == 6 {
		if auth, ok = c.intArg(5, 0, 3); !ok {
			return s.bg96Fail(bg96ErrParam)
		}
	}
	x.apn, x.user, x.pass, x.auth = shimArgOr(c, 2), shimArgOr(c, 3), shimArgOr(c, 4), auth
	return nil
}

// AT+QIACT=<ctx>: OK once the context is up (up to 150 s); AT+QIACT?
// lists the active ones.
func (s *shimSession) cmdBG96QIACT(c *shimCmd) error {
	switch c.Op {
	case at.Test:
		s.line("+QIACT: (1-16)")
		return nil
	case at.Read:
		for _, x := range s.bg().ctxs[1:] {
			if n := x.px.Network(); n != nil {
				s.line(bg96QIACTLine(x.id, modemsock.DisplayAddr(n)))
			}
		}
		return nil
	case at.Set:
	default:
		return s.bg96Fail(bg96ErrParam)
	}
	x, ok := s.bg96ContextArg(c, 0)
	if !ok || len(c.args) != 1 {
		return s.bg96Fail(bg96ErrParam)
	}
	if x.px.Network() != nil {
		return nil
	}
	s.hold()
	x.px.Activate(s.cfg.Backend, x.apn, x.user, x.pass, shimActivateTimeout, func(err error) {
		if err != nil {
			s.log.Debug("shim: activation failed", "context", x.id, "err", err)
			s.errorResult(s.bg96Fail(bg96ErrPDPOpen))
		} else {
			s.result("OK")
		}
		s.resume()
	})
	return errShimFinal
}

// AT+QIDEACT=<ctx>: the context's sockets close, then it goes down.
func (s *shimSession) cmdBG96QIDEACT(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("+QIDEACT: (1-16)")
		return nil
	}
	x, ok := s.bg96ContextArg(c, 0)
	if c.Op != at.Set || !ok || len(c.args) != 1 {
		return s.bg96Fail(bg96ErrParam)
	}
	for _, k := range s.bg().socks.All() {
		if k.ctx == x.id {
			s.bg96Release(k)
		}
	}
	x.px.Deactivate(errShimState)
	return nil
}

// AT+QIOPEN=<ctx>,<id>,"<type>","<host>",<rport>[,<lport>[,<mode>]]:
// OK at once, then +QIOPEN: <id>,<err> once connected, listening, or
// failed.
func (s *shimSession) cmdBG96QIOPEN(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`+QIOPEN: (1-16),(0-11),"TCP/UDP/TCP LISTENER/UDP SERVICE","<IP_address>/<domain_name>",<remote_port>,<local_port>,(0-2)`)
		return nil
	}
	if c.Op != at.Set || !c.argc(5, 7) {
		return s.bg96Fail(bg96ErrParam)
	}
	x, ok1 := s.bg96ContextArg(c, 0)
	id, ok2 := c.intArg(1, 0, bg96Sockets-1)
	typ := strings.ToUpper(c.args[2].val)
	host := c.args[3].val
	rport, ok3 := c.intArg(4, 0, 65535)
	lport, mode, ok4, ok5 := 0, bg96Buffer, true, true
	if len(c.args) > 5 {
		lport, ok4 = c.intArg(5, 0, 65535)
	}
	if len(c.args) > 6 {
		mode, ok5 = c.intArg(6, 0, 2)
	}
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return s.bg96Fail(bg96ErrParam)
	}
	switch typ {
	case bg96TCP, bg96UDP:
		if host == "" || rport == 0 {
			return s.bg96Fail(bg96ErrParam)
		}
	case bg96TCPListener, bg96UDPService:
		if lport == 0 {
			return s.bg96Fail(bg96ErrParam)
		}
	default:
		return s.bg96Fail(bg96ErrParam)
	}
	n := x.px.Network()
	if mode == bg96Transparent {
		// CONNECT once connected, or ERROR; no OK before.
		switch {
		case typ != bg96TCP && typ != bg96UDP:
			return s.bg96Fail(bg96ErrUnsupported)
		case s.bg().socks.Get(id) != nil:
			return s.bg96Fail(bg96ErrIDUsed)
		case n == nil:
			return s.bg96Fail(bg96ErrPDPOpen)
		case s.data != nil:
			return s.bg96Fail(bg96ErrNotAllowed) // one transparent socket
		}
		s.hold() // until CONNECT or ERROR (bg96Event)
	} else {
		s.result("OK")
		if s.bg().socks.Get(id) != nil {
			s.bg96Opened(id, bg96ErrIDUsed)
			return errShimFinal
		}
		if n == nil {
			s.bg96Opened(id, bg96ErrPDPOpen)
			return errShimFinal
		}
	}
	k := &bg96Socket{id: id, ctx: x.id, typ: typ, host: host, rport: rport, lport: lport, mode: mode, state: bg96Opening}
	s.bg().socks.Set(id, k)
	switch typ {
	case bg96TCP, bg96UDP:
		k.sock = s.socks.Dial(n, typ == bg96UDP, net.JoinHostPort(host, strconv.Itoa(rport)), shimDialTimeout)
		k.sock.Data = k
	case bg96TCPListener, bg96UDPService:
		addr := ":" + strconv.Itoa(lport)
		var err error
		if typ == bg96TCPListener {
			k.lis, err = s.socks.Listen(n, addr)
		} else {
			k.lis, err = s.socks.ListenPacket(n, addr)
		}
		if err != nil {
			s.log.Debug("shim: listen failed", "id", id, "err", err)
			s.bg().socks.Free(id, nil)
			s.bg96Opened(id, bg96ErrBind)
			return errShimFinal
		}
		k.lis.Data = k
		k.state = bg96Listening
		if typ == bg96UDPService {
			k.state = bg96Connected
		}
		s.bg96Opened(id, bg96OK)
	}
	return errShimFinal
}

// bg96Opened reports the outcome of an AT+QIOPEN.
func (s *shimSession) bg96Opened(id, code int) {
	if code != bg96OK {
		s.bg().lastErr = code
	}
	s.line(fmt.Sprintf("+QIOPEN: %d,%d", id, code))
}

// socketArg returns the socket of the connectID in parameter k; nil
// with true if that connectID is free.
func (s *shimSession) bg96SocketArg(c *shimCmd, k int) (*bg96Socket, bool) {
	id, ok := c.intArg(k, 0, bg96Sockets-1)
	if !ok {
		return nil, false
	}
	return s.bg().socks.Get(id), true
}

// AT+QICLOSE=<id>[,<timeout>]: OK once closed.
func (s *shimSession) cmdBG96QICLOSE(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("+QICLOSE: (0-11),(0-65535)")
		return nil
	}
	k, ok := s.bg96SocketArg(c, 0)
	if _, okT := c.intArg(1, 0, 65535); c.Op != at.Set || !ok || !c.argc(1, 2) || (len(c.args) == 2 && !okT) {
		return s.bg96Fail(bg96ErrParam)
	}
	if k != nil {
		s.bg96Release(k)
	}
	return nil
}

// bg96Release closes a socket and frees its connectID. A listener's
// accepted sockets stay.
func (s *shimSession) bg96Release(k *bg96Socket) {
	if k.sock != nil {
		k.sock.Close()
	}
	if k.lis != nil {
		k.lis.Close()
	}
	s.bg().socks.Free(k.id, k)
	if s.data != nil && s.data.owner == k {
		s.leaveData()
		s.data = nil
	}
}

// AT+QISTATE? and AT+QISTATE=0,<ctx> list sockets, AT+QISTATE=1,<id>
// one: +QISTATE: <id>,"<type>","<ip>",<rport>,<lport>,<state>,<ctx>,
// <serverID>,<mode>,"uart1".
func (s *shimSession) cmdBG96QISTATE(c *shimCmd) error {
	switch c.Op {
	case at.Test, at.Action:
		return nil
	case at.Read:
		for _, k := range s.bg().socks.All() {
			s.bg96StateLine(k)
		}
		return nil
	case at.Set:
	default:
		return s.bg96Fail(bg96ErrParam)
	}
	query, ok := c.intArg(0, 0, 1)
	if !ok || len(c.args) != 2 {
		return s.bg96Fail(bg96ErrParam)
	}
	if query == 1 {
		k, ok := s.bg96SocketArg(c, 1)
		if !ok {
			return s.bg96Fail(bg96ErrParam)
		}
		if k != nil {
			s.bg96StateLine(k)
		}
		return nil
	}
	x, ok := s.bg96ContextArg(c, 1)
	if !ok {
		return s.bg96Fail(bg96ErrParam)
	}
	for _, k := range s.bg().socks.All() {
		if k.ctx == x.id {
			s.bg96StateLine(k)
		}
	}
	return nil
}

// bg96QIACTLine is a context's line of AT+QIACT?: its <context_type> is
// 1 with an IPv4 address, 2 with an IPv6 one (an IPv6-only link), as
// the BG96's TCP/IP manual numbers them.
func bg96QIACTLine(id int, a netip.Addr) string {
	typ := 1
	if a.Is6() {
		typ = 2
	}
	return fmt.Sprintf("+QIACT: %d,1,%d,%q", id, typ, a)
}

func (s *shimSession) bg96StateLine(k *bg96Socket) {
	ip, rport, lport := k.host, k.rport, k.lport
	if k.sock != nil && k.sock.Remote().IsValid() {
		ip, rport = k.sock.Remote().Addr().String(), int(k.sock.Remote().Port())
		lport = int(k.sock.Local().Port())
	}
	if k.typ == bg96TCPListener || k.typ == bg96UDPService {
		ip = "127.0.0.1"
		if x := s.bg().ctxs[k.ctx]; x.px.Network() != nil {
			ip = modemsock.DisplayAddr(x.px.Network()).String()
		}
	}
	s.line(fmt.Sprintf("+QISTATE: %d,%q,%q,%d,%d,%d,%d,%d,%d,\"uart1\"",
		k.id, k.typ, ip, rport, lport, k.state, k.ctx, k.serverID, k.mode))
}

// AT+QISEND=<id>[,<len>[,"<ip>",<port>]], and AT+QISEND=<id>,0 for the
// counters. The payload follows the prompt; SEND OK means it is in the
// socket's send queue, SEND FAIL that the queue is full.
func (s *shimSession) cmdBG96QISEND(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(fmt.Sprintf("+QISEND: (0-11),(0-%d)", s.cfg.Profile.MaxSend))
		return nil
	}
	k, ok := s.bg96SocketArg(c, 0)
	if c.Op != at.Set || !ok || !c.argc(1, 4) || len(c.args) == 3 {
		return s.bg96Fail(bg96ErrParam)
	}
	fixed := 0
	if len(c.args) >= 2 {
		if fixed, ok = c.intArg(1, 0, s.cfg.Profile.MaxSend); !ok {
			return s.bg96Fail(bg96ErrParam)
		}
	}
	if k == nil || k.state != bg96Connected || k.mode != bg96Buffer && k.mode != bg96Push {
		return s.bg96Fail(bg96ErrNotAllowed)
	}
	if len(c.args) == 2 && fixed == 0 {
		var sent, acked int
		if k.sock != nil {
			sent, acked = k.sock.Counters()
		}
		if k.typ != bg96TCP && k.typ != bg96TCPIncoming {
			acked = sent
		}
		s.line(fmt.Sprintf("+QISEND: %d,%d,%d", sent, acked, sent-acked))
		return nil
	}
	sock := k.sock
	switch {
	case k.typ == bg96UDPService && len(c.args) == 4:
		ip, err := netip.ParseAddr(c.args[2].val)
		port, okP := c.intArg(3, 1, 65535)
		if err != nil || !okP {
			return s.bg96Fail(bg96ErrParam)
		}
		if sock = k.lis.Peer(netip.AddrPortFrom(ip.Unmap(), uint16(port))); sock != nil {
			sock.Data = k // its answers go to the service
		}
	case k.typ == bg96UDPService || len(c.args) == 4:
		return s.bg96Fail(bg96ErrParam)
	}
	if sock == nil {
		return s.bg96Fail(bg96ErrNotAllowed)
	}
	s.startPayload(&shimSendInput{fixed: fixed, done: func(data []byte) { s.bg96Send(sock, data) }})
	return errShimFinal
}

// bg96Send queues a payload: SEND OK, or SEND FAIL if the socket's queue
// is full or it closed meanwhile.
func (s *shimSession) bg96Send(sock *modemsock.Socket, data []byte) {
	if len(data) > 0 && sock.Write(data, nil) {
		s.line("SEND OK")
		return
	}
	s.bg().lastErr = bg96ErrWrite
	s.line("SEND FAIL")
}

// AT+QISENDEX=<id>,"<hex>": the payload as a hex string.
func (s *shimSession) cmdBG96QISENDEX(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(fmt.Sprintf(`+QISENDEX: (0-11),"<hex_string>"(1-%d)`, 2*bg96MaxSendEx))
		return nil
	}
	k, ok := s.bg96SocketArg(c, 0)
	if c.Op != at.Set || !ok || len(c.args) != 2 {
		return s.bg96Fail(bg96ErrParam)
	}
	data, err := hex.DecodeString(c.args[1].val)
	if err != nil || len(data) == 0 || len(data) > bg96MaxSendEx {
		return s.bg96Fail(bg96ErrParam)
	}
	if k == nil || k.sock == nil || k.state != bg96Connected {
		return s.bg96Fail(bg96ErrNotAllowed)
	}
	s.bg96Send(k.sock, data)
	return errShimFinal
}

// AT+QIRD=<id>[,<len>]: up to len octets (1500) as "+QIRD: <n>", the
// data and OK; AT+QIRD=<id>,0 the counters "+QIRD: <total>,<read>,
// <unread>".
func (s *shimSession) cmdBG96QIRD(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("+QIRD: (0-11),(0-1500)")
		return nil
	}
	k, ok := s.bg96SocketArg(c, 0)
	if c.Op != at.Set || !ok || !c.argc(1, 2) {
		return s.bg96Fail(bg96ErrParam)
	}
	n := bg96MaxRead
	if len(c.args) == 2 {
		if n, ok = c.intArg(1, 0, bg96MaxRead); !ok {
			return s.bg96Fail(bg96ErrParam)
		}
	}
	if k == nil || k.mode != bg96Buffer || k.typ == bg96TCPListener {
		return s.bg96Fail(bg96ErrNotAllowed)
	}
	if n == 0 {
		unread := min(k.buffered(), bg96ModuleBuffer)
		s.line(fmt.Sprintf("+QIRD: %d,%d,%d", k.read+unread, k.read, unread))
		return nil
	}
	if k.buffered() == 0 {
		s.line("+QIRD: 0")
		k.notified = false
		return nil
	}
	if k.typ == bg96UDPService {
		d := k.dgrams[0]
		k.dgrams, k.dgramLen = k.dgrams[1:], k.dgramLen-len(d.data)
		data := d.data[:min(n, len(d.data))] // the rest of a datagram is lost, as on UDP
		k.read += len(data)
		s.line(fmt.Sprintf("+QIRD: %d,%q,%d", len(data), d.from.Addr(), d.from.Port()))
		s.raw(data)
		s.raw([]byte("\r\n"))
	} else {
		data := k.sock.Read(n)
		k.read += len(data)
		s.line(fmt.Sprintf("+QIRD: %d", len(data)))
		s.raw(data)
		s.raw([]byte("\r\n"))
	}
	if k.buffered() == 0 {
		k.notified = false // edge-triggered: the next arrival is told
	}
	return nil
}

// buffered is how many received octets wait for AT+QIRD or a push.
func (k *bg96Socket) buffered() int {
	if k.typ == bg96UDPService {
		return k.dgramLen
	}
	if k.sock == nil {
		return 0
	}
	return k.sock.Buffered()
}

// AT+QISWTMD=<id>,<mode>: between buffer and push access.
func (s *shimSession) cmdBG96QISWTMD(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("+QISWTMD: (0-11),(0-2)")
		return nil
	}
	k, ok := s.bg96SocketArg(c, 0)
	mode, okM := c.intArg(1, 0, 2)
	if c.Op != at.Set || !ok || !okM || len(c.args) != 2 {
		return s.bg96Fail(bg96ErrParam)
	}
	switch {
	case k == nil || k.sock == nil || (k.typ != bg96TCP && k.typ != bg96UDP && k.typ != bg96TCPIncoming):
		return s.bg96Fail(bg96ErrNotAllowed)
	case mode != bg96Transparent:
		if s.data != nil && s.data.owner == k {
			s.leaveData()
			s.data = nil
		}
		k.mode = mode
		s.bg96Deliver(k)
		return nil
	case k.sock.State() != modemsock.Connected || s.data != nil && s.data.owner != k:
		return s.bg96Fail(bg96ErrNotAllowed)
	}
	k.mode = bg96Transparent
	if s.data == nil {
		s.result("CONNECT")
		s.enterDataBG96(k)
	} else {
		s.resumeData()
	}
	return errShimFinal
}

// enterDataBG96 starts data mode on k (access mode 2).
func (s *shimSession) enterDataBG96(k *bg96Socket) {
	s.goOnline(&shimData{s: s, sock: k.sock, owner: k, hangUp: func() error {
		s.bg96Release(k) // leaves data mode
		return at.NoCarrier
	}})
}

// AT+QIDNSGIP=<ctx>,"<host>": OK, then +QIURC: "dnsgip",<err>,<count>,
// <ttl> and one +QIURC: "dnsgip","<ip>" per address.
func (s *shimSession) cmdBG96QIDNSGIP(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`+QIDNSGIP: (1-16),"<hostname>"`)
		return nil
	}
	x, ok := s.bg96ContextArg(c, 0)
	if c.Op != at.Set || !ok || len(c.args) != 2 || c.args[1].val == "" {
		return s.bg96Fail(bg96ErrParam)
	}
	host := c.args[1].val
	n := x.px.Network()
	if n == nil {
		return s.bg96Fail(bg96ErrPDPOpen)
	}
	s.result("OK")
	s.lookup(n, host, func(ips []netip.Addr, err error) {
		if err != nil || len(ips) == 0 {
			s.bg().lastErr = bg96ErrDNSParse
			s.line(fmt.Sprintf(`+QIURC: "dnsgip",%d,0,0`, bg96ErrDNSParse))
			return
		}
		s.line(fmt.Sprintf(`+QIURC: "dnsgip",0,%d,600`, len(ips)))
		for _, ip := range ips {
			s.line(fmt.Sprintf(`+QIURC: "dnsgip",%q`, ip))
		}
	})
	return errShimFinal
}

// AT+QIGETERROR: the last socket operation's error code.
func (s *shimSession) cmdBG96QIGETERROR(c *shimCmd) error {
	if c.Op != at.Action {
		return s.bg96Fail(bg96ErrParam)
	}
	s.line(fmt.Sprintf("+QIGETERROR: %d,%s", s.bg().lastErr, bg96ErrorText(s.bg().lastErr)))
	return nil
}

// AT+CGPADDR[=<cid>]: the address of each active context, as
// "+CGPADDR: <cid>,<address>" (TinyGSM's localIP reads it up to the CR).
func (s *shimSession) cmdBG96CGPADDR(c *shimCmd) error {
	switch c.Op {
	case at.Test:
		s.line("+CGPADDR: (1-16)")
		return nil
	case at.Action:
		for _, x := range s.bg().ctxs[1:] {
			if n := x.px.Network(); n != nil {
				s.line(fmt.Sprintf("+CGPADDR: %d,%s", x.id, modemsock.DisplayAddr(n)))
			}
		}
		return nil
	case at.Set:
	default:
		return s.bg96Fail(bg96ErrParam)
	}
	for k := range c.args {
		x, ok := s.bg96ContextArg(c, k)
		if !ok {
			return s.bg96Fail(bg96ErrParam)
		}
		addr := "0.0.0.0"
		if n := x.px.Network(); n != nil {
			addr = modemsock.DisplayAddr(n).String()
		}
		s.line(fmt.Sprintf("+CGPADDR: %d,%s", x.id, addr))
	}
	return nil
}

// AT+CFUN=1,1 restarts the module: OK, then everything the host opened
// is gone, the settings are the factory's and the boot banner follows
// (TinyGSM's restart waits for APP RDY). Other forms are the M95's.
func (s *shimSession) cmdBG96CFUN(c *shimCmd) error {
	rst, ok := c.intArg(1, 0, 1)
	if c.Op != at.Set || len(c.args) != 2 || !ok || rst != 1 {
		return s.cmdCFUN(c)
	}
	if _, ok := c.intArg(0, 0, 4); !ok {
		return s.bg96Fail(bg96ErrParam)
	}
	s.result("OK")
	s.bg96Shutdown()
	s.set, s.bg().lastErr = shimFactory, 0
	s.bg96Banner()
	return errShimFinal
}

// bg96Banner is what a BG96 says when it has booted.
func (s *shimSession) bg96Banner() {
	s.line("RDY")
	s.line("APP RDY")
}

// bg96Shutdown closes every socket and context of the host.
func (s *shimSession) bg96Shutdown() {
	for _, k := range s.bg().socks.All() {
		s.bg96Release(k)
	}
	for _, x := range s.bg().ctxs[1:] {
		x.px.Deactivate(errShimState)
	}
}

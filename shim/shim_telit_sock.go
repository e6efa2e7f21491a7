package shim

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// The <state>s of AT#SS (dialects.md §1.3).
const (
	telitClosed     = 0
	telitActive     = 1 // online data mode
	telitSuspended  = 2 // command mode or escaped, nothing to read
	telitPending    = 3 // the same with data to read
	telitListening  = 4
	telitIncoming   = 5 // waiting for AT#SA or AT#SH
	telitResolving  = 6 // LE910 V2's "resolving DNS"; the GC864 has no state for it
	telitConnecting = 7 // LE910 V2's "connecting"; the GC864 has no state for it
)

// telitSocket is one connection ID.
type telitSocket struct {
	id     int
	port   *shimSession // where its SRING, CONNECT and NO CARRIER go
	udp    bool
	dialed bool // opened by AT#SD: its peer passes the firewall
	online bool // opened or accepted in online mode (connMode 0)
	lport  int
	// The timing the socket was opened with (AT#SCFG, or the IP Easy
	// AT#PKTSZ, AT#DSTO and AT#SKTTO): online data go out in packets of
	// pktSz octets, or after txTo tenths of a second; maxTo seconds
	// without data close the connection (0: never).
	pktSz, txTo, maxTo int
	easy               bool // AT#SKTD, AT#SKTL or AT#SKTOP's socket

	sock *modemsock.Socket   // the connection
	lis  *modemsock.Listener // AT#SL, AT#SLUDP
	in   *modemsock.Socket   // an incoming connection waiting for AT#SA

	closure  int  // AT#SLASTCLOSURE's cause: 0 not closed by the peer, 1 FIN, 2 reset or error
	rung     bool // SRING told of the data; again once the buffer was empty
	ringDue  bool // an SRING that waited for a command waits urcGuard more
	received int  // octets read by the host (AT#SI's received, with the buffer)
}

// state is the socket's AT#SS <state>.
func (k *telitSocket) state() int {
	switch {
	case k.in != nil:
		return telitIncoming
	case k.sock != nil && k.sock.State() == modemsock.Resolving:
		return telitResolving
	case k.sock != nil && k.sock.State() == modemsock.Connecting:
		return telitConnecting
	case k.sock != nil && k.sock.State() == modemsock.Connected:
		if d := k.port.data; d != nil && d.owner == k && d.active {
			return telitActive
		}
		if k.sock.Buffered() > 0 {
			return telitPending
		}
		return telitSuspended
	case k.sock != nil && k.sock.Buffered() > 0:
		return telitPending // closed by the peer, data still to read
	case k.lis != nil:
		return telitListening
	}
	return telitClosed
}

// telitSocketArg returns the connection ID in parameter k and its socket
// (nil if never used).
func (s *shimSession) telitSocketArg(c *shimCmd, k int) (int, *telitSocket, bool) {
	id, ok := c.intArg(k, 1, telitSockets)
	if !ok {
		return 0, nil, false
	}
	return id, s.tl().socks.Get(id), true
}

// telitFree reports whether connection ID id may be opened.
func (s *shimSession) telitFree(id int) bool {
	k := s.tl().socks.Get(id)
	return k == nil || k.state() == telitClosed
}

// telitNetwork is the network of connection ID id's context (AT#SCFG).
func (s *shimSession) telitNetwork(id int) modemsock.Network {
	return s.tl().ctxs[s.tl().cfg[id].cid].px.Network()
}

// AT#SD=<connId>,<txProt>,<rPort>,<IPaddr>[,<closureType>[,<lPort>
// [,<connMode>]]]: CONNECT and online data once connected (connMode 0),
// or OK (connMode 1); attentive sends the address unquoted.
func (s *shimSession) cmdTelitSD(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`#SD: (1-6),(0,1),(1-65535),"IP",(0,255),(0-65535),(0,1)`)
		return nil
	}
	id, _, ok0 := s.telitSocketArg(c, 0)
	prot, ok1 := c.intArg(1, 0, 1)
	rport, ok2 := c.intArg(2, 1, 65535)
	closure, lport, mode, ok3, ok4, ok5 := 0, 0, 0, true, true, true
	if len(c.args) > 4 {
		closure, ok3 = c.intArg(4, 0, 255)
		ok3 = ok3 && (closure == 0 || closure == 255)
	}
	if len(c.args) > 5 {
		lport, ok4 = c.intArg(5, 0, 65535)
	}
	if len(c.args) > 6 {
		mode, ok5 = c.intArg(6, 0, 1)
	}
	if c.Op != at.Set || !c.argc(4, 7) || !ok0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || c.args[3].val == "" {
		return at.Error
	}
	if !s.telitFree(id) {
		return telitErr(telitErrState)
	}
	n := s.telitNetwork(id)
	if n == nil {
		return telitErr(telitErrNoContext)
	}
	g := s.tl().cfg[id]
	k := &telitSocket{id: id, port: s, udp: prot == 1, dialed: true, online: mode == 0, lport: lport,
		pktSz: g.pktSz, txTo: g.txTo, maxTo: g.maxTo}
	s.telitDial(k, n, c.args[3].val, rport, g.connTo)
	return errShimFinal
}

// telitDial opens k to host:port within connTo tenths of a second; the
// host waits for CONNECT, OK or the error (telitEvent).
func (s *shimSession) telitDial(k *telitSocket, n modemsock.Network, host string, port, connTo int) {
	s.tl().socks.Set(k.id, k)
	timeout := time.Duration(connTo) * 100 * time.Millisecond
	k.sock = s.socks.Dial(n, k.udp, net.JoinHostPort(host, strconv.Itoa(port)), timeout)
	k.sock.Data = k
	s.hold()
}

// telitRelease closes k; its owner port leaves data mode on it with NO
// CARRIER if hangUp.
func (s *shimSession) telitRelease(k *telitSocket, hangUp bool) {
	for _, c := range []*modemsock.Socket{k.sock, k.in} {
		if c != nil {
			c.Close()
		}
	}
	if k.lis != nil {
		k.lis.Close()
	}
	k.in, k.lis = nil, nil
	if k.sock != nil {
		k.sock.Read(k.sock.Buffered()) // a closed socket has nothing to read
	}
	p := k.port
	if d := p.data; d != nil && d.owner == k {
		p.leaveData()
		p.data = nil
		if hangUp {
			p.result("NO CARRIER")
		}
	}
}

// AT#SH=<connId>: closes the socket (or refuses an incoming connection,
// the listener staying). Closing a closed one is OK.
func (s *shimSession) cmdTelitSH(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("#SH: (1-6)")
		return nil
	}
	_, k, ok := s.telitSocketArg(c, 0)
	if c.Op != at.Set || !ok || len(c.args) != 1 {
		return at.Error
	}
	switch {
	case k == nil:
	case k.in != nil:
		k.in.Close()
		k.in = nil
	default:
		s.telitRelease(k, k.port != s)
	}
	return nil
}

// AT#SO=<connId>: back to online data mode on a socket left with +++.
func (s *shimSession) cmdTelitSO(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("#SO: (1-6)")
		return nil
	}
	_, k, ok := s.telitSocketArg(c, 0)
	if c.Op != at.Set || !ok || len(c.args) != 1 {
		return at.Error
	}
	if k == nil || k.sock == nil || k.sock.State() != modemsock.Connected {
		return telitErr(telitErrState)
	}
	s.telitOnline(k)
	return errShimFinal
}

// telitOnline answers CONNECT and makes k's port (s) its data line.
func (s *shimSession) telitOnline(k *telitSocket) {
	if d := k.port.data; d != nil && d.owner == k && k.port != s {
		k.port.leaveData() // resumed on another port
		k.port.data = nil
	}
	k.port, k.online = s, true
	s.result("CONNECT")
	if s.data != nil && s.data.owner == k {
		s.goOnline(s.data)
		return
	}
	if s.data != nil {
		// Another socket escaped on this port stays open, suspended
		// (AT#SS 2 or 3), until AT#SO takes it back.
		s.leaveData()
		s.data = nil
	}
	// What the host types goes out in packets of pktSz, or after txTo;
	// a txTo of 0 ("no timeout" on the module, which then waits for a
	// full packet) sends at once in the shim.
	s.ip.tcfg.wait, s.ip.tcfg.size = k.txTo, k.pktSz
	s.goOnline(&shimData{s: s, sock: k.sock, owner: k, hangUp: func() error {
		s.telitRelease(k, false) // leaves data mode
		return at.NoCarrier
	}})
}

// telitIDs reads the optional connId of a status command (#SS, #SI,
// #SLASTCLOSURE): all IDs without one, the one given, or, for the test
// form, none (lo > hi) once it has answered the range.
func (s *shimSession) telitIDs(c *shimCmd, name string) (lo, hi int, err error) {
	switch c.Op {
	case at.Test:
		s.line(name + ": (1-6)")
		return 1, 0, nil
	case at.Set:
		id, _, ok := s.telitSocketArg(c, 0)
		if !ok || len(c.args) != 1 {
			return 0, 0, at.Error
		}
		return id, id, nil
	case at.Action:
		return 1, telitSockets, nil
	}
	return 0, 0, at.Error
}

// AT#SS[=<connId>]: "#SS: <connId>,<state>,<locIP>,<locPort>,<remIP>,
// <remPort>" per socket, and the short "#SS: <connId>,0" for a closed
// one (telit-modem's pattern needs it; seed 004 looks for "#SS: 1,0").
func (s *shimSession) cmdTelitSS(c *shimCmd) error {
	lo, hi, err := s.telitIDs(c, "#SS")
	if err != nil || lo > hi {
		return err
	}
	for id := lo; id <= hi; id++ {
		s.line(s.telitStatus(id))
	}
	return nil
}

func (s *shimSession) telitStatus(id int) string {
	k := s.tl().socks.Get(id)
	st := telitClosed
	if k != nil {
		st = k.state()
	}
	switch st {
	case telitClosed:
		return fmt.Sprintf("#SS: %d,0", id)
	case telitListening:
		return fmt.Sprintf("#SS: %d,%d,%s,%d,0.0.0.0,0", id, st, s.telitLocalIP(id), k.lport)
	}
	c := k.sock
	if st == telitIncoming {
		c = k.in
	}
	l, r := c.Local(), c.Remote()
	return fmt.Sprintf("#SS: %d,%d,%s,%d,%s,%d", id, st, s.telitLocalIP(id), l.Port(), telitAddr(r), r.Port())
}

// telitAddr is a peer's address as AT#SS and SRING show it; 0.0.0.0 when
// the connection has none.
func telitAddr(a netip.AddrPort) string {
	if !a.Addr().IsValid() {
		return "0.0.0.0"
	}
	return a.Addr().Unmap().String()
}

// telitLocalIP is the address of connection ID id's context.
func (s *shimSession) telitLocalIP(id int) string {
	if n := s.telitNetwork(id); n != nil {
		return modemsock.DisplayAddr(n).String()
	}
	return "0.0.0.0"
}

// AT#SL=<connId>,<listenState>,<listenPort>[,<closureType>]: listens
// (1) on a TCP port or stops (0). An allowed connection gives SRING:
// <connId>, then AT#SA or AT#SH; with ListenAutoRsp it is accepted at
// once in online mode.
func (s *shimSession) cmdTelitSL(c *shimCmd) error { return s.telitListen(c, false) }

// AT#SLUDP=<connId>,<listenState>,<listenPort>: the same for UDP; the
// first datagram from a peer rings.
func (s *shimSession) cmdTelitSLUDP(c *shimCmd) error { return s.telitListen(c, true) }

func (s *shimSession) telitListen(c *shimCmd, udp bool) error {
	if c.Op == at.Test {
		s.line("(1-6),(0,1),(0-65535)")
		return nil
	}
	if c.Op == at.Read {
		for id, k := range s.tl().socks.All() {
			if k.lis != nil && k.udp == udp {
				s.line(fmt.Sprintf("%s: %d,%d,%d", c.Name, id, 1, k.lport))
			}
		}
		return nil
	}
	id, k, ok0 := s.telitSocketArg(c, 0)
	on, ok1 := c.intArg(1, 0, 1)
	lport, ok2 := c.intArg(2, 0, 65535)
	if c.Op != at.Set || !c.argc(3, 4-shimBool(udp)) || !ok0 || !ok1 || !ok2 {
		return at.Error
	}
	if len(c.args) == 4 {
		if _, ok := c.intArg(3, 0, 255); !ok {
			return at.Error
		}
	}
	if on == 0 {
		if k == nil || k.lis == nil {
			return telitErr(telitErrState)
		}
		s.telitRelease(k, false)
		return nil
	}
	switch {
	case k != nil && k.lis != nil:
		return telitErr(telitErrListening)
	case !s.telitFree(id) || lport == 0:
		return telitErr(telitErrState)
	}
	n := s.telitNetwork(id)
	if n == nil {
		return telitErr(telitErrNoContext)
	}
	k = &telitSocket{id: id, port: s, udp: udp, lport: lport}
	return s.telitListenOn(k, n)
}

// telitListenOn opens k's listener (TCP or UDP, on k.lport) over n,
// behind the firewall.
func (s *shimSession) telitListenOn(k *telitSocket, n modemsock.Network) error {
	var err error
	if k.udp {
		k.lis, err = s.socks.ListenPacket(n, ":"+strconv.Itoa(k.lport))
	} else {
		k.lis, err = s.socks.Listen(n, ":"+strconv.Itoa(k.lport))
	}
	if err != nil {
		s.log.Debug("shim: listen failed", "id", k.id, "err", err)
		return telitErr(telitErrSetup)
	}
	k.lis.Data = k
	k.lis.SetAllow(s.tl().allowed)
	s.tl().socks.Set(k.id, k)
	return nil
}

// AT#SA=<connId>[,<connMode>]: accepts the incoming connection, in
// online mode (0, CONNECT) or command mode (1, OK). A TCP socket stops
// listening; AT#SL listens again.
func (s *shimSession) cmdTelitSA(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("#SA: (1-6),(0,1)")
		return nil
	}
	_, k, ok0 := s.telitSocketArg(c, 0)
	mode, ok1 := 0, true
	if len(c.args) == 2 {
		mode, ok1 = c.intArg(1, 0, 1)
	}
	if c.Op != at.Set || !c.argc(1, 2) || !ok0 || !ok1 {
		return at.Error
	}
	if k == nil || k.in == nil {
		return telitErr(telitErrState)
	}
	s.telitAccept(k, mode)
	return errShimFinal
}

// telitAccept makes k's incoming connection its socket, answered on s.
func (s *shimSession) telitAccept(k *telitSocket, mode int) {
	k.sock, k.in, k.port, k.rung = k.in, nil, s, false
	k.sock.Data = k
	if !k.easy { // AT#SCFG as it is when the connection comes
		g := s.tl().cfg[k.id]
		k.pktSz, k.txTo, k.maxTo = g.pktSz, g.txTo, g.maxTo
	}
	if !k.udp {
		k.lis.Close()
		k.lis = nil
	}
	s.telitWatchIdle(k)
	if mode == 1 {
		s.result("OK")
		s.telitDeliver(k)
		return
	}
	s.telitOnline(k)
}

// cmdTelitSELINT is AT#SELINT: the command behaviour level, 2 for the
// shim whatever is set.
func (s *shimSession) cmdTelitSELINT(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		s.line("#SELINT: 2")
	case at.Test:
		s.line("#SELINT: (0-2)")
	case at.Set:
		if _, ok := c.intArg(0, 0, 2); !ok || len(c.args) != 1 {
			return at.Error
		}
	default:
		return at.Error
	}
	return nil
}

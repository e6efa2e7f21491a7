package shim

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// AT#CONNECTIONSTART: GPRS up, then the address on its own line and
// Ok_Info_GprsActivation as the final answer (OpenDMTP and Multi-Tech's
// UIP take the address from the line before it).
func (s *shimSession) cmdMTConnectionStart(c *shimCmd) error {
	t := s.mt()
	switch {
	case c.Op != at.Action:
		return s.mtFail(mtErrSyntax)
	case t.px.Network() != nil || t.px.Activating():
		return s.mtFail(mtErrRunning)
	case t.gprsMode != 1:
		// GSM mode dials a CSD call to an ISP, which the shim has not.
		return s.mtFail(mtErrGPRSFailed)
	}
	s.hold()
	t.px.Activate(s.cfg.Backend, t.apn, t.user, t.pass, shimActivateTimeout, func(err error) {
		defer s.resume()
		if err != nil {
			s.log.Debug("shim: activation failed", "err", err)
			s.mtFailResult(mtErrGPRSFailed)
			return
		}
		s.line(ipv4Text(t.px.Network().LocalAddr()))
		s.mtInfo(mtGprsActivation)
	})
	return errShimFinal
}

// AT#CONNECTIONSTOP: the session and the listener close, GPRS goes
// down; OK even when nothing was up.
func (s *shimSession) cmdMTConnectionStop(c *shimCmd) error {
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	s.mtStopAll()
	return nil
}

// mtFailResult answers a command that was waiting (#CONNECTIONSTART,
// #OTCP, #OUDP) with its error.
func (s *shimSession) mtFailResult(code int) {
	if err := s.mtFail(code); err != errShimFinal {
		s.errorResult(err)
	}
}

// mtStopAll closes whatever the host opened.
func (s *shimSession) mtStopAll() {
	t := s.mt()
	s.mtLTCPStop()
	if d := t.sess; d != nil {
		s.mtEndSession(d)
	}
	t.px.Deactivate(errShimState)
}

// AT#DISPLAYIP: the addresses of the GPRS session (OpenDMTP's comment:
// #MY IP: "10.80.71.42", #PEER IP and #GATEWAY IP "0.0.0.0"), or 35867
// when it is down.
func (s *shimSession) cmdMTDisplayIP(c *shimCmd) error {
	n := s.mt().px.Network()
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	if n == nil {
		return s.mtFail(mtErrNoLink)
	}
	s.line(fmt.Sprintf("#MY IP: %q", ipv4Text(n.LocalAddr())))
	s.line(`#PEER IP: "0.0.0.0"`)
	s.line(`#GATEWAY IP: "0.0.0.0"`)
	return nil
}

// mtReady checks that a session can start: GPRS up, nothing else open.
func (s *shimSession) mtReady() (modemsock.Network, error) {
	t := s.mt()
	n := t.px.Network()
	switch {
	case n == nil:
		return nil, s.mtFail(mtErrNoLink)
	case t.running():
		return nil, s.mtFail(mtErrRunning)
	}
	return n, nil
}

// AT#LTCPSTART[=id]: OK, then the port of #TCPPORT listens for the
// client #TCPSERV allows (255.255.255.255: anyone). The first allowed
// client's connection gives Ok_Info_WaitingForData and the bridge; the
// port then listens no more (seed 003).
func (s *shimSession) cmdMTLTCPStart(c *shimCmd) error {
	id, ok := s.mtProfileArg(c)
	if !ok {
		return s.mtFail(mtErrSyntax)
	}
	p := s.mt().tcp[id]
	allow, ok := mtAllow(p.serv)
	if !ok || p.port == 0 {
		return s.mtFail(mtErrBadValue)
	}
	n, err := s.mtReady()
	if err != nil {
		return err
	}
	lis, err := s.socks.Listen(n, ":"+strconv.Itoa(p.port))
	if err != nil {
		s.log.Debug("shim: listen failed", "err", err)
		return s.mtFail(mtErrTCPOpen)
	}
	lis.SetAllow(allow)
	t := s.mt()
	t.lis, t.lid, t.ludp = lis, id, false
	return nil
}

// AT#LUDPSTART[=id]: OK, then #UDPPORT takes datagrams from the peer
// #UDPSERV allows (255.255.255.255: anyone). The first datagram gives
// Ok_Info_WaitingForData and a bridge, DLE framed as UDP always is, to
// that peer alone; the port takes no other peer, and closes with the
// session. The manual lists the command without its dialogue; the shim
// gives it #LTCPSTART's.
func (s *shimSession) cmdMTLUDPStart(c *shimCmd) error {
	if _, ok := s.mtProfileArg(c); !ok {
		return s.mtFail(mtErrSyntax)
	}
	t := s.mt()
	allow, ok := mtAllow(t.udpServ)
	if !ok || t.udpPort == 0 {
		return s.mtFail(mtErrBadValue)
	}
	n, err := s.mtReady()
	if err != nil {
		return err
	}
	lis, err := s.socks.ListenPacket(n, ":"+strconv.Itoa(t.udpPort))
	if err != nil {
		s.log.Debug("shim: listen failed", "err", err)
		return s.mtFail(mtErrTCPOpen)
	}
	lis.SetAllow(allow)
	t.lis, t.ludp = lis, true
	return nil
}

// mtAllow is the filter of a listening #TCPSERV or #UDPSERV: anyone for
// 255.255.255.255, else the one dotted address ("not a symbolic name",
// seed 003); false if serv is neither.
func mtAllow(serv string) (func(netip.Addr) bool, bool) {
	if serv == mtAnyone {
		return nil, true
	}
	want, err := netip.ParseAddr(serv)
	if err != nil || !want.Is4() {
		return nil, false
	}
	return func(a netip.Addr) bool { return a == want }, true
}

// AT#LTCPSTOP[=id], AT#LUDPSTOP[=id]: the port listens no more; OK.
func (s *shimSession) cmdMTLTCPStop(c *shimCmd) error {
	if _, ok := s.mtProfileArg(c); !ok {
		return s.mtFail(mtErrSyntax)
	}
	s.mtLTCPStop()
	return nil
}

func (s *shimSession) mtLTCPStop() {
	t := s.mt()
	if t.lis != nil {
		t.lis.Close()
		t.lis = nil
	}
}

// AT#OTCP[=id]: a connection to #TCPSERV:#TCPPORT, then
// Ok_Info_WaitingForData with no OK before it, and the bridge.
func (s *shimSession) cmdMTOTCP(c *shimCmd) error {
	id, ok := s.mtProfileArg(c)
	if !ok {
		return s.mtFail(mtErrSyntax)
	}
	p := s.mt().tcp[id]
	if p.serv == "" || p.port == 0 {
		return s.mtFail(mtErrBadValue)
	}
	return s.mtOpen(false, p.serv, p.port, p.dle == 1, p.txDelay)
}

// AT#OUDP: a UDP session to #UDPSERV:#UDPPORT, as #OTCP; its data are
// always framed with DLE/ETX.
func (s *shimSession) cmdMTOUDP(c *shimCmd) error {
	t := s.mt()
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	if t.udpServ == "" || t.udpPort == 0 {
		return s.mtFail(mtErrBadValue)
	}
	return s.mtOpen(true, t.udpServ, t.udpPort, true, t.udpTxDelay)
}

// mtOpen dials the session; the host waits for the answer.
func (s *shimSession) mtOpen(udp bool, host string, port int, dle bool, txDelay int) error {
	n, err := s.mtReady()
	if err != nil {
		return err
	}
	sock := s.socks.Dial(n, udp, net.JoinHostPort(host, strconv.Itoa(port)), shimDialTimeout)
	d := &mtData{s: s, sock: sock, udp: udp, dle: dle, txDelay: txDelay, opening: true}
	sock.Data = d
	s.mt().sess = d
	s.hold()
	return errShimFinal
}

// mtEvent renders what the socket core reports.
func (s *shimSession) mtEvent(ev modemsock.Event) {
	t := s.mt()
	if ev.Kind == modemsock.EventContextLost {
		s.mtStopAll()
		return
	}
	if ev.Kind == modemsock.EventAccepted {
		if ev.Listener != t.lis || t.sess != nil {
			ev.Socket.Close() // stopped meanwhile
			return
		}
		var d *mtData
		if t.ludp {
			// The session's datagrams come through the listener, which
			// stays until the session ends, taking no other peer.
			d = &mtData{s: s, sock: ev.Socket, udp: true, dle: true, txDelay: t.udpTxDelay, keep: t.lis}
			t.lis = nil
		} else {
			s.mtLTCPStop() // one-shot
			p := t.tcp[t.lid]
			d = &mtData{s: s, sock: ev.Socket, dle: p.dle == 1, txDelay: p.txDelay}
		}
		ev.Socket.Data = d
		t.sess = d
		s.mtOnline(d)
		return
	}
	d, _ := ev.Socket.Data.(*mtData)
	if d == nil || d != t.sess {
		return // a session that ended
	}
	switch ev.Kind {
	case modemsock.EventConnected:
		d.opening = false
		s.mtOnline(d)
		s.resume()
	case modemsock.EventConnectFailed:
		s.log.Debug("shim: connect failed", "err", ev.Err)
		t.sess = nil
		code := mtErrTCPOpen
		if dnsErr := (*net.DNSError)(nil); errors.As(ev.Err, &dnsErr) {
			code = mtErrDNS
		}
		s.mtFailResult(code)
		s.resume()
	case modemsock.EventReadable:
		d.deliver()
	case modemsock.EventPeerClosed:
		d.deliver()
		s.mtEndSession(d)
	}
}

// mtOnline starts the bridge.
func (s *shimSession) mtOnline(d *mtData) {
	s.mtInfo(mtWaitingForData)
	s.e.SetEscape(false) // only ETX ends the session (DLEMODE=1)
	s.e.GoOnline(d)
	s.pollDTR(func() bool { return s.mt().sess == d && !d.ended })
	d.deliver()
}

// mtEndSession ends the session from the modem's side (the peer closed,
// GPRS went down, #CONNECTIONSTOP): a bare ETX under DLE framing, then
// Ok_Info_SocketClosed in command mode.
func (s *shimSession) mtEndSession(d *mtData) {
	t := s.mt()
	t.sess = nil
	d.stop()
	if d.opening {
		s.mtFailResult(mtErrTCPOpen)
		s.resume()
		return
	}
	if d.dle {
		s.raw([]byte{etx})
	}
	s.e.Hangup()
	s.mtInfo(mtSocketClosed)
}

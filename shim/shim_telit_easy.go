package shim

import (
	"fmt"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// The single-socket "IP Easy" commands of Telit's GSM modules (GM862,
// GC864, GE864/865, GL865), which firmware older than the multisocket
// commands was written against: AT#SKTD dials and goes online at once
// ("AT#SKTD=0,80,"host",0,0", then CONNECT), AT#SKTL listens and answers
// a connection itself ("+CONN FROM: <ip>", CONNECT), AT#SKTSET and
// AT#SKTOP dial a stored target after activating context 1 with
// AT#USERID and AT#PASSW. The socket is connection ID 1 on context 1;
// AT#PKTSZ, AT#DSTO, AT#SKTTO and AT#SKTCT are its packet size, data
// sending timeout, inactivity timeout and connect timeout, in place of
// AT#SCFG's. The connection ends as an online AT#SD's does: +++ (and
// AT#SO), NO CARRIER when the peer closes.
//
// The GM862 manual (80000ST10025a r5, §3.5.7.5) and Telit's GE864/GC864
// product description give AT#SKTL's URC and one-shot listening;
// AT#SKTD's syntax is that of the clients that use it. The defaults of
// the timing parameters are the module's as the shim has them: packet
// 300 octets, 5 s data sending timeout, 90 s inactivity, 60 s connect.

// telitEasy is the module's IP Easy parameters.
type telitEasy struct {
	pktSz, dsto, sktTo, sktCt int
	set                       []shimArg // AT#SKTSET's target
}

var telitEasyDefault = telitEasy{pktSz: 300, dsto: 50, sktTo: 90, sktCt: 600}

// telitEasyParam is AT#PKTSZ, AT#DSTO, AT#SKTTO or AT#SKTCT: =<n> sets,
// ? reads "<name>: <n>", =? the range.
func telitEasyParam(name string, lo, hi int, field func(*telitEasy) *int) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		p := field(&s.tl().easy)
		switch c.Op {
		case at.Test:
			s.line(fmt.Sprintf("%s: (%d-%d)", name, lo, hi))
			return nil
		case at.Read:
			s.line(fmt.Sprintf("%s: %d", name, *p))
			return nil
		case at.Set:
		default:
			return at.Error
		}
		n, ok := c.intArg(0, lo, hi)
		if !ok || len(c.args) != 1 {
			return at.Error
		}
		if name == "#PKTSZ" && n == 0 {
			n = telitEasyDefault.pktSz // 0: the module picks
		}
		*p = n
		return nil
	}
}

// telitEasyTarget reads <type>,<rport>,<addr>[,<closure>[,<lport>]] of
// AT#SKTD and AT#SKTSET.
func telitEasyTarget(c *shimCmd) (udp bool, host string, port, lport int, ok bool) {
	prot, ok0 := c.intArg(0, 0, 1)
	port, ok1 := c.intArg(1, 1, 65535)
	ok2, ok3 := true, true
	if len(c.args) > 3 {
		var closure int
		closure, ok2 = c.intArg(3, 0, 255)
		ok2 = ok2 && (closure == 0 || closure == 255)
	}
	if len(c.args) > 4 {
		lport, ok3 = c.intArg(4, 0, 65535)
	}
	ok = c.Op == at.Set && c.argc(3, 5) && ok0 && ok1 && ok2 && ok3 && c.args[2].val != ""
	if !ok {
		return false, "", 0, 0, false
	}
	return prot == 1, c.args[2].val, port, lport, true
}

// AT#SKTD=<type>,<rport>,<addr>[,<closure>[,<lport>]]: CONNECT once
// connected, and the line is the socket. Context 1 must be up
// (AT#GPRS=1).
func (s *shimSession) cmdTelitSKTD(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`#SKTD: (0,1),(1-65535),,(0,255),(0-65535)`)
		return nil
	}
	udp, host, port, lport, ok := telitEasyTarget(c)
	if !ok {
		return at.Error
	}
	return s.telitEasyDial(udp, host, port, lport)
}

func (s *shimSession) telitEasyDial(udp bool, host string, port, lport int) error {
	if !s.telitFree(1) {
		return telitErr(telitErrState)
	}
	n := s.tl().ctxs[1].px.Network()
	if n == nil {
		return telitErr(telitErrNoContext)
	}
	e := s.tl().easy
	k := &telitSocket{id: 1, port: s, udp: udp, dialed: true, online: true, lport: lport, easy: true,
		pktSz: e.pktSz, txTo: e.dsto, maxTo: e.sktTo}
	s.telitDial(k, n, host, port, e.sktCt)
	return errShimFinal
}

// AT#SKTSET=<type>,<rport>,<addr>[,<closure>[,<lport>]]: the target of
// AT#SKTOP. AT#SKTSET? shows it.
func (s *shimSession) cmdTelitSKTSET(c *shimCmd) error {
	e := &s.tl().easy
	switch c.Op {
	case at.Test:
		s.line(`#SKTSET: (0,1),(1-65535),,(0,255),(0-65535)`)
		return nil
	case at.Read:
		if len(e.set) > 0 {
			s.line(fmt.Sprintf("#SKTSET: %s,%s,%q", e.set[0].val, e.set[1].val, e.set[2].val))
		}
		return nil
	}
	if _, _, _, _, ok := telitEasyTarget(c); !ok {
		return at.Error
	}
	e.set = append([]shimArg(nil), c.args...)
	return nil
}

// AT#SKTOP: context 1 up with AT#USERID and AT#PASSW if it is not, then
// AT#SKTSET's target dialed, CONNECT.
func (s *shimSession) cmdTelitSKTOP(c *shimCmd) error {
	m := s.tl()
	if c.Op != at.Action || len(m.easy.set) == 0 {
		return at.Error
	}
	sc := &shimCmd{Command: at.Command{Name: "#SKTSET", Op: at.Set}, args: m.easy.set}
	udp, host, port, lport, _ := telitEasyTarget(sc)
	x := m.ctxs[1]
	if x.px.Network() != nil {
		return s.telitEasyDial(udp, host, port, lport)
	}
	if !s.telitFree(1) {
		return telitErr(telitErrState)
	}
	s.hold()
	x.px.Activate(s.cfg.Backend, x.apn, m.user, m.pass, shimActivateTimeout, func(err error) {
		s.resume()
		if err != nil {
			s.log.Debug("shim: activation failed", "context", 1, "err", err)
			s.errorResult(telitErr(telitErrActivation))
			return
		}
		if err := s.telitEasyDial(udp, host, port, lport); err != errShimFinal {
			s.errorResult(err)
		}
	})
	return errShimFinal
}

// AT#SKTL=<mode>,<type>,<lport>[,<closure>]: mode 1 listens on a TCP
// port (context 1 up), 0 stops. A connection the firewall lets in gives
// "+CONN FROM: <ip>", then CONNECT and online data; the socket then
// listens no more.
func (s *shimSession) cmdTelitSKTL(c *shimCmd) error {
	if c.Op == at.Test {
		s.line("#SKTL: (0,1),(0),(0-65535),(0,255)")
		return nil
	}
	mode, ok0 := c.intArg(0, 0, 1)
	_, ok1 := c.intArg(1, 0, 0)
	lport, ok2 := c.intArg(2, 0, 65535)
	ok3 := true
	if len(c.args) == 4 {
		_, ok3 = c.intArg(3, 0, 255)
	}
	if c.Op != at.Set || !c.argc(3, 4) || !ok0 || !ok1 || !ok2 || !ok3 {
		return at.Error
	}
	k := s.tl().socks.Get(1)
	if mode == 0 {
		if k == nil || !k.easy || k.lis == nil {
			return telitErr(telitErrState)
		}
		s.telitRelease(k, false)
		return nil
	}
	switch {
	case k != nil && k.lis != nil:
		return telitErr(telitErrListening)
	case !s.telitFree(1) || lport == 0:
		return telitErr(telitErrState)
	}
	n := s.tl().ctxs[1].px.Network()
	if n == nil {
		return at.Error // "if no GPRS is active the command reports ERROR"
	}
	e := s.tl().easy
	k = &telitSocket{id: 1, port: s, lport: lport, easy: true, pktSz: e.pktSz, txTo: e.dsto, maxTo: e.sktTo}
	return s.telitListenOn(k, n)
}

// telitEasyIncoming answers a connection to AT#SKTL's listener itself:
// "+CONN FROM: <ip>", CONNECT. One that comes while the port cannot go
// online (a command runs, another socket is online) is closed.
func (s *shimSession) telitEasyIncoming(k *telitSocket, c *modemsock.Socket) {
	if s.data != nil && s.data.active || s.busy() || s.e.InPayload() {
		c.Close()
		return
	}
	k.in = c
	c.Data = k
	s.line("+CONN FROM: " + telitAddr(c.Remote()))
	s.telitAccept(k, 0)
}

// telitEasyCommands are the IP Easy commands.
func telitEasyCommands() map[string]shimHandler {
	return map[string]shimHandler{
		"#SKTD":   (*shimSession).cmdTelitSKTD,
		"#SKTL":   (*shimSession).cmdTelitSKTL,
		"#SKTSET": (*shimSession).cmdTelitSKTSET,
		"#SKTOP":  (*shimSession).cmdTelitSKTOP,
		"#SKTSAV": shimAccept, // nothing is kept across power cycles
		"#PKTSZ":  telitEasyParam("#PKTSZ", 0, 1500, func(e *telitEasy) *int { return &e.pktSz }),
		"#DSTO":   telitEasyParam("#DSTO", 0, 255, func(e *telitEasy) *int { return &e.dsto }),
		"#SKTTO":  telitEasyParam("#SKTTO", 0, 65535, func(e *telitEasy) *int { return &e.sktTo }),
		"#SKTCT":  telitEasyParam("#SKTCT", 10, 1200, func(e *telitEasy) *int { return &e.sktCt }),
	}
}

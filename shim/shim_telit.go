// The Telit personality: the multisocket #S* commands of Telit's modules
// (GC864, GE865, GL865 under AT#SELINT=2, HE910, UE866, LE910, ME910;
// dialects.md §1). Contexts are activated with AT#SGACT=<cid>,1 (or the
// older AT#GPRS=1 with AT#USERID/AT#PASSW); sockets are connection IDs 1
// to 6, configured with AT#SCFG/AT#SCFGEXT, opened with AT#SD (online
// mode: CONNECT and the line is the socket, +++ and AT#SO; command mode:
// OK, then AT#SSEND(EXT) and AT#SRECV with SRING) or AT#SL and AT#SA, and
// watched with AT#SS and AT#SI. AT#FRWL is the listeners' firewall.
//
// A module may have several AT ports (Shim.ServePorts): the sockets,
// contexts and firewall are the module's (telitModule), and each socket
// reports to the port that opened it. This file holds that state and the
// context and configuration commands; shim_telit_frwl.go the firewall;
// shim_telit_sock.go opening, closing, listening and AT#SS;
// shim_telit_data.go AT#SSEND(EXT), AT#SRECV, AT#SI and AT#SLASTCLOSURE;
// shim_telit_events.go the rendering of the socket core's events.

package shim

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

const (
	// telitSockets is the number of connection IDs (1 to 6).
	telitSockets = 6
	// telitContexts is the highest PDP context ID (1 to 5 on the UC864;
	// newer modules take up to 16, and so does the shim).
	telitContexts = 16
	// telitMaxSend is the largest AT#SSEND/AT#SSENDEXT payload (ME910C1).
	telitMaxSend = 1500
	// telitMaxRecv is the most one AT#SRECV returns.
	telitMaxRecv = 1500
)

// Telit's IP stack errors, +CME ERROR 550 to 564 of the multisocket
// firmware (dialects.md §1.6). The numbers and names are those of the
// error table of Telit's AT reference as two independent clients
// transcribe it (a C# modem library's full +CME table, with the older
// IP Easy range 400 to 414 beside it; an embedded driver that maps "CME
// ERROR: 553" to "context already activated"); the manual's own page
// could not be read here. The verbose texts are those clients match
// under AT+CMEE=2 (attentive: "context already activated", "activation
// failed"; the UE866 fork: "can not resolve DN", "timeout in opening
// socket"), where the transcribed table spells the last two "cannot
// resolve DN" and "time-out in opening socket": the shim keeps the
// clients' spelling. AT#SO on a socket it cannot resume answers 551,
// wrong state: the 566 "cannot resume socket" that dialects.md recalls is in no
// source found.
const (
	telitErrGeneric     = 550
	telitErrState       = 551
	telitErrMode        = 552
	telitErrActive      = 553
	telitErrActivation  = 555
	telitErrNoContext   = 556
	telitErrSetup       = 557
	telitErrDNS         = 558
	telitErrTimeout     = 559
	telitErrOpen        = 560
	telitErrConnect     = 562
	telitErrTx          = 563
	telitErrListening   = 564
	telitErrUnsupported = 4 // 27.007 "operation not supported"
)

var telitErrText = map[int]string{
	telitErrGeneric:    "generic undocumented error",
	telitErrState:      "wrong state",
	telitErrMode:       "wrong mode",
	telitErrActive:     "context already activated",
	telitErrActivation: "activation failed",
	telitErrNoContext:  "context not opened",
	telitErrSetup:      "cannot setup socket",
	telitErrDNS:        "can not resolve DN",
	telitErrTimeout:    "timeout in opening socket",
	telitErrOpen:       "cannot open socket",
	telitErrConnect:    "connection failed",
	telitErrTx:         "tx error",
	telitErrListening:  "already listening",
}

// telitErr is the +CME ERROR of code, with Telit's text.
func telitErr(code int) error {
	if text, ok := telitErrText[code]; ok {
		return &at.CMEError{Code: code, Text: text}
	}
	return at.NewCMEError(code)
}

// telitModule is a Telit module's contexts, sockets and firewall, shared
// by its ports.
type telitModule struct {
	ctxs       [telitContexts + 1]*telitContext // by cid; [0] unused
	socks      *modemsock.Table[telitSocket]
	cfg        [telitSockets + 1]telitSockCfg // by connId
	user, pass string                         // AT#USERID, AT#PASSW
	frwl       []netip.Prefix                 // AT#FRWL's ACCEPT chains
	easy       telitEasy                      // the IP Easy socket's parameters
}

// telitContext is one cid's AT+CGDCONT and its network.
type telitContext struct {
	id  int
	apn string
	px  *modemsock.Context
}

// telitSockCfg is one connection ID's AT#SCFG and AT#SCFGEXT(2).
type telitSockCfg struct {
	cid, pktSz, maxTo, connTo, txTo      int
	srMode, recvMode, keepalive, autoRsp int
	sendMode, noCarrier                  int
}

var telitCfgDefault = telitSockCfg{cid: 1, pktSz: 300, maxTo: 90, connTo: 600, txTo: 50}

// telitPort is the personality of one port of a Telit module.
type telitPort struct {
	s *shimSession
	m *telitModule
}

func newTelitPort(s *shimSession) *telitPort {
	m, _ := s.mod.shared.(*telitModule)
	if m == nil {
		m = &telitModule{socks: modemsock.NewTable[telitSocket](1, telitSockets), easy: telitEasyDefault}
		for id := 1; id <= telitContexts; id++ {
			x := &telitContext{id: id, px: s.socks.NewContext()}
			x.px.Data = x
			m.ctxs[id] = x
		}
		for id := range m.cfg {
			m.cfg[id] = telitCfgDefault
		}
		s.mod.shared = m
	}
	// The payload of AT#SSEND is not echoed; a Telit prompt is "> ".
	s.ip.sde = 0
	return &telitPort{s: s, m: m}
}

// tl returns the module's Telit state.
func (s *shimSession) tl() *telitModule { return s.pers.(*telitPort).m }

func (p *telitPort) identity() (string, string, string) {
	// The module of seed 004; the shim's choice of firmware revision.
	return "Telit", "GC864-QUAD-PY", "10.00.005"
}

func (p *telitPort) start() {} // Telit modules print nothing at boot

func (p *telitPort) event(ev modemsock.Event) { p.s.telitEvent(ev) }

func (p *telitPort) flushRecv() { p.s.telitFlush() }

func (p *telitPort) shutdown() {
	for _, k := range p.m.socks.All() {
		p.s.telitRelease(k, false)
	}
	for _, x := range p.m.ctxs[1:] {
		x.px.Deactivate(errShimState)
	}
}

// commands returns a new command table of the Telit personality.
func (*telitPort) commands() map[string]shimHandler {
	t := m95BasicCommands()
	for _, name := range []string{"+QNITZ", "+QIURC", "+QCCID", "+QSCLK", "+QSPN"} {
		delete(t, name)
	}
	for name, h := range map[string]shimHandler{
		"&K":            shimAccept,
		"#SELINT":       (*shimSession).cmdTelitSELINT,
		"#CCID":         shimInfoLine(func(ModemInfo) string { return "#CCID: " + shimICCID }),
		"+CCID":         shimInfoLine(func(ModemInfo) string { return "+CCID: " + shimICCID }),
		"+CGDCONT":      (*shimSession).cmdTelitCGDCONT,
		"#SGACT":        (*shimSession).cmdTelitSGACT,
		"#GPRS":         (*shimSession).cmdTelitGPRS,
		"#USERID":       telitCredential(func(m *telitModule) *string { return &m.user }, "#USERID"),
		"#PASSW":        telitCredential(func(m *telitModule) *string { return &m.pass }, ""),
		"#SCFG":         (*shimSession).cmdTelitSCFG,
		"#SCFGEXT":      (*shimSession).cmdTelitSCFGEXT,
		"#SCFGEXT2":     (*shimSession).cmdTelitSCFGEXT2,
		"#FRWL":         (*shimSession).cmdTelitFRWL,
		"#SD":           (*shimSession).cmdTelitSD,
		"#SH":           (*shimSession).cmdTelitSH,
		"#SO":           (*shimSession).cmdTelitSO,
		"#SS":           (*shimSession).cmdTelitSS,
		"#SI":           (*shimSession).cmdTelitSI,
		"#SRECV":        (*shimSession).cmdTelitSRECV,
		"#SSEND":        (*shimSession).cmdTelitSSEND,
		"#SSENDEXT":     (*shimSession).cmdTelitSSENDEXT,
		"#SSENDUDP":     (*shimSession).cmdTelitSSENDUDP,
		"#SSENDUDPEXT":  (*shimSession).cmdTelitSSENDUDPEXT,
		"#SL":           (*shimSession).cmdTelitSL,
		"#SLUDP":        (*shimSession).cmdTelitSLUDP,
		"#SA":           (*shimSession).cmdTelitSA,
		"#SLASTCLOSURE": (*shimSession).cmdTelitSLASTCLOSURE,
	} {
		t[name] = h
	}
	for name, h := range telitEasyCommands() {
		t[name] = h
	}
	return t
}

// telitContextArg returns the context of the cid in parameter k.
func (s *shimSession) telitContextArg(c *shimCmd, k int) (*telitContext, bool) {
	id, ok := c.intArg(k, 1, telitContexts)
	if !ok {
		return nil, false
	}
	return s.tl().ctxs[id], true
}

// AT+CGDCONT=<cid>,<type>,<apn>: the APN AT#SGACT and AT#GPRS use.
// attentive sends the type unquoted (AT+CGDCONT=1,IP,"apn").
func (s *shimSession) cmdTelitCGDCONT(c *shimCmd) error {
	switch c.Op {
	case at.Test:
		s.line(`+CGDCONT: (1-16),"IP",,,(0-2),(0-4)`)
		return nil
	case at.Read:
		for _, x := range s.tl().ctxs[1:] {
			if x.apn != "" {
				s.line(fmt.Sprintf(`+CGDCONT: %d,"IP",%q,"",0,0`, x.id, x.apn))
			}
		}
		return nil
	case at.Set:
	default:
		return at.Error
	}
	x, ok := s.telitContextArg(c, 0)
	if !ok || !c.argc(1, 6) {
		return at.Error
	}
	if len(c.args) > 1 && !strings.EqualFold(c.args[1].val, "IP") && c.args[1].val != "" {
		return telitErr(telitErrUnsupported) // IPv6 needs IPv6 on the link
	}
	x.apn = shimArgOr(c, 2)
	return nil
}

// telitCredential is AT#USERID="user" or AT#PASSW="pwd"; AT#USERID?
// reads the user name back (the password is not shown).
func telitCredential(field func(*telitModule) *string, read string) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		switch {
		case c.Op == at.Read && read != "":
			s.line(fmt.Sprintf("%s: %q", read, *field(s.tl())))
			return nil
		case c.Op == at.Test:
			return nil
		case c.Op != at.Set || len(c.args) != 1 || len(c.args[0].val) > 50:
			return at.Error
		}
		*field(s.tl()) = c.args[0].val
		return nil
	}
}

// AT#SGACT=<cid>,<stat>[,<user>,<pwd>]: activation answers
// "#SGACT: <ip>" and OK once the context is up; an active one gives
// "context already activated" (attentive counts that as success).
// AT#SGACT? lists "#SGACT: <cid>,<stat>".
func (s *shimSession) cmdTelitSGACT(c *shimCmd) error {
	switch c.Op {
	case at.Test:
		s.line("#SGACT: (1-16),(0-1)")
		return nil
	case at.Read:
		for _, x := range s.tl().ctxs[1:6] {
			s.line(fmt.Sprintf("#SGACT: %d,%d", x.id, shimBool(x.px.Network() != nil)))
		}
		return nil
	case at.Set:
	default:
		return at.Error
	}
	x, ok := s.telitContextArg(c, 0)
	stat, okS := c.intArg(1, 0, 1)
	if !ok || !okS || (len(c.args) != 2 && len(c.args) != 4) {
		return at.Error
	}
	if stat == 0 {
		s.telitDeactivate(x)
		return nil
	}
	user, pass := s.tl().user, s.tl().pass
	if len(c.args) == 4 {
		user, pass = c.args[2].val, c.args[3].val
	}
	return s.telitActivate(x, user, pass, "#SGACT: ")
}

// AT#GPRS=<0|1>: the older activation of context 1 with AT#USERID and
// AT#PASSW; it answers "+IP: <ip>" (seed 004 looks for "IP").
// AT#GPRS? is "#GPRS: <0|1>".
func (s *shimSession) cmdTelitGPRS(c *shimCmd) error {
	x := s.tl().ctxs[1]
	switch c.Op {
	case at.Test:
		s.line("#GPRS: (0-1)")
		return nil
	case at.Read:
		s.line(fmt.Sprintf("#GPRS: %d", shimBool(x.px.Network() != nil)))
		return nil
	case at.Set:
	default:
		return at.Error
	}
	stat, ok := c.intArg(0, 0, 1)
	if !ok || len(c.args) != 1 {
		return at.Error
	}
	if stat == 0 {
		s.telitDeactivate(x)
		return nil
	}
	return s.telitActivate(x, s.tl().user, s.tl().pass, "+IP: ")
}

// telitActivate brings x up and answers prefix and its address, then OK.
func (s *shimSession) telitActivate(x *telitContext, user, pass, prefix string) error {
	if x.px.Network() != nil {
		return telitErr(telitErrActive)
	}
	s.hold()
	x.px.Activate(s.cfg.Backend, x.apn, user, pass, shimActivateTimeout, func(err error) {
		if err != nil {
			s.log.Debug("shim: activation failed", "context", x.id, "err", err)
			s.errorResult(telitErr(telitErrActivation))
		} else {
			s.line(prefix + modemsock.DisplayAddr(x.px.Network()).String())
			s.result("OK")
		}
		s.resume()
	})
	return errShimFinal
}

// telitDeactivate closes x's sockets and takes it down.
func (s *shimSession) telitDeactivate(x *telitContext) {
	m := s.tl()
	for _, k := range m.socks.All() {
		if m.cid(k) == x.id {
			s.telitRelease(k, true)
		}
	}
	x.px.Deactivate(errShimState)
}

// cid is the context k runs on: AT#SCFG's, context 1 for the IP Easy
// socket.
func (m *telitModule) cid(k *telitSocket) int {
	if k.easy {
		return 1
	}
	return m.cfg[k.id].cid
}

// AT#SCFG=<connId>,<cid>,<pktSz>,<maxTo>,<connTo>,<txTo>. The shim sends
// what the host typed at once rather than after txTo or in pktSz
// packets, and keeps no inactivity timeout (maxTo): both only delay or
// end a connection on the module. connTo bounds AT#SD's connect.
func (s *shimSession) cmdTelitSCFG(c *shimCmd) error {
	m := s.tl()
	switch c.Op {
	case at.Test:
		s.line("#SCFG: (1-6),(1-16),(0-1500),(0-65535),(10-1200),(0-255)")
		return nil
	case at.Read:
		for id := 1; id <= telitSockets; id++ {
			g := m.cfg[id]
			s.line(fmt.Sprintf("#SCFG: %d,%d,%d,%d,%d,%d", id, g.cid, g.pktSz, g.maxTo, g.connTo, g.txTo))
		}
		return nil
	case at.Set:
	default:
		return at.Error
	}
	id, ok0 := c.intArg(0, 1, telitSockets)
	cid, ok1 := c.intArg(1, 1, telitContexts)
	pkt, ok2 := c.intArg(2, 0, 1500)
	maxTo, ok3 := c.intArg(3, 0, 65535)
	connTo, ok4 := c.intArg(4, 10, 1200)
	txTo, ok5 := c.intArg(5, 0, 255)
	if len(c.args) != 6 || !ok0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return at.Error
	}
	if pkt == 0 {
		pkt = telitCfgDefault.pktSz
	}
	g := &m.cfg[id]
	g.cid, g.pktSz, g.maxTo, g.connTo, g.txTo = cid, pkt, maxTo, connTo, txTo
	return nil
}

// AT#SCFGEXT=<connId>,<srMode>,<recvDataMode>,<keepalive>
// [,<ListenAutoRsp>[,<sendDataMode>]]: how SRING looks (0 plain, 1 with
// the amount, 2 with the data, 3 with the peer), whether AT#SRECV and
// SRING give hex, and automatic accept on AT#SL sockets.
func (s *shimSession) cmdTelitSCFGEXT(c *shimCmd) error {
	m := s.tl()
	switch c.Op {
	case at.Test:
		s.line("#SCFGEXT: (1-6),(0-3),(0-1),(0-240),(0-1),(0-1)")
		return nil
	case at.Read:
		for id := 1; id <= telitSockets; id++ {
			g := m.cfg[id]
			s.line(fmt.Sprintf("#SCFGEXT: %d,%d,%d,%d,%d,%d", id, g.srMode, g.recvMode, g.keepalive, g.autoRsp, g.sendMode))
		}
		return nil
	case at.Set:
	default:
		return at.Error
	}
	id, ok0 := c.intArg(0, 1, telitSockets)
	sr, ok1 := c.intArg(1, 0, 3)
	recv, ok2 := c.intArg(2, 0, 1)
	ka, ok3 := c.intArg(3, 0, 240)
	auto, send, ok4, ok5 := 0, 0, true, true
	if len(c.args) > 4 {
		auto, ok4 = c.intArg(4, 0, 1)
	}
	if len(c.args) > 5 {
		send, ok5 = c.intArg(5, 0, 1)
	}
	if !c.argc(4, 6) || !ok0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return at.Error
	}
	g := &m.cfg[id]
	g.srMode, g.recvMode, g.keepalive, g.autoRsp, g.sendMode = sr, recv, ka, auto, send
	return nil
}

// AT#SCFGEXT2=<connId>,<bufferStart>[,<abortConnAttempt>[,<unused>
// [,<unused>[,<noCarrierMode>]]]]: only noCarrierMode has an effect, a
// "NO CARRIER: <connId>,<cause>" when a command-mode socket closes.
func (s *shimSession) cmdTelitSCFGEXT2(c *shimCmd) error {
	if c.Op == at.Test || c.Op == at.Read {
		return nil
	}
	id, ok0 := c.intArg(0, 1, telitSockets)
	if c.Op != at.Set || !c.argc(2, 6) || !ok0 {
		return at.Error
	}
	for k := 1; k < len(c.args); k++ {
		if _, ok := c.intArg(k, 0, 255); !ok {
			return at.Error
		}
	}
	nc := 0
	if len(c.args) == 6 {
		nc, _ = c.intArg(5, 0, 2)
	}
	s.tl().cfg[id].noCarrier = nc
	return nil
}

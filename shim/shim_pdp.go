package shim

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// shimPDPState is the TCP/IP stack state of one context (seed §5.6,
// figures 3 and 4). The connection states (TCP CONNECTING, CONNECT OK, IP
// CLOSE, IP PROCESSING) are derived from the connections.
type shimPDPState int

const (
	pdpInitial shimPDPState = iota
	pdpStart
	pdpConfig
	pdpGPRSAct
	pdpStatus
	pdpDeact
)

var shimPDPStateNames = [...]string{"IP INITIAL", "IP START", "IP CONFIG", "IP GPRSACT", "IP STATUS", "PDP DEACT"}

func (st shimPDPState) String() string { return shimPDPStateNames[st] }

// Timeouts of the network operations, the longest the clients wait.
const (
	shimActivateTimeout = 150 * time.Second // umodem waits 150 s for QIACT
	shimDialTimeout     = 75 * time.Second  // QIOPEN: "up to 75 s"
	shimLookupTimeout   = 60 * time.Second
)

// shimPDP is one of the two local contexts (AT+QIFGCNT, seed §7) with the
// TCP/IP settings made while it was in the foreground.
type shimPDP struct {
	id              int
	apn, user, pass string
	state           shimPDPState
	px              *modemsock.Context

	mux, mode, dnsip int
	conns            []*shimConn // by index; nil = free
	ipClose          bool        // single mode: a connection has closed (IP CLOSE)
	srv              *shimServer
	lportTCP         int
	lportUDP         int
	dns              [2]netip.Addr // AT+QIDNSCFG, zero = the network's
}

func newShimPDP(id int, p Profile, socks *modemsock.Core) *shimPDP {
	pdp := &shimPDP{id: id, apn: "CMNET", conns: make([]*shimConn, max(p.MaxConnections, 2)),
		px: socks.NewContext(), lportTCP: 2020, lportUDP: 3030}
	pdp.px.Data = pdp
	return pdp
}

// network is p's network; nil while p is not active.
func (p *shimPDP) network() Network { return p.px.Network() }

// stateName is what AT+QISTAT reports.
func (p *shimPDP) stateName() string {
	if p.state != pdpStatus && p.state != pdpInitial {
		return p.state.String()
	}
	live := p.liveConns()
	if p.mux == 1 {
		if p.state == pdpStatus && len(live) > 0 {
			return "IP PROCESSING"
		}
		return p.state.String()
	}
	if c := p.conns[0]; c != nil && c.state != connClosed {
		live = []*shimConn{c} // the client goes first
	}
	if len(live) > 0 {
		if c := live[0]; c.state == connConnecting {
			return c.proto() + " CONNECTING"
		}
		return "CONNECT OK"
	}
	if p.ipClose {
		return "IP CLOSE"
	}
	return p.state.String()
}

func (p *shimPDP) liveConns() []*shimConn {
	var live []*shimConn
	for _, c := range p.conns {
		if c != nil && c.state != connClosed {
			live = append(live, c)
		}
	}
	return live
}

// closeAll closes every connection without URCs.
func (p *shimPDP) closeAll(s *shimSession) {
	for i, c := range p.conns {
		if c != nil {
			s.closeConn(c, false)
			p.conns[i] = nil
		}
	}
}

// forget drops the network after QIDEACT or a network loss.
func (p *shimPDP) forget() { p.px.Deactivate(errShimState) }

func (s *shimSession) pdp() *shimPDP { return s.pdps[s.fg] }

// setState moves p to st, logging the transition.
func (s *shimSession) setState(p *shimPDP, st shimPDPState) {
	if p.state != st {
		s.log.Debug("shim: state", "context", p.id, "old", p.state, "new", st)
		p.state = st
	}
}

// ensureActive calls then once p has a network, activating it first if
// needed (QIOPEN, QISERVER and QIDNSGIP activate on their own).
func (s *shimSession) ensureActive(p *shimPDP, then func(error)) {
	if p.network() != nil {
		then(nil)
		return
	}
	if p.state == pdpDeact {
		then(errShimState)
		return
	}
	be := s.cfg.Backend
	if !p.px.Activating() {
		if p.state < pdpConfig {
			s.setState(p, pdpConfig)
		}
		p.px.Activate(be, p.apn, p.user, p.pass, shimActivateTimeout, func(err error) { s.activated(p, err) })
	}
	p.px.Activate(be, p.apn, p.user, p.pass, shimActivateTimeout, then)
}

// activated moves p's state when its activation ends, before the commands
// that waited for it go on.
func (s *shimSession) activated(p *shimPDP, err error) {
	switch {
	case err == errShimState:
		// Deactivated meanwhile: QIDEACT or the loss set the state.
	case err != nil:
		s.log.Debug("shim: activation failed", "context", p.id, "err", err)
		s.setState(p, pdpInitial)
	case p.state < pdpGPRSAct:
		s.setState(p, pdpGPRSAct)
	}
}

// pdpDeact handles the loss of p's network: CLOSED for each connection,
// then +PDP DEACT.
func (s *shimSession) pdpDeact(p *shimPDP) {
	s.log.Debug("shim: context lost", "context", p.id)
	for i, c := range p.conns {
		if c != nil && c.state != connClosed {
			s.closeConn(c, true)
		}
		if c != nil && c.buffered() == 0 {
			p.conns[i] = nil // what was received stays readable
		}
	}
	p.stopServer()
	p.forget()
	s.setState(p, pdpDeact)
	s.line("+PDP DEACT")
}

func (s *shimSession) cmdQIFGCNT(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("+QIFGCNT: %d", s.fg))
	case at.Test:
		s.line("+QIFGCNT: (0,1)")
	case at.Set:
		v, ok := c.intArg(0, 0, 1)
		if !ok || len(c.args) != 1 {
			return errShimParam
		}
		s.fg = v
	default:
		return errShimParam
	}
	return nil
}

func (s *shimSession) cmdQICSGP(c *shimCmd) error {
	p := s.pdp()
	switch c.Op {
	case at.Read:
		s.line("+QICSGP: 1")
	case at.Test:
		s.line(`+QICSGP: (0,1),"APN","USER","PWD","RATE"`)
	case at.Set:
		mode, ok := c.intArg(0, 0, 1)
		if !ok || !c.argc(1, 5) {
			return errShimParam
		}
		if mode == 1 {
			p.apn, p.user, p.pass = shimArgOr(c, 1), shimArgOr(c, 2), shimArgOr(c, 3)
		}
	default:
		return errShimParam
	}
	return nil
}

func shimArgOr(c *shimCmd, k int) string {
	if k < len(c.args) {
		return c.args[k].val
	}
	return ""
}

func (s *shimSession) cmdQIREGAPP(c *shimCmd) error {
	p := s.pdp()
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("+QIREGAPP: %q,%q,%q", p.apn, p.user, p.pass))
		return nil
	case at.Test:
		s.line(`+QIREGAPP: "APN","USER","PWD"`)
		return nil
	case at.Set:
		if !c.argc(1, 4) {
			return errShimParam
		}
	}
	if p.state != pdpInitial {
		return errShimState
	}
	if r := s.registration(); r == 0 || r == at.RegDenied {
		return errShimState // no network to attach to, nor any sought
	}
	if c.Op == at.Set {
		p.apn, p.user, p.pass = shimArgOr(c, 0), shimArgOr(c, 1), shimArgOr(c, 2)
	}
	s.setState(p, pdpStart)
	return nil
}

func (s *shimSession) cmdQIACT(c *shimCmd) error {
	p := s.pdp()
	if c.Op == at.Test {
		return nil
	}
	if c.Op != at.Action || p.state != pdpStart {
		return errShimState
	}
	s.hold()
	s.ensureActive(p, func(err error) {
		if err != nil {
			s.errorResult(err)
		} else {
			s.result("OK")
		}
		s.resume()
	})
	return errShimFinal
}

func (s *shimSession) cmdQIDEACT(c *shimCmd) error {
	if c.Op == at.Test {
		return nil
	}
	if c.Op != at.Action {
		return errShimParam
	}
	// The M35 manual rejects QIDEACT in IP INITIAL, but TobudOS and
	// TinyGSM send it first thing and TobudOS insists on DEACT OK.
	p := s.pdp()
	p.closeAll(s)
	p.stopServer()
	p.forget()
	s.setState(p, pdpInitial)
	p.ipClose = false
	s.line("DEACT OK")
	return errShimFinal
}

func (s *shimSession) cmdQILOCIP(c *shimCmd) error {
	p := s.pdp()
	if c.Op != at.Action || p.network() == nil {
		return errShimState
	}
	a := p.network().LocalAddr()
	if !a.IsValid() {
		// The M95 is an IPv4 module: AT+QILOCIP has no IPv6 form.
		s.log.Info("shim: AT+QILOCIP: the link has no IPv4 address, and the M95 shows no IPv6 one")
		return errShimState
	}
	if p.state == pdpGPRSAct {
		s.setState(p, pdpStatus)
	}
	s.line(a.String())
	return errShimFinal // the address is the whole answer: no OK
}

func (s *shimSession) cmdQISTAT(c *shimCmd) error {
	p := s.pdp()
	if c.Op == at.Test {
		return nil
	}
	if c.Op != at.Action {
		return errShimParam
	}
	if p.mux == 0 {
		s.result("OK")
		s.line("STATE: " + s.qistatState(p))
		return errShimFinal
	}
	for _, cn := range p.liveConns() {
		s.line(fmt.Sprintf("+QISTAT: %d,%q,%q,%d", cn.idx, cn.proto(), cn.host, cn.port))
	}
	return nil
}

func (s *shimSession) cmdQISTATE(c *shimCmd) error {
	p := s.pdp()
	switch {
	case c.Op == at.Set:
		return s.qistateBG96(c)
	case c.Op == at.Test:
		return nil
	case c.Op != at.Action:
		return errShimParam
	}
	s.result("OK")
	s.line("STATE: " + p.stateName())
	for i := range s.cfg.Profile.MaxConnections {
		cn := p.conns[i]
		if cn == nil {
			s.line(fmt.Sprintf(`+QISTATE: %d,"","",,"INITIAL"`, i))
			continue
		}
		s.line(fmt.Sprintf("+QISTATE: %d,%q,%q,%d,%q", i, cn.proto(), cn.host, cn.port, cn.stateWord()))
	}
	return errShimFinal
}

// qistateBG96 answers the BG96 form AT+QISTATE=1,<n> with the BG96's
// +QISTATE line (state 1 connecting, 2 connected; nothing once closed).
// A connection the peer closed while data it sent is still waiting for
// AT+QIRD stays 2: the drivers that ask read only while connected() is
// true, and would otherwise lose what is buffered whenever the +QIRDI
// that re-announces it arrives after they last listened.
// The M95 manual documents only the exec form, but TinyGSM's M95 and MC60
// drivers test a socket with this one, and a module answering ERROR
// leaves their connected() false whenever nothing is buffered
// (qi-commands.md §3.2). No other client sends it.
func (s *shimSession) qistateBG96(c *shimCmd) error {
	p := s.pdp()
	typ, ok1 := c.intArg(0, 0, 1)
	n, ok2 := c.intArg(1, 0, len(p.conns)-1)
	if !ok1 || !ok2 || typ != 1 || len(c.args) != 2 {
		return errShimParam
	}
	if cn := p.conns[n]; cn != nil && (cn.state != connClosed || cn.buffered() > 0) {
		st := 2
		if cn.state == connConnecting {
			st = 1
		}
		s.line(fmt.Sprintf(`+QISTATE: %d,%q,%q,%d,%d,%d,1,0,0,"uart1"`,
			n, cn.proto(), cn.host, cn.port, cn.local().Port(), st))
	}
	return nil
}

func (s *shimSession) cmdQISSTAT(c *shimCmd) error {
	if c.Op != at.Action {
		return errShimParam
	}
	s.result("OK")
	if s.pdp().srv != nil {
		s.line("S: LISTENNING") // sic, as the seed's transcript
	} else {
		s.line("S: INITIAL")
	}
	return errShimFinal
}

// shimPDPInt is a per-context setting that may change only in IP INITIAL
// (QIMUX, QIMODE): the M95 answers ERROR elsewhere (TinyGSM #324).
func shimPDPInt(name string, hi int, field func(*shimPDP) *int, initialOnly bool) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		p := s.pdp()
		switch c.Op {
		case at.Read:
			s.line(fmt.Sprintf("%s: %d", name, *field(p)))
		case at.Test:
			s.line(fmt.Sprintf("%s: (0-%d)", name, hi))
		case at.Set:
			v, ok := c.intArg(0, 0, hi)
			if !ok || len(c.args) != 1 {
				return errShimParam
			}
			if initialOnly && (p.state != pdpInitial || len(p.liveConns()) > 0 || p.srv != nil) {
				return errShimState
			}
			*field(p) = v
			if p.mux == 1 && p.mode == 1 {
				*field(p) = 0 // transparent mode has a single connection
				return errShimState
			}
		default:
			return errShimParam
		}
		return nil
	}
}

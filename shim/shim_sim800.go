// The SIM800 personality: SIMCom's CIP* commands of the SIM800 and
// SIM900 (dialects.md §3), on the same socket core as the Quectel
// dialects. The bearer is brought up in steps that AT+CIPSTATUS reports
// (AT+CSTT: IP START, AT+CIICR: IP GPRSACT, AT+CIFSR: IP STATUS), and
// the state gates the commands: AT+CIPMUX and AT+CIPMODE only in IP
// INITIAL, AT+CIPSTART only in IP STATUS (or IP INITIAL with one
// connection). Connections are numbered 0 to 5 (SIM900: 0 to 7) under
// AT+CIPMUX=1, and their results spelled "<n>, CONNECT OK" with a comma
// and a space, as the modules and their clients have it. Received data is pushed
// (+RECEIVE,<n>,<len>:, or +IPD with AT+CIPHEAD=1) or, after
// AT+CIPRXGET=1, announced once with +CIPRXGET: 1,<n> and read with
// AT+CIPRXGET=2/3.
//
// This file holds the state, the settings and AT+CIPSTATUS;
// shim_sim800_bearer.go the bearer and DNS commands, shim_sim800_sock.go
// the connection commands, shim_sim800_events.go the rendering of the
// socket core's events.

package shim

import (
	"fmt"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// sim800Module is what differs between the SIM800 and the SIM900: the
// number of connections under AT+CIPMUX=1 (0 to 5 on the SIM800, 0 to 7
// on the SIM900: the manuals' AT+CIPSTART and AT+CIPSTATUS) and the
// identity.
type sim800Module struct {
	conns                         int
	manufacturer, model, firmware string
	revision                      string // what ATI says (FONA requires "SIM800" in it)
}

var (
	sim800Model = sim800Module{conns: 6, manufacturer: "SIMCOM_Ltd", model: "SIMCOM_SIM800L",
		firmware: "1418B04SIM800L24", revision: "SIM800 R14.18"}
	// The SIM900's identity strings are the shim's choice, in the form
	// of the SIM800's.
	sim900Model = sim800Module{conns: 8, manufacturer: "SIMCOM_Ltd", model: "SIMCOM_SIM900",
		firmware: "1137B10SIM900M64_ST", revision: "SIM900 R11.0"}
)

const (
	// sim800MaxRead is the most one AT+CIPRXGET=2 returns (TinyGSM's
	// comment: 1 to 1460).
	sim800MaxRead = 1460
	// sim800ModuleBuffer is the most unread data AT+CIPRXGET reports
	// waiting, whatever the shim holds (Profile.RecvBuffer): TinyGSM's
	// SIM800 driver parses the count with streamGetIntBefore into an
	// int16_t, so 32 KiB and more would read as negative. The rest counts
	// as still on its way. The module's own buffer size is not
	// documented; this is the shim's choice.
	sim800ModuleBuffer = 25 << 10
)

// sim800Stage is the bearer's part of the AT+CIPSTATUS state machine:
// the states 0 to 4 and 9 of the manual, before any connection.
type sim800Stage int

const (
	simIPInitial sim800Stage = iota
	simIPStart
	simIPConfig
	simIPGprsact
	simIPStatus
	simPDPDeact
)

var sim800StageNames = [...]string{
	simIPInitial: "IP INITIAL", simIPStart: "IP START", simIPConfig: "IP CONFIG",
	simIPGprsact: "IP GPRSACT", simIPStatus: "IP STATUS", simPDPDeact: "PDP DEACT",
}

// The states of a connection.
const (
	simConnecting = iota
	simConnected
	simClosed // the peer closed or the network went away; data may remain
)

// sim800State is a SIM800 host's bearer, settings and connections: the
// SIM800 personality.
type sim800State struct {
	s     *shimSession
	mod   sim800Module
	stage sim800Stage
	px    *modemsock.Context // the CIP* context: CSTT, CIICR, CIPSHUT
	conns *modemsock.Table[sim800Conn]

	apn, user, pass string // AT+CSTT
	dns1, dns2      string // AT+CDNSCFG
	lastProto       string // single mode: the protocol of the connection last closed ("TCP CLOSED")

	mux, mode, rxget, qsend int // AT+CIPMUX, AT+CIPMODE, AT+CIPRXGET, AT+CIPQSEND
	head, srip, showtp      int // AT+CIPHEAD, AT+CIPSRIP, AT+CIPSHOWTP
	sprt, clts              int // AT+CIPSPRT (1: "> " and SEND OK), AT+CLTS

	server     *modemsock.Listener // AT+CIPSERVER
	serverPort int

	// The bearer of AT+SAPBR (HTTP, FTP, NTP on the module), which the
	// shim opens and reports but uses for nothing.
	bearer    *modemsock.Context
	bearerSet map[string]string
}

// sim800Conn is one connection.
type sim800Conn struct {
	id     int
	udp    bool
	host   string
	port   int
	state  int
	sock   *modemsock.Socket
	server bool // accepted by AT+CIPSERVER

	notified bool   // +CIPRXGET: 1 sent; again once the buffer is drained
	told     bool   // CLOSED sent
	urcDue   bool   // a URC that waited for a command waits urcGuard more
	waiting  []byte // a payload waiting for room in the send queue
	wait     func() // answers the payload once it is queued
}

func newSIM800State(s *shimSession, mod sim800Module) *sim800State {
	st := &sim800State{s: s, mod: mod, px: s.socks.NewContext(), bearer: s.socks.NewContext(),
		conns: modemsock.NewTable[sim800Conn](0, mod.conns), bearerSet: map[string]string{},
		sprt: 1}
	st.px.Data, st.bearer.Data = st, st
	return st
}

// sim returns the session's SIM800 state.
func (s *shimSession) sim() *sim800State { return s.pers.(*sim800State) }

func (st *sim800State) identity() (string, string, string) {
	return st.mod.manufacturer, st.mod.model, st.mod.firmware
}

// start is the SIM800's boot banner at a fixed baud rate (attentive
// lists these as URCs; TinyGSM and FONA skip them).
func (st *sim800State) start() {
	for _, l := range []string{"RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"} {
		st.s.line(l)
	}
}

func (st *sim800State) event(ev modemsock.Event) { st.s.sim800Event(ev) }

func (st *sim800State) flushRecv() { st.s.sim800Flush() }

func (st *sim800State) shutdown() {
	st.s.sim800Shut()
	st.bearer.Deactivate(errShimState)
}

// commands returns a new command table of the SIM800 personality.
func (*sim800State) commands() map[string]shimHandler {
	t := m95BasicCommands()
	setting := func(name string, hi int, f func(*sim800State) *int) shimHandler {
		return shimIntSetting(name, 0, hi, func(s *shimSession) *int { return f(s.sim()) })
	}
	for name, h := range map[string]shimHandler{
		"I":          func(s *shimSession, c *shimCmd) error { s.line(s.sim().mod.revision); return nil },
		"+CGMI":      sim800Identity(func(m, _, _ string) string { return m }),
		"+GMI":       sim800Identity(func(m, _, _ string) string { return m }),
		"+CGMM":      sim800Identity(func(_, m, _ string) string { return m }),
		"+GMM":       sim800Identity(func(_, m, _ string) string { return m }),
		"+CGMR":      sim800Identity(func(_, _, r string) string { return "Revision:" + r }),
		"+GMR":       sim800Identity(func(_, _, r string) string { return "Revision:" + r }),
		"+CCID":      shimInfoLine(func(ModemInfo) string { return shimICCID }),
		"+CSPN":      sim800CSPN,
		"O":          (*shimSession).cmdATO,
		"+CLTS":      setting("+CLTS", 1, func(st *sim800State) *int { return &st.clts }),
		"+CBATCHK":   shimAccept,
		"+CIURC":     shimAccept,
		"+IFC":       shimAccept,
		"+ICF":       shimAccept,
		"+CVHU":      shimAccept,
		"+CSCLK":     shimAccept,
		"+SAPBR":     (*shimSession).cmdSIM800SAPBR,
		"+CSTT":      (*shimSession).cmdSIM800CSTT,
		"+CIICR":     (*shimSession).cmdSIM800CIICR,
		"+CIFSR":     (*shimSession).cmdSIM800CIFSR,
		"+CIPSTATUS": (*shimSession).cmdSIM800CIPSTATUS,
		"+CIPMUX":    (*shimSession).cmdSIM800CIPMUX,
		"+CIPMODE":   (*shimSession).cmdSIM800CIPMODE,
		"+CIPRXGET":  (*shimSession).cmdSIM800CIPRXGET,
		"+CIPQSEND":  setting("+CIPQSEND", 1, func(st *sim800State) *int { return &st.qsend }),
		"+CIPHEAD":   setting("+CIPHEAD", 1, func(st *sim800State) *int { return &st.head }),
		"+CIPSRIP":   setting("+CIPSRIP", 1, func(st *sim800State) *int { return &st.srip }),
		"+CIPSHOWTP": setting("+CIPSHOWTP", 1, func(st *sim800State) *int { return &st.showtp }),
		"+CIPSPRT":   setting("+CIPSPRT", 2, func(st *sim800State) *int { return &st.sprt }),
		"+CIPSSL":    (*shimSession).cmdSIM800CIPSSL,
		"+CIPCCFG":   (*shimSession).cmdSIM800CIPCCFG,
		"+CIPSTART":  (*shimSession).cmdSIM800CIPSTART,
		"+CIPSEND":   (*shimSession).cmdSIM800CIPSEND,
		"+CIPACK":    (*shimSession).cmdSIM800CIPACK,
		"+CIPCLOSE":  (*shimSession).cmdSIM800CIPCLOSE,
		"+CIPSHUT":   (*shimSession).cmdSIM800CIPSHUT,
		"+CIPSERVER": (*shimSession).cmdSIM800CIPSERVER,
		"+CDNSCFG":   (*shimSession).cmdSIM800CDNSCFG,
		"+CDNSGIP":   (*shimSession).cmdSIM800CDNSGIP,
	} {
		t[name] = h
	}
	// The Quectel settings are not the SIM800's.
	delete(t, "+QNITZ")
	delete(t, "+QIURC")
	delete(t, "+QSPN")
	delete(t, "+QCCID")
	delete(t, "+QSCLK")
	return t
}

// sim800Identity answers an identity query with the SIM800's own, not
// the modem's behind the shim: clients pick their driver by it (FONA
// wants "SIM800L" in AT+GMM).
func sim800Identity(f func(manufacturer, model, revision string) string) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		switch c.Op {
		case at.Action:
			s.line(f(s.pers.identity()))
		case at.Test:
		default:
			return errShimParam
		}
		return nil
	}
}

func sim800CSPN(s *shimSession, c *shimCmd) error {
	if c.Op != at.Read {
		return errShimParam
	}
	s.line(fmt.Sprintf("+CSPN: %q,0", s.info().Operator))
	return nil
}

// stateName is AT+CIPSTATUS's <state>.
func (st *sim800State) stateName() string {
	if st.stage != simIPStatus {
		return sim800StageNames[st.stage]
	}
	if st.mux == 1 {
		busy := st.server != nil
		for range st.conns.All() {
			busy = true
		}
		if busy {
			return "IP PROCESSING"
		}
		return "IP STATUS"
	}
	if k := st.conns.Get(0); k != nil {
		proto := k.proto()
		switch k.state {
		case simConnecting:
			return proto + " CONNECTING"
		case simConnected:
			return "CONNECT OK"
		}
		return proto + " CLOSED"
	}
	if st.server != nil {
		return "SERVER LISTENING"
	}
	if st.lastProto != "" {
		return st.lastProto + " CLOSED"
	}
	return "IP STATUS"
}

func (k *sim800Conn) proto() string {
	if k.udp {
		return "UDP"
	}
	return "TCP"
}

// AT+CIPSTATUS: OK, then STATE: and, under AT+CIPMUX=1, the server's S:
// line and six C: lines. AT+CIPSTATUS=<n>: one +CIPSTATUS: line and OK.
func (s *shimSession) cmdSIM800CIPSTATUS(c *shimCmd) error {
	st := s.sim()
	switch c.Op {
	case at.Test:
		return nil
	case at.Set:
		id, ok := c.intArg(0, 0, st.mod.conns-1)
		if !ok || len(c.args) != 1 || st.mux != 1 {
			return errShimParam
		}
		s.line("+CIPSTATUS: " + st.connStatus(id))
		return nil
	case at.Action:
	default:
		return errShimParam
	}
	s.result("OK")
	s.line("STATE: " + st.stateName())
	if st.mux == 1 {
		if st.server != nil {
			s.line(fmt.Sprintf(`S: 0,0,"%d","LISTENING"`, st.serverPort))
		}
		for id := range st.mod.conns {
			s.line("C: " + st.connStatus(id))
		}
	}
	return errShimFinal
}

// connStatus is a C: line's fields: <n>,<bearer>,"<TCP|UDP>","<ip>",
// "<port>","<client state>".
func (st *sim800State) connStatus(id int) string {
	k := st.conns.Get(id)
	if k == nil {
		return fmt.Sprintf(`%d,,"","","","INITIAL"`, id)
	}
	ip, port := k.host, k.port
	if k.sock != nil && k.sock.Remote().IsValid() {
		ip, port = k.sock.Remote().Addr().String(), int(k.sock.Remote().Port())
	}
	state := "CLOSED"
	switch {
	case k.state == simConnecting:
		state = "CONNECTING"
	case k.state == simConnected:
		state = "CONNECTED"
	case k.sock != nil && k.sock.Buffered() > 0:
		state = "REMOTE CLOSING" // closed by the peer, data not yet read
	}
	return fmt.Sprintf(`%d,0,%q,%q,"%d",%q`, id, k.proto(), ip, port, state)
}

// AT+CIPMUX=<0|1>: only in IP INITIAL, and not with AT+CIPMODE=1.
func (s *shimSession) cmdSIM800CIPMUX(c *shimCmd) error {
	st := s.sim()
	v, err := sim800Setting(s, c, "+CIPMUX", st.mux, 1)
	if err != nil || v < 0 {
		return err
	}
	if st.stage != simIPInitial || v == 1 && st.mode == 1 {
		return errShimState
	}
	st.mux = v
	return nil
}

// AT+CIPMODE=<0|1>: transparent mode, single connection only, set in IP
// INITIAL.
func (s *shimSession) cmdSIM800CIPMODE(c *shimCmd) error {
	st := s.sim()
	v, err := sim800Setting(s, c, "+CIPMODE", st.mode, 1)
	if err != nil || v < 0 {
		return err
	}
	if st.stage != simIPInitial || v == 1 && st.mux == 1 {
		return errShimState
	}
	st.mode = v
	return nil
}

// sim800Setting answers the read and test forms of a 0..hi setting and
// returns the value of the set form; -1 when answered.
func sim800Setting(s *shimSession, c *shimCmd, name string, cur, hi int) (int, error) {
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("%s: %d", name, cur))
		return -1, nil
	case at.Test:
		s.line(fmt.Sprintf("%s: (0-%d)", name, hi))
		return -1, nil
	case at.Set:
		v, ok := c.intArg(0, 0, hi)
		if !ok || len(c.args) != 1 {
			return 0, errShimParam
		}
		return v, nil
	}
	return 0, errShimParam
}

// AT+CIPSSL=<0|1>: the shim has no TLS; 0 is accepted (TinyGSM sends it
// before every AT+CIPSTART).
func (s *shimSession) cmdSIM800CIPSSL(c *shimCmd) error {
	v, err := sim800Setting(s, c, "+CIPSSL", 0, 1)
	if err != nil || v < 0 {
		return err
	}
	if v != 0 {
		return errShimState
	}
	return nil
}

// AT+CIPCCFG=<NmRetry>,<WaitTm>,<SendSz>,<esc>[,...]: the transparent
// mode's packing, as the M95's AT+QITCFG.
func (s *shimSession) cmdSIM800CIPCCFG(c *shimCmd) error {
	t := &s.ip.tcfg
	switch c.Op {
	case at.Read:
		s.line(fmt.Sprintf("+CIPCCFG: %d,%d,%d,%d,1,0,500", t.retry, t.wait, t.size, t.esc))
		return nil
	case at.Test:
		s.line("+CIPCCFG: (3-8),(1-10),(1-1460),(0,1),(0,1),(0-1),(50-1000)")
		return nil
	case at.Set:
	default:
		return errShimParam
	}
	retry, ok1 := c.intArg(0, 3, 8)
	wait, ok2 := c.intArg(1, 1, 10)
	size, ok3 := c.intArg(2, 1, 1460)
	esc, ok4 := c.intArg(3, 0, 1)
	if !c.argc(4, 7) || !ok1 || !ok2 || !ok3 || !ok4 {
		return errShimParam
	}
	*t = shimTCFG{retry: retry, wait: wait, size: size, esc: esc}
	return nil
}

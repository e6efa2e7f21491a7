// The Multi-Tech personality: the "IP Connectivity" #-commands of the
// Wavecom IP stack in Multi-Tech's GPRS modems (MTCBA-G, MTMMC-G,
// MTSMC-G; S000333D, dialects.md §2), also found in BlueTree modems.
// Parameters are set first (#APNSERV, #TCPSERV, #TCPPORT, #DLEMODE...);
// #CONNECTIONSTART brings GPRS up; then #OTCP, #OUDP or an accepted
// #LTCPSTART turn the serial line into a bridge to the one session
// (Ok_Info_WaitingForData), framed with DLE/ETX where §2.4 says
// (shim_multitech_data.go). Errors of the IP stack are "#CME ERROR: <n>"
// under AT+CMEE=1 or 2.
//
// This file holds the dialect's state and its parameter commands;
// shim_multitech_view.go the view commands (#VTCP, #VALL, #VSTATE...);
// shim_multitech_session.go opens and ends sessions.

package shim

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// The #CME ERROR codes of the Wavecom IP stack (dialects.md §2.5).
const (
	mtErrSyntax        = 34819
	mtErrBadValue      = 34882
	mtErrRunning       = 35840 // already connected
	mtErrNoLink        = 35867 // physical layer not active
	mtErrGPRSFailed    = 49155
	mtErrServiceActive = 37123 // a service runs: cannot set the parameter
	mtErrTCPOpen       = 38016
	mtErrDNS           = 38027
)

// The information messages, in the mixed case of the examples and the
// clients (the manual's table spells them OK_Info_; dialects.md §2.5).
const (
	mtWaitingForData = "Ok_Info_WaitingForData"
	mtSocketClosed   = "Ok_Info_SocketClosed"
	mtGprsActivation = "Ok_Info_GprsActivation"
)

// mtInfoCodes are the information messages' numbers under ATV0
// (S000333D p.42).
var mtInfoCodes = map[string]int{mtWaitingForData: 1028, mtSocketClosed: 3074, mtGprsActivation: 3086}

// mtInfo writes an information message: its text with ATV1, its number
// with ATV0, nothing with ATQ1, as a result code. The shim sends the
// number as V.250 sends numeric result codes, ended by CR alone; the
// manual does not show the bytes.
func (s *shimSession) mtInfo(msg string) {
	switch {
	case s.set.quiet:
	case !s.e.Verbose():
		s.raw([]byte(strconv.Itoa(mtInfoCodes[msg]) + "\r"))
	default:
		s.line(msg)
	}
}

// mtProfiles is the number of TCP parameter profiles (id 1 and 2).
const mtProfiles = 2

// mtAnyone is the #TCPSERV (and #UDPSERV) address that lets any client
// reach a listening socket.
const mtAnyone = "255.255.255.255"

// mtTCPProfile is one id's TCP parameters.
type mtTCPProfile struct {
	serv    string
	port    int
	dle     int
	txDelay int // ms
}

// mtState is a Multi-Tech host's parameters, GPRS session and socket:
// the Multi-Tech personality.
type mtState struct {
	s *shimSession

	gprsMode        int
	apn, user, pass string
	dns             [2]string
	tcp             [mtProfiles + 1]mtTCPProfile // by id; [0] unused
	udpServ         string
	udpPort         int
	udpTxDelay      int

	px   *modemsock.Context  // #CONNECTIONSTART's GPRS session
	lis  *modemsock.Listener // #LTCPSTART or #LUDPSTART, until a client comes
	lid  int                 // the listening profile (TCP)
	ludp bool                // lis is #LUDPSTART's
	// sess is the one TCP or UDP session: opening (#OTCP, #OUDP wait
	// for it) or in data mode.
	sess *mtData
}

// newMTState returns a host's state at power-on. DLEMODE's default is blank
// in S000333D; the shim takes 1, as OpenDMTP closes its sessions with
// ETX and waits for Ok_Info_SocketClosed, which only DLEMODE=1 gives.
func newMTState(s *shimSession) *mtState {
	t := &mtState{s: s, gprsMode: 1, dns: [2]string{"0.0.0.0", "0.0.0.0"}, udpTxDelay: 100}
	for id := 1; id <= mtProfiles; id++ {
		t.tcp[id] = mtTCPProfile{dle: 1, txDelay: 100}
	}
	t.px = s.socks.NewContext()
	return t
}

// mt returns the session's Multi-Tech state.
func (s *shimSession) mt() *mtState { return s.pers.(*mtState) }

func (t *mtState) identity() (string, string, string) {
	// OpenDMTP logs AT+GMM's "MULTIBAND  G850  1900".
	return "WAVECOM MODEM", "MULTIBAND  G850  1900", "640b"
}

func (t *mtState) start() {}

func (t *mtState) event(ev modemsock.Event) { t.s.mtEvent(ev) }

func (t *mtState) flushRecv() {}

func (t *mtState) shutdown() { t.s.mtStopAll() }

// control aborts a waiting #LTCPSTART at an ETX from the host, under
// DLEMODE=1, before any client came (S000333D p.31); the listener
// closes as with #LTCPSTOP, and OK says so, as it does for #LTCPSTOP.
// Other control characters are ignored, and so is an ETX otherwise
// (OpenDMTP's second and third ETX after a session).
func (t *mtState) control(c byte) {
	if c != etx || t.lis == nil || t.tcp[t.lid].dle != 1 {
		return
	}
	t.s.mtLTCPStop()
	t.s.result("OK")
}

// commands returns a new command table of the Multi-Tech personality:
// the V.250 and 27.007 basics and the #-commands of the IP stack.
func (*mtState) commands() map[string]shimHandler {
	t := m95BasicCommands()
	for _, name := range []string{"+QNITZ", "+QIURC", "+QSPN", "+QCCID", "+QSCLK"} {
		delete(t, name)
	}
	for name, h := range map[string]shimHandler{
		"+WOPEN":           shimAccept, // starts the Open-AT IP application
		"+CCED":            shimAccept, // OpenDMTP logs the cell diagnostics
		"#GPRSMODE":        mtIntParam(0, 1, func(t *mtState) *int { return &t.gprsMode }),
		"#APNSERV":         mtStrParam(func(t *mtState) *string { return &t.apn }),
		"#APNUN":           mtStrParam(func(t *mtState) *string { return &t.user }),
		"#APNPW":           mtStrParam(func(t *mtState) *string { return &t.pass }),
		"#GPRSCID":         shimAccept,
		"#DNSSERV1":        mtDNSParam(0),
		"#DNSSERV2":        mtDNSParam(1),
		"#VDNS":            (*shimSession).cmdMTVDNS,
		"#TCPSERV":         mtTCPParam("#TCPSERV", mtSetServ),
		"#TCPPORT":         mtTCPParam("#TCPPORT", mtSetPort),
		"#DLEMODE":         mtTCPParam("#DLEMODE", mtSetDLE),
		"#TCPTXDELAY":      mtTCPParam("#TCPTXDELAY", mtSetTxDelay),
		"#VTCP":            (*shimSession).cmdMTVTCP,
		"#VUDP":            (*shimSession).cmdMTVUDP,
		"#VGPRS":           (*shimSession).cmdMTVGPRS,
		"#VALL":            (*shimSession).cmdMTVALL,
		"#VSTATE":          (*shimSession).cmdMTVSTATE,
		"#UDPSERV":         mtStrParam(func(t *mtState) *string { return &t.udpServ }),
		"#UDPPORT":         mtIntParam(0, 65535, func(t *mtState) *int { return &t.udpPort }),
		"#UDPTXDELAY":      mtIntParam(0, 32760, func(t *mtState) *int { return &t.udpTxDelay }),
		"#CONNECTIONSTART": (*shimSession).cmdMTConnectionStart,
		"#CONNECTIONSTOP":  (*shimSession).cmdMTConnectionStop,
		"#DISPLAYIP":       (*shimSession).cmdMTDisplayIP,
		"#LTCPSTART":       (*shimSession).cmdMTLTCPStart,
		"#LTCPSTOP":        (*shimSession).cmdMTLTCPStop,
		"#LUDPSTART":       (*shimSession).cmdMTLUDPStart,
		"#LUDPSTOP":        (*shimSession).cmdMTLTCPStop,
		"#OTCP":            (*shimSession).cmdMTOTCP,
		"#OUDP":            (*shimSession).cmdMTOUDP,
	} {
		t[name] = h
	}
	return t
}

// mtFail answers a failed #-command with "#CME ERROR: <code>" under
// AT+CMEE=1 or 2 (the IP stack has no verbose texts), ERROR under
// AT+CMEE=0.
func (s *shimSession) mtFail(code int) error {
	text := "#CME ERROR: " + strconv.Itoa(code)
	switch {
	case s.set.cmee == 0:
		return at.Error
	case s.set.quiet:
	case !s.e.Verbose():
		s.raw([]byte(text + "\r"))
	default:
		s.line(text)
	}
	return errShimFinal
}

// running reports that a session or a listener is up: the parameters a
// service uses cannot change then.
func (t *mtState) running() bool { return t.sess != nil || t.lis != nil }

// mtIntParam is a number parameter without a profile id.
func mtIntParam(lo, hi int, field func(*mtState) *int) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		if c.Op != at.Set || len(c.args) != 1 {
			return s.mtFail(mtErrSyntax)
		}
		n, ok := c.intArg(0, lo, hi)
		if !ok {
			return s.mtFail(mtErrBadValue)
		}
		*field(s.mt()) = n
		return nil
	}
}

// mtStrParam is a string parameter without a profile id, quoted or
// not.
func mtStrParam(field func(*mtState) *string) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		if c.Op != at.Set || len(c.args) != 1 || len(c.args[0].val) > 120 {
			return s.mtFail(mtErrSyntax)
		}
		*field(s.mt()) = c.args[0].val
		return nil
	}
}

// mtDNSParam is #DNSSERV1 or #DNSSERV2: a dotted address, refused while
// a service runs (OpenDMTP expects 37123 then).
func mtDNSParam(k int) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		if c.Op != at.Set || len(c.args) != 1 {
			return s.mtFail(mtErrSyntax)
		}
		a, err := netip.ParseAddr(c.args[0].val)
		if err != nil || !a.Is4() {
			return s.mtFail(mtErrBadValue)
		}
		if s.mt().running() {
			return s.mtFail(mtErrServiceActive)
		}
		s.mt().dns[k] = a.String()
		return nil
	}
}

// mtTCPParam is a TCP parameter of a profile: =[id,]<value> sets it (no
// id is profile 1, as S000333B and OpenDMTP have it); AT#X? shows
// profile 1's. S000333D reads one with =id; the shim cannot tell that
// from the one-parameter set, so =<n> always sets (#VTCP=id reads).
func mtTCPParam(name string, set func(p *mtTCPProfile, a shimArg) bool) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		t := s.mt()
		if c.Op == at.Read {
			s.mtTCPLine(name, 1)
			return nil
		}
		if c.Op != at.Set || !c.argc(1, 2) {
			return s.mtFail(mtErrSyntax)
		}
		id := 1
		if len(c.args) == 2 {
			var ok bool
			if id, ok = c.intArg(0, 1, mtProfiles); !ok {
				return s.mtFail(mtErrBadValue)
			}
		}
		if t.running() {
			return s.mtFail(mtErrServiceActive)
		}
		if !set(&t.tcp[id], c.args[len(c.args)-1]) {
			return s.mtFail(mtErrBadValue)
		}
		return nil
	}
}

func mtSetServ(p *mtTCPProfile, a shimArg) bool {
	if a.val == "" || len(a.val) > 120 {
		return false
	}
	p.serv = a.val
	return true
}

func mtSetPort(p *mtTCPProfile, a shimArg) bool {
	n, ok := mtNumber(a, 0, 65535) // the examples quote it ("23")
	p.port = cmpOr(n, ok, p.port)
	return ok
}

func mtSetDLE(p *mtTCPProfile, a shimArg) bool {
	n, ok := mtNumber(a, 0, 1)
	p.dle = cmpOr(n, ok, p.dle)
	return ok
}

func mtSetTxDelay(p *mtTCPProfile, a shimArg) bool {
	n, ok := mtNumber(a, 0, 32760)
	if ok && n%20 != 0 {
		return false // multiples of 20 ms
	}
	p.txDelay = cmpOr(n, ok, p.txDelay)
	return ok
}

// cmpOr is n if ok, else old.
func cmpOr(n int, ok bool, old int) int {
	if ok {
		return n
	}
	return old
}

// mtNumber reads a number of 1 to 5 digits, quoted or not.
func mtNumber(a shimArg, lo, hi int) (int, bool) {
	if len(a.val) == 0 || len(a.val) > 5 || strings.Trim(a.val, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(a.val)
	return n, err == nil && n >= lo && n <= hi
}

// mtProfileArg returns the profile of =id, or 1 for the bare command.
func (s *shimSession) mtProfileArg(c *shimCmd) (int, bool) {
	switch c.Op {
	case at.Action:
		return 1, true
	case at.Set:
		id, ok := c.intArg(0, 1, mtProfiles)
		return id, ok && len(c.args) == 1
	}
	return 0, false
}

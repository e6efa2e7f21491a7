package shim

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/gprsppp/gprsppp/at"
)

// The view commands of the Multi-Tech personality: #VDNS, #VTCP, #VUDP,
// #VGPRS, #VALL and #VSTATE. S000333D names them without showing their
// lines; the shim writes each parameter as "<name>: <value>", strings
// quoted, as OpenDMTP's comment shows #VDNS, and #VSTATE as "#STATE:
// <state>" with the state words Wavecom's IP stack uses, which
// Multi-Tech's UIP library looks for ("CONNECTED", after "STATE:").

// AT#VDNS: the DNS servers, "0.0.0.0" ones as the network gave them.
func (s *shimSession) cmdMTVDNS(c *shimCmd) error {
	t := s.mt()
	var given []netip.Addr
	if n := t.px.Network(); n != nil {
		given = n.DNSServers()
	}
	for k, d := range t.dns {
		if d == "0.0.0.0" && k < len(given) {
			d = given[k].String()
		}
		s.line(fmt.Sprintf("#DNSSERV%d: %q", k+1, d))
	}
	return nil
}

// AT#VTCP[=id]: a profile's TCP parameters (profile 1 without id).
func (s *shimSession) cmdMTVTCP(c *shimCmd) error {
	id := 1
	if c.Op == at.Set {
		var ok bool
		if id, ok = c.intArg(0, 1, mtProfiles); !ok || len(c.args) != 1 {
			return s.mtFail(mtErrBadValue)
		}
	}
	for _, name := range []string{"#DLEMODE", "#TCPPORT", "#TCPSERV", "#TCPTXDELAY"} {
		s.mtTCPLine(name, id)
	}
	return nil
}

// mtTCPLine shows one TCP parameter of profile id. The text of the
// view commands is not in the sources; the shim writes "<name>: <value>"
// as #VDNS does.
func (s *shimSession) mtTCPLine(name string, id int) {
	p := s.mt().tcp[id]
	v := ""
	switch name {
	case "#DLEMODE":
		v = strconv.Itoa(p.dle)
	case "#TCPPORT":
		v = strconv.Itoa(p.port)
	case "#TCPSERV":
		v = strconv.Quote(p.serv)
	case "#TCPTXDELAY":
		v = strconv.Itoa(p.txDelay)
	}
	s.line(name + ": " + v)
}

// AT#VUDP: the UDP parameters.
func (s *shimSession) cmdMTVUDP(c *shimCmd) error {
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	s.mtUDPLines()
	return nil
}

func (s *shimSession) mtUDPLines() {
	t := s.mt()
	s.line("#UDPPORT: " + strconv.Itoa(t.udpPort))
	s.line("#UDPSERV: " + strconv.Quote(t.udpServ))
	s.line("#UDPTXDELAY: " + strconv.Itoa(t.udpTxDelay))
}

// AT#VGPRS: the GPRS parameters; the password is not shown.
func (s *shimSession) cmdMTVGPRS(c *shimCmd) error {
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	s.mtGPRSLines()
	return nil
}

func (s *shimSession) mtGPRSLines() {
	t := s.mt()
	s.line("#GPRSMODE: " + strconv.Itoa(t.gprsMode))
	s.line("#APNSERV: " + strconv.Quote(t.apn))
	s.line("#APNUN: " + strconv.Quote(t.user))
	s.line(`#APNPW: ""`)
}

// AT#VALL: every parameter: GPRS, DNS, both TCP profiles (each line
// with its id), UDP.
func (s *shimSession) cmdMTVALL(c *shimCmd) error {
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	s.mtGPRSLines()
	for k, d := range s.mt().dns {
		s.line(fmt.Sprintf("#DNSSERV%d: %q", k+1, d))
	}
	for id := 1; id <= mtProfiles; id++ {
		p := s.mt().tcp[id]
		s.line(fmt.Sprintf("#DLEMODE: %d,%d", id, p.dle))
		s.line(fmt.Sprintf("#TCPPORT: %d,%d", id, p.port))
		s.line(fmt.Sprintf("#TCPSERV: %d,%q", id, p.serv))
		s.line(fmt.Sprintf("#TCPTXDELAY: %d,%d", id, p.txDelay))
	}
	s.mtUDPLines()
	return nil
}

// AT#VSTATE: "#STATE: <state>" of the GPRS session: CONNECTED once
// #CONNECTIONSTART brought it up (a session or listener open or not),
// else IDLE; then OK.
func (s *shimSession) cmdMTVSTATE(c *shimCmd) error {
	if c.Op != at.Action {
		return s.mtFail(mtErrSyntax)
	}
	t := s.mt()
	state := "IDLE"
	if t.px.Network() != nil {
		state = "CONNECTED"
	}
	s.line("#STATE: " + state)
	return nil
}

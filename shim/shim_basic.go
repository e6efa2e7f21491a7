package shim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gprsppp/gprsppp/dialer"

	"github.com/gprsppp/gprsppp/at"
)

// shimHandler runs one command. It returns nil for OK (sent once the whole
// line has run), errShimFinal when it queued its own final answer (or
// prompt, or started something that answers later), or an error: a
// *at.CMEError is answered +CME ERROR under AT+CMEE=1/2, anything else ERROR.
type shimHandler func(s *shimSession, c *shimCmd) error

var (
	errShimFinal = errors.New("shim: final result sent")
	errShimParam = at.NewCMEError(3) // the M95 answers "operation not allowed"
	errShimState = at.NewCMEError(3)
)

// m95Commands returns a new command table of the M95 personality: the V.250
// and 27.007 basics below and the QI* commands of m95IPCommands. Each
// session builds its own, so that no table is shared or mutable across
// sessions.
func m95Commands() map[string]shimHandler {
	t := m95BasicCommands()
	for name, h := range m95IPCommands() {
		t[name] = h
	}
	return t
}

// m95BasicCommands are the V.250 and 27.007 commands of the personality.
func m95BasicCommands() map[string]shimHandler {
	return map[string]shimHandler{
		"E":      shimFlag(func(s *shimSettings) *bool { return &s.echo }),
		"V":      shimFlag(func(s *shimSettings) *bool { return &s.verbose }),
		"Q":      shimFlag(func(s *shimSettings) *bool { return &s.quiet }),
		"I":      (*shimSession).cmdATI,
		"Z":      (*shimSession).cmdATZ,
		"&F":     (*shimSession).cmdATZ,
		"&W":     (*shimSession).cmdATW,
		"&D":     (*shimSession).cmdATD,
		"&C":     shimAccept,
		"X":      shimAccept,
		"L":      shimAccept,
		"M":      shimAccept,
		"H":      shimAccept,
		"+IPR":   (*shimSession).cmdIPR,
		"+CMEE":  shimIntSetting("+CMEE", 0, 2, func(s *shimSession) *int { return &s.set.cmee }),
		"+QNITZ": shimIntSetting("+QNITZ", 0, 1, func(s *shimSession) *int { return &s.set.qnitz }),
		"+QIURC": shimIntSetting("+QIURC", 0, 1, func(s *shimSession) *int { return &s.set.qiurc }),
		"+CPIN":  (*shimSession).cmdCPIN,
		"+CREG":  shimRegQuery("+CREG"),
		"+CGREG": shimRegQuery("+CGREG"),
		"+CGATT": (*shimSession).cmdCGATT,
		"+CSQ":   (*shimSession).cmdCSQ,
		"+CGMI":  shimInfoLine(func(m ModemInfo) string { return m.Manufacturer }),
		"+GMI":   shimInfoLine(func(m ModemInfo) string { return m.Manufacturer }),
		"+CGMM":  shimInfoLine(func(m ModemInfo) string { return m.Model }),
		"+GMM":   shimInfoLine(func(m ModemInfo) string { return m.Model }),
		"+CGMR":  shimInfoLine(func(m ModemInfo) string { return "Revision: " + m.Revision }),
		"+GMR":   shimInfoLine(func(m ModemInfo) string { return "Revision: " + m.Revision }),
		"+CGSN":  shimInfoLine(func(m ModemInfo) string { return m.IMEI }),
		"+GSN":   shimInfoLine(func(m ModemInfo) string { return m.IMEI }),
		"+CIMI":  shimInfoLine(func(ModemInfo) string { return shimIMSI }),
		"+QCCID": shimInfoLine(func(ModemInfo) string { return shimICCID }),
		"+COPS":  (*shimSession).cmdCOPS,
		"+QSPN":  (*shimSession).cmdQSPN,
		"+CCLK":  (*shimSession).cmdCCLK,
		"+CFUN":  (*shimSession).cmdCFUN,
		// Accepted for the clients that send them and ignore the answer
		// (MC60: CGDCONT, CGACT; sleep and URC switches).
		"+CGDCONT": shimAccept,
		"+CGACT":   shimAccept,
		"+QSCLK":   shimAccept,
	}
}

// The Backend reports no SIM identities; the shim answers with the test
// network's (MCC 001, MNC 01) so that hosts that log them carry on.
const (
	shimIMSI  = "001010000000000"
	shimICCID = "89860000000000000000"
)

// errorResult answers a failed command: +CME ERROR as AT+CMEE says, or
// ERROR.
func (s *shimSession) errorResult(err error) {
	if cme, ok := shimCME(err); ok {
		s.e.Result(cme)
		return
	}
	s.e.Result(at.Error)
}

// applySettings gives the engine the settings it renders and edits
// with: ATE, ATV, ATQ, AT+CMEE, AT&D.
func (s *shimSession) applySettings() {
	s.e.SetEcho(s.set.echo)
	s.e.SetVerbose(s.set.verbose)
	s.e.SetQuiet(s.set.quiet)
	s.e.SetCMEE(s.set.cmee)
	s.e.SetDTRMode(s.set.dtr)
}

// shimCME finds the +CME ERROR in err: the shim's own, or one that the
// Backend passed on from the modem as the dialer's *dialer.CMEError.
func shimCME(err error) (*at.CMEError, bool) {
	var own *at.CMEError
	if errors.As(err, &own) {
		return own, true
	}
	var modem *dialer.CMEError
	if errors.As(err, &modem) {
		return (*at.CMEError)(modem), true
	}
	return nil, false
}

func shimAccept(*shimSession, *shimCmd) error { return nil }

// shimFlag is a basic on/off command such as ATE1.
func shimFlag(field func(*shimSettings) *bool) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		v, ok := c.basicValue()
		if !ok || v > 1 {
			return errShimParam
		}
		*field(&s.set) = v == 1
		return nil
	}
}

// shimIntSetting is an extended command holding an integer in [lo, hi]
// with the read form "+NAME: <n>" and test form "+NAME: (lo-hi)".
func shimIntSetting(name string, lo, hi int, field func(*shimSession) *int) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		switch c.Op {
		case at.Read:
			s.line(fmt.Sprintf("%s: %d", name, *field(s)))
		case at.Test:
			s.line(fmt.Sprintf("%s: (%d-%d)", name, lo, hi))
		case at.Set:
			v, ok := c.intArg(0, lo, hi)
			if !ok || len(c.args) != 1 {
				return errShimParam
			}
			*field(s) = v
		default:
			return errShimParam
		}
		return nil
	}
}

// info asks the backend for the modem's state with a short deadline.
func (s *shimSession) info() ModemInfo {
	ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
	defer cancel()
	m := s.cfg.Backend.Info(ctx)
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	manufacturer, model, revision := s.pers.identity()
	def(&m.Manufacturer, manufacturer)
	def(&m.Model, model)
	def(&m.Revision, revision)
	def(&m.IMEI, "860000000000000")
	return m
}

// shimInfoLine answers an identity query with one line.
func shimInfoLine(f func(ModemInfo) string) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		switch c.Op {
		case at.Action:
			s.line(f(s.info()))
		case at.Test:
		default:
			return errShimParam
		}
		return nil
	}
}

func (s *shimSession) cmdATI(c *shimCmd) error {
	m := s.info()
	s.line(m.Manufacturer + "_Ltd")
	s.line(m.Manufacturer + "_" + m.Model)
	s.line("Revision: " + m.Revision)
	return nil
}

func (s *shimSession) cmdATZ(c *shimCmd) error {
	if _, ok := c.basicValue(); !ok {
		return errShimParam
	}
	if c.Name == "&F" {
		s.set = shimFactory
	} else {
		s.set = s.saved
	}
	return nil
}

func (s *shimSession) cmdATW(c *shimCmd) error {
	s.saved = s.set
	return nil
}

func (s *shimSession) cmdATD(c *shimCmd) error {
	v, ok := c.basicValue()
	if !ok || v > 2 {
		return errShimParam
	}
	s.set.dtr = v
	return nil
}

func (s *shimSession) cmdSReg(c *shimCmd) error {
	if c.Op == at.Read {
		s.line("000")
	}
	return nil
}

// shimRate reports a rate AT+IPR takes (0 is autobauding).
func shimRate(v int) bool {
	switch v {
	case 0, 300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 28800, 38400, 57600, 115200:
		return true
	}
	return false
}

func (s *shimSession) cmdIPR(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		s.line("+IPR: " + strconv.Itoa(s.set.ipr))
	case at.Test:
		s.line("+IPR: (),(0,300,600,1200,2400,4800,9600,14400,19200,28800,38400,57600,115200)")
	case at.Set:
		v, err := strconv.Atoi(c.args[0].val)
		if err != nil || !shimRate(v) || len(c.args) != 1 {
			return errShimParam
		}
		s.set.ipr = v
	default:
		return errShimParam
	}
	return nil
}

func (s *shimSession) cmdCPIN(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		m := s.info()
		var cme *dialer.CMEError
		switch {
		case m.SIMReady:
			s.line("+CPIN: READY")
		case errors.Is(m.SIMError, dialer.ErrSIMPUK):
			s.line("+CPIN: SIM PUK")
		case errors.Is(m.SIMError, dialer.ErrSIMPIN):
			s.line("+CPIN: SIM PIN")
		case errors.As(m.SIMError, &cme):
			return (*at.CMEError)(cme)
		default:
			return at.NewCMEError(10) // SIM not inserted
		}
	case at.Test:
	default:
		return errShimParam // no PIN to enter: the SIM is ready or absent
	}
	return nil
}

// shimRegQuery answers +CREG?/+CGREG? with the modem's registration; the
// set form (URC on/off) is accepted and ignored.
func shimRegQuery(name string) shimHandler {
	return func(s *shimSession, c *shimCmd) error {
		switch c.Op {
		case at.Read:
			s.line(fmt.Sprintf("%s: 0,%d", name, s.registration()))
		case at.Test:
			s.line(name + ": (0-2)")
		case at.Set:
			if _, ok := c.intArg(0, 0, 2); !ok {
				return errShimParam
			}
		default:
			return errShimParam
		}
		return nil
	}
}

func (s *shimSession) cmdCGATT(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		r := s.registration()
		s.line("+CGATT: " + strconv.Itoa(shimBool(r == at.RegHome || r == at.RegRoaming)))
	case at.Test:
		s.line("+CGATT: (0,1)")
	case at.Set:
		if _, ok := c.intArg(0, 0, 1); !ok {
			return errShimParam
		}
	default:
		return errShimParam
	}
	return nil
}

func shimBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *shimSession) cmdCSQ(c *shimCmd) error {
	switch c.Op {
	case at.Action:
		m := s.info()
		s.line(fmt.Sprintf("+CSQ: %d,%d", m.RSSI, m.BER))
	case at.Test:
		s.line("+CSQ: (0-31,99),(0-7,99)")
	default:
		return errShimParam
	}
	return nil
}

func (s *shimSession) cmdCOPS(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		m := s.info()
		if m.Operator == "" {
			s.line("+COPS: 0")
		} else {
			s.line(fmt.Sprintf("+COPS: 0,0,%q", m.Operator))
		}
	case at.Set, at.Test:
	default:
		return errShimParam
	}
	return nil
}

func (s *shimSession) cmdQSPN(c *shimCmd) error {
	if c.Op != at.Read {
		return errShimParam
	}
	op := s.info().Operator
	s.line(fmt.Sprintf("+QSPN: %q,%q,\"\",0,\"\"", op, op))
	return nil
}

func (s *shimSession) cmdCCLK(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		s.line(s.cfg.Clock.Now().UTC().Format(`+CCLK: "06/01/02,15:04:05+00"`))
	case at.Set, at.Test:
	default:
		return errShimParam
	}
	return nil
}

func (s *shimSession) cmdCFUN(c *shimCmd) error {
	switch c.Op {
	case at.Read:
		s.line("+CFUN: 1")
	case at.Test:
		s.line("+CFUN: (0,1,4),(0,1)")
	case at.Set:
		if _, ok := c.intArg(0, 0, 4); !ok {
			return errShimParam
		}
	default:
		return errShimParam
	}
	return nil
}

// registration is the modem's registration <stat> as a GSM module
// reports it, 0 to 5: a modern modem's E-UTRAN states (3GPP TS 27.007
// §10.1.22) become the nearest of those, so that hosts written for the
// M95 see home or roaming where the modem is registered for data.
func (s *shimSession) registration() int {
	switch r := s.info().Registration; r {
	case 6, at.RegCSFBHome: // SMS only, or CSFB not preferred; home
		return at.RegHome
	case 7, at.RegCSFBRoaming: // the same, roaming
		return at.RegRoaming
	case 8: // emergency bearer services only
		return 0
	default:
		return r
	}
}

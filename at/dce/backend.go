package dce

import (
	"fmt"
	"strings"

	"github.com/gprsppp/gprsppp/at"
)

// Mobile termination error codes the engine reports (3GPP TS 27.007
// §9.2.1).
const (
	CMENotAllowed    = 3
	CMENoSIM         = 10
	CMEBadParameters = 50
)

// Backend is what the engine asks the embedding modem to answer the
// 27.007 basics. Its methods run on the engine's goroutine.
type Backend interface {
	// Identity is what I, +CGMI, +CGMM, +CGMR and +CGSN report.
	Identity() Identity
	// PINState is what AT+CPIN? reports (27.007 §8.3): "READY",
	// "SIM PIN", "SIM PUK", ...; or the error that answers it (no SIM:
	// +CME ERROR: 10).
	PINState() (string, error)
	// EnterPIN is AT+CPIN=<pin>[,<newpin>]: nil unlocks the SIM, an
	// error (wrong password: +CME ERROR: 16) answers the command.
	EnterPIN(pin, newPIN string) error
	// SignalQuality is what AT+CSQ reports (27.007 §8.5).
	SignalQuality() (rssi, ber int)
	// Registration is the state AT+CREG? ("+CREG"), AT+CGREG? and
	// AT+CEREG? report (27.007 §7.2, §10.1.20, §10.1.22); an error
	// answers the query instead.
	Registration(name string) (Registration, error)
}

// Identity is a modem's identification (3GPP TS 27.007 §5). Empty fields
// are not reported.
type Identity struct {
	Manufacturer string   // +CGMI
	Model        string   // +CGMM
	Revision     string   // +CGMR
	Serial       string   // +CGSN: the IMEI
	Info         []string // ATI, a line each
}

// Registration is one domain's registration state.
type Registration struct {
	// Stat is <stat>: 0 not registered, not searching; 1 home; 2
	// searching; 3 denied; 4 unknown; 5 roaming.
	Stat int
	// Area and Cell are <lac> (or <tac>) and <ci> in hexadecimal, shown
	// in mode 2 when not empty.
	Area, Cell string
	// AcT is <AcT> ("7": E-UTRAN), shown with the location when not
	// empty.
	AcT string
}

// noBackend is a modem without a SIM and without an identity.
type noBackend struct{}

func (noBackend) Identity() Identity                        { return Identity{} }
func (noBackend) PINState() (string, error)                 { return "", at.NewCMEError(CMENoSIM) }
func (noBackend) EnterPIN(string, string) error             { return at.NewCMEError(CMENoSIM) }
func (noBackend) SignalQuality() (int, int)                 { return 99, 99 }
func (noBackend) Registration(string) (Registration, error) { return Registration{}, nil }

// identity is an action command printing what field selects from the
// backend's Identity.
func identity(field func(Identity) []string) Handler {
	return Action(func(e *Engine, _ at.Command) error {
		for _, l := range field(e.be.Identity()) {
			if l != "" {
				e.Info(l)
			}
		}
		return nil
	}, "")
}

// cpin is AT+CPIN (3GPP TS 27.007 §8.3).
func cpin(e *Engine, c at.Command) error {
	switch c.Op {
	case at.Read:
		state, err := e.be.PINState()
		if err != nil {
			return err
		}
		e.Info("+CPIN: " + state)
	case at.Test:
	case at.Set:
		args := c.Args()
		newPIN := ""
		if len(args) > 1 {
			newPIN = at.Unquote(args[1])
		}
		return e.be.EnterPIN(at.Unquote(args[0]), newPIN)
	default:
		return at.Error
	}
	return nil
}

// signalQuality is AT+CSQ (3GPP TS 27.007 §8.5).
func signalQuality(e *Engine, _ at.Command) error {
	rssi, ber := e.be.SignalQuality()
	e.Info(fmt.Sprintf("+CSQ: %d,%d", rssi, ber))
	return nil
}

// registration is AT+CREG, AT+CGREG and AT+CEREG: the read command and
// the URC mode <n> (0 off, 1 <stat>, 2 with the location; +CEREG takes
// up to 5 but reports as 2).
func registration(e *Engine, c at.Command) error {
	hi := 2
	if c.Name == "+CEREG" {
		hi = 5
	}
	if c.Op != at.Read {
		return parameter(e, c, c.Name, hi, func() int { return e.regN[c.Name] }, func(n int) { e.regN[c.Name] = n })
	}
	r, err := e.be.Registration(c.Name)
	if err != nil {
		return err
	}
	n := e.regN[c.Name]
	e.Info(fmt.Sprintf("%s: %d,%s", c.Name, n, regText(r, n)))
	return nil
}

// regText formats <stat> and, in mode 2 and up, the location.
func regText(r Registration, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", r.Stat)
	if n >= 2 && r.Area != "" {
		fmt.Fprintf(&b, `,"%s","%s"`, r.Area, r.Cell)
		if r.AcT != "" {
			b.WriteString("," + r.AcT)
		}
	}
	return b.String()
}

// RegistrationChanged reports the state of name ("+CREG", "+CGREG" or
// "+CEREG") as an unsolicited result code, if its URC mode asks for one.
// The embedder calls it when the state changes.
func (e *Engine) RegistrationChanged(name string) {
	n := e.regN[name]
	if n == 0 {
		return
	}
	r, err := e.be.Registration(name)
	if err != nil {
		return
	}
	e.URC(fmt.Sprintf("%s: %s", name, regText(r, n)))
}

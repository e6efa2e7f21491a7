package attest

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/gprsppp/gprsppp/at"
	atdce "github.com/gprsppp/gprsppp/at/dce"
)

// commands returns the modem's command table, on top of the engine's
// basics; the commands in neither are answered OK.
func (m *Modem) commands() map[string]atdce.Handler {
	cmds := map[string]atdce.Handler{
		"E":      m.echo,
		"D":      m.dial,
		"H":      m.hangup,
		"+CPINR": m.triesLeft,
		"+QPINC": m.triesLeft,
		"^CPIN":  m.triesLeft,
	}
	if m.cfg.VerboseErrors {
		cmds["+CMEE"] = func(*atdce.Engine, at.Command) error { return nil }
	}
	if m.cfg.IgnoreDTR {
		cmds["&D"] = func(*atdce.Engine, at.Command) error { return nil }
	}
	return cmds
}

// echo is ATE, which IgnoreE0 keeps from turning echo off.
func (m *Modem) echo(e *atdce.Engine, c at.Command) error {
	switch c.Arg {
	case "", "0":
		if !m.cfg.IgnoreE0 {
			e.SetEcho(false)
		}
	case "1":
		e.SetEcho(true)
	default:
		return at.Error
	}
	return nil
}

// dial answers ATD with DialResult.
func (m *Modem) dial(e *atdce.Engine, _ at.Command) error {
	r := result(cmp.Or(m.cfg.DialResult, "CONNECT 115200"))
	if r.Code == at.Connect {
		e.GoOnline(dropData{m})
	}
	return r
}

// hangup answers ATH with HangupResult.
func (m *Modem) hangup(*atdce.Engine, at.Command) error {
	if r := result(cmp.Or(m.cfg.HangupResult, "OK")); r.Code != at.OK {
		return r
	}
	return nil
}

// result is the final result code a Config spells; ERROR if it is none.
func result(s string) at.Final {
	if r, ok := at.ParseResult(s); ok {
		return r
	}
	return at.Final{Code: at.Error}
}

// triesLeft answers the queries for the PIN attempts left: the one
// TriesQuery names, ERROR for the others.
func (m *Modem) triesLeft(e *atdce.Engine, c at.Command) error {
	if m.cfg.NoSIM {
		return at.NewCMEError(atdce.CMENoSIM)
	}
	if !strings.EqualFold("AT"+c.Name, m.cfg.TriesQuery) {
		return at.Error
	}
	code := "SIM PIN"
	switch {
	case m.blocked:
		code = "SIM PUK"
	case m.simReady:
		code = "READY"
	}
	switch c.Name {
	case "+CPINR":
		e.Info(fmt.Sprintf("+CPINR: SIM PIN,%d,3", m.pinLeft))
	case "+QPINC":
		e.Info(fmt.Sprintf(`+QPINC: "SC",%d,10`, m.pinLeft))
	default:
		e.Info(fmt.Sprintf("^CPIN: %s,%d,10,%d,10,3", code, m.pinLeft, m.pinLeft))
	}
	return nil
}

// backend answers the engine's 27.007 basics from the Modem's state; its
// methods run with the Modem's lock held.
type backend struct{ m *Modem }

// Identity is empty: the fake reports none.
func (backend) Identity() atdce.Identity { return atdce.Identity{} }

func (b backend) PINState() (string, error) {
	m := b.m
	switch {
	case m.cfg.NoSIM:
		return "", at.NewCMEError(atdce.CMENoSIM)
	case m.blocked:
		return "SIM PUK", nil
	case !m.simReady:
		return "SIM PIN", nil
	}
	return "READY", nil
}

func (b backend) EnterPIN(pin, _ string) error {
	m := b.m
	switch {
	case m.cfg.NoSIM:
		return at.NewCMEError(atdce.CMENoSIM)
	case m.blocked:
		return at.NewCMEError(12)
	case m.simReady:
		return at.NewCMEError(atdce.CMENotAllowed)
	case pin != m.cfg.PIN:
		m.pinLeft--
		m.blocked = m.pinLeft <= 0
		return at.NewCMEError(16)
	}
	m.simReady, m.readyAt = true, time.Now()
	return nil
}

func (backend) SignalQuality() (rssi, ber int) { return 20, 99 }

// Registration is what +CREG?, +CGREG? and +CEREG? report.
func (b backend) Registration(name string) (atdce.Registration, error) {
	m := b.m
	if name == "+CEREG" && m.cfg.No4G {
		return atdce.Registration{}, at.Error
	}
	if !m.simReady {
		return atdce.Registration{Stat: 0}, nil // not searching: no SIM ready
	}
	return atdce.Registration{Stat: m.regStat(name)}, nil
}

func (m *Modem) regStat(name string) int {
	if time.Since(m.readyAt) < m.cfg.RegisterAfter {
		return 2
	}
	switch m.cfg.Registration {
	case Roaming:
		return 5
	case Never:
		return 2
	case Denied:
		return 3
	case DeniedCS:
		if name == "+CREG" {
			return 3
		}
	case LTEOnly:
		if name == "+CEREG" {
			return 9
		}
		return 0
	}
	return 1
}

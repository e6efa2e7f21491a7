package attest

import (
	"cmp"
	"fmt"
	"strings"
	"time"
)

// cmeText is the 3GPP TS 27.007 §9.2 text of the codes the fake reports.
var cmeText = map[int]string{
	3:  "operation not allowed",
	10: "SIM not inserted",
	12: "SIM PUK required",
	16: "incorrect password",
}

// respond answers a command line (from "AT" on) and reports whether the
// answer is CONNECT. Commands it does not model are answered OK.
func (m *Modem) respond(cmd string) (lines []string, connect bool) {
	for _, p := range m.cfg.ErrorOn {
		if hasPrefixFold(cmd, p) {
			return []string{"ERROR"}, false
		}
	}
	body := cmd[2:]
	upper := strings.ToUpper(body)
	switch {
	case upper == "":
		return ok()
	case strings.HasPrefix(upper, "E0"), strings.HasPrefix(upper, "E1"):
		if !m.cfg.IgnoreE0 || upper[1] == '1' {
			m.echo = upper[1] == '1'
		}
		return ok()
	case strings.HasPrefix(upper, "+CMEE="):
		n := upper[len("+CMEE="):]
		if n != "0" && n != "1" && n != "2" {
			return []string{"ERROR"}, false
		}
		m.cmee = int(n[0] - '0')
		return ok()
	case strings.HasPrefix(upper, "+CPINR"), strings.HasPrefix(upper, "+QPINC"), strings.HasPrefix(upper, "^CPIN"):
		return m.triesLeft(upper), false
	case upper == "+CPIN?":
		return m.pinState(), false
	case strings.HasPrefix(upper, "+CPIN="):
		return m.enterPIN(strings.Trim(body[len("+CPIN="):], `"`)), false
	case upper == "+CREG?", upper == "+CGREG?", upper == "+CEREG?":
		return m.registration(upper[:len(upper)-1]), false
	case upper == "+CSQ":
		return []string{"+CSQ: 20,99", "OK"}, false
	case strings.HasPrefix(upper, "D"):
		return m.dial()
	case upper == "H", upper == "H0":
		return []string{cmp.Or(m.cfg.HangupResult, "OK")}, false
	}
	return ok()
}

func ok() ([]string, bool) { return []string{"OK"}, false }

// cme is a +CME ERROR in the format AT+CMEE asks for.
func (m *Modem) cme(code int) []string {
	switch {
	case m.cfg.VerboseErrors || m.cmee == 2:
		return []string{"+CME ERROR: " + cmeText[code]}
	case m.cmee == 1:
		return []string{fmt.Sprintf("+CME ERROR: %d", code)}
	}
	return []string{"ERROR"}
}

func (m *Modem) pinState() []string {
	switch {
	case m.cfg.NoSIM:
		return m.cme(10)
	case m.blocked:
		return []string{"+CPIN: SIM PUK", "OK"}
	case !m.simReady:
		return []string{"+CPIN: SIM PIN", "OK"}
	}
	return []string{"+CPIN: READY", "OK"}
}

func (m *Modem) enterPIN(pin string) []string {
	switch {
	case m.cfg.NoSIM:
		return m.cme(10)
	case m.blocked:
		return m.cme(12)
	case m.simReady:
		return m.cme(3)
	case pin != m.cfg.PIN:
		m.pinLeft--
		m.blocked = m.pinLeft <= 0
		return m.cme(16)
	}
	m.simReady, m.readyAt = true, time.Now()
	return []string{"OK"}
}

// triesLeft answers the queries for the PIN attempts left (body in upper
// case): the one TriesQuery names, ERROR for the others.
func (m *Modem) triesLeft(upper string) []string {
	query, _, _ := strings.Cut(upper, "=")
	query = "AT" + strings.TrimSuffix(query, "?")
	if m.cfg.NoSIM {
		return m.cme(10)
	}
	if !strings.EqualFold(query, m.cfg.TriesQuery) {
		return []string{"ERROR"}
	}
	code := "SIM PIN"
	switch {
	case m.blocked:
		code = "SIM PUK"
	case m.simReady:
		code = "READY"
	}
	var line string
	switch query {
	case "AT+CPINR":
		line = fmt.Sprintf("+CPINR: SIM PIN,%d,3", m.pinLeft)
	case "AT+QPINC":
		line = fmt.Sprintf(`+QPINC: "SC",%d,10`, m.pinLeft)
	default:
		line = fmt.Sprintf("^CPIN: %s,%d,10,%d,10,3", code, m.pinLeft, m.pinLeft)
	}
	return []string{line, "OK"}
}

// registration answers +CREG?, +CGREG? or +CEREG? (name without "?").
func (m *Modem) registration(name string) []string {
	if name == "+CEREG" && m.cfg.No4G {
		return []string{"ERROR"}
	}
	stat := 0 // not searching: no SIM ready
	if m.simReady {
		stat = m.regStat(name)
	}
	return []string{fmt.Sprintf("%s: 0,%d", name, stat), "OK"}
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
	}
	return 1
}

// dial answers ATD.
func (m *Modem) dial() ([]string, bool) {
	res := cmp.Or(m.cfg.DialResult, "CONNECT 115200")
	return []string{res}, strings.HasPrefix(res, "CONNECT")
}

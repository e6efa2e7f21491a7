package gprsppp

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/shim"
)

// errSIMBusy is how a module answers AT+CPIN? while its SIM starts up,
// and how the shim answers it while no dial has reached the SIM.
var errSIMBusy = &dialer.CMEError{Code: 14, Text: "SIM busy"}

// modemInfo fills m's radio state from what the dials found. With a link
// up, or between links when the last dial brought one up, it is what that
// dial read: the signal quality (99,99 if none was read) and the
// registration (registered at home if a custom script read none: the link
// shows the modem registered). Otherwise the modem is as a module without
// network: no signal; registration 2 (searching) while a dial runs, 3 if
// the last was denied, else 0; and the SIM as the last dial found it
// (busy, +CME ERROR: 14, if it never got that far). The operator is never
// known: the dial script does not ask. A link over a multiplexer
// (Config.CMUX) reports the modem as its AT channel last found it
// instead: signal, registration and operator (see liveInfo).
func (st dialState) modemInfo(m *shim.ModemInfo) {
	if st.link != nil && liveInfo(st.link, m) {
		return
	}
	c := st.lastUp
	switch {
	case st.link != nil:
		up := st.link.Modem()
		c = &up
	case st.err != nil, st.stopped:
		c = nil
	}
	if c != nil {
		m.SIMReady = true
		m.RSSI, m.BER = csq(c.Signal)
		m.Registration = 1
		if stat, ok := dialer.RegistrationStat(c.Registration); ok {
			m.Registration = stat
		}
		return
	}
	m.RSSI, m.BER = 99, 99
	m.SIMReady, m.SIMError = dialSIM(st.err)
	switch {
	case st.dialing:
		m.Registration = 2
	case errors.Is(st.err, dialer.ErrRegistrationDenied):
		m.Registration = 3
	default:
		m.Registration = 0
	}
}

// liveInfo fills m's radio state from what l's AT channel last read, if
// it has one and a poll has ended; it reports whether it did. An EPS
// registration without CS fallback (+CEREG stat 9, 10) is shown as home
// or roaming: the modules the shim imitates know no other.
func liveInfo(l *Link, m *shim.ModemInfo) bool {
	st, ok := l.ModemStatus()
	if !ok || st.Updated.IsZero() {
		return false
	}
	m.SIMReady = true
	m.RSSI, m.BER = csq(st.Signal)
	m.Registration = 1 // the link is up: registered, for all the shim knows
	if stat, ok := st.Registration(); ok {
		m.Registration = stat
	}
	switch m.Registration {
	case at.RegCSFBHome:
		m.Registration = at.RegHome
	case at.RegCSFBRoaming:
		m.Registration = at.RegRoaming
	}
	if c, err := dialer.ParseCOPS(st.Operator); err == nil {
		m.Operator = c.Name
	}
	return true
}

// csq parses "<rssi>,<ber>" as read from AT+CSQ; 99,99 (unknown) if it
// cannot.
func csq(signal string) (rssi, ber int) {
	r, b, _ := strings.Cut(signal, ",")
	rssi, err1 := strconv.Atoi(strings.TrimSpace(r))
	ber, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return 99, 99
	}
	return rssi, ber
}

// pastSIM are the steps of dialer.Dial's script that follow the SIM
// check: a dial failing in one of them found the SIM ready.
var pastSIM = map[string]bool{"register": true, "signal": true, "apn": true, "dial": true}

// dialSIM says what a dial that failed with err found of the SIM, as
// ModemInfo's SIMReady and SIMError: ready if it got past the SIM; not
// inserted, PUK or PIN if it failed on one of them, the modem's error if
// it failed with another; busy if it never got that far (or err is nil:
// no dial has ended).
func dialSIM(err error) (ready bool, simErr error) {
	var step *dialer.StepError
	var cme *dialer.CMEError
	switch {
	case errors.Is(err, dialer.ErrSIMPUK):
		return false, dialer.ErrSIMPUK
	case errors.Is(err, dialer.ErrSIMNotInserted):
		return false, &dialer.CMEError{Code: 10, Text: "SIM not inserted"}
	case errors.Is(err, ErrSIM): // no PIN configured, a wrong one, the last attempt
		return false, dialer.ErrSIMPIN
	case errors.As(err, &step) && step.Step == "pin" && errors.As(err, &cme): // 13 SIM failure, say
		return false, cme
	case errors.As(err, &step) && pastSIM[step.Step],
		errors.Is(err, ErrAuthFailed), errors.Is(err, ErrNegotiation), errors.Is(err, ErrLoopback): // PPP, after CONNECT
		return true, nil
	}
	return false, errSIMBusy
}

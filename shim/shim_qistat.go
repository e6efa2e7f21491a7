package shim

// shimQISTATNumeric is the numeric <state> of AT+QISTAT under ATV0. The
// M35 AT Commands Manual V1.0, §11.9 (the same QI* set as the M95): "If
// ATV was set to 0 by the command ATV0, the TCPIP stack gives the
// following numeric to indicate the former status", listing 0 "IP
// INITIAL" to 5 "IP STATUS". The numbers it gives the other states (TCP
// CONNECTING, UDP CONNECTING, IP CLOSE, CONNECT OK, PDP DEACT) are on a
// page of the manual that could not be checked, so the shim does not
// guess them: those states keep their text under ATV0.
func shimQISTATNumeric(state string) (string, bool) {
	switch state {
	case "IP INITIAL":
		return "0", true
	case "IP START":
		return "1", true
	case "IP CONFIG":
		return "2", true
	case "IP IND":
		return "3", true // not reported: the shim stays in IP CONFIG while activating
	case "IP GPRSACT":
		return "4", true
	case "IP STATUS":
		return "5", true
	}
	return "", false
}

// qistatState is the <state> of AT+QISTAT's "STATE: <state>" line: the
// state's text (§11.9), or under ATV0 its number where the manual gives
// one.
func (s *shimSession) qistatState(p *shimPDP) string {
	name := p.stateName()
	if n, ok := shimQISTATNumeric(name); ok && !s.set.verbose {
		return n
	}
	return name
}

package shim

import (
	"fmt"
	"strings"
	"testing"
)

// The SIM900 is the SIM800 with eight connections: 0 to 7 under
// AT+CIPMUX=1, eight C: lines, its own identity.
func TestSIM900EightConnections(t *testing.T) {
	r := newShimRig(t, func(c *Config) { c.Dialect = DialectSIM900 })
	r.expect("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n")
	r.init()
	r.cmd("ATI", "\r\nSIM900 R11.0\r\n\r\nOK\r\n")
	r.cmd("AT+GMM", "\r\nSIMCOM_SIM900\r\n\r\nOK\r\n")
	r.cmd("AT+CIPMUX=1", "\r\nOK\r\n")
	r.sim800Bearer()
	for id := range 8 {
		r.cmd(fmt.Sprintf(`AT+CIPSTART=%d,"TCP","10.0.0.1",7`, id), "\r\nOK\r\n")
		r.expect(fmt.Sprintf("\r\n%d, CONNECT OK\r\n", id))
	}
	r.cmd(`AT+CIPSTART=8,"TCP","10.0.0.1",7`, "\r\nERROR\r\n")
	var want strings.Builder
	want.WriteString("\r\nOK\r\n\r\nSTATE: IP PROCESSING\r\n")
	for id := range 8 {
		fmt.Fprintf(&want, "\r\nC: %d,0,\"TCP\",\"10.0.0.1\",\"7\",\"CONNECTED\"\r\n", id)
	}
	r.cmd("AT+CIPSTATUS", want.String())
	r.cmd("AT+CIPSEND=7,2", "\r\n> ")
	r.send("hi")
	r.expect("\r\n7, SEND OK\r\n")
	r.until("\r\n+RECEIVE,7,2:\r\nhi")
	r.cmd("AT+CIPSTART=?", "\r\n+CIPSTART: (0-7),(\"TCP\",\"UDP\"),(\"(0-255).(0-255).(0-255).(0-255)\"),(1-65535)\r\n\r\nOK\r\n")
	r.cmd("AT+CIPCLOSE=7", "\r\n7, CLOSE OK\r\n")
}

// Under ATV0 the final result codes are numbers (0 OK, 4 ERROR; SIM800
// manual §2.2.25) and information text has no leading CR LF; AT+CIPSTATUS
// keeps its <state> a string, as the manual defines it ("a string
// parameter"), and the CIP* texts (SHUT OK, CONNECT OK) stay text.
func TestSIM800Numeric(t *testing.T) {
	r := newSIM800Rig(t)
	runShimSteps(t, r, []shimStep{
		{"ATV0", "0\r"},
		{"AT+CIPSTATUS", "0\rSTATE: IP INITIAL\r\n"},
		{"AT+CIFSR", "4\r"},
		{`AT+CSTT="internet"`, "0\r"},
		{"AT+CIICR", "0\r"},
		{"AT+CIFSR", "10.0.0.2\r\n"},
		{`AT+CIPSTART="TCP","10.0.0.1",7`, "0\rCONNECT OK\r\n"},
		{"AT+CIPSTATUS", "0\rSTATE: CONNECT OK\r\n"},
		{"AT+CIPSHUT", "SHUT OK\r\n"},
		{"ATV1", "\r\nOK\r\n"},
	})
}

package shim_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
)

// malformedCase is a bad line and the dialect's answer to it; "" takes
// any answer (the line is noise).
type malformedCase struct{ name, line, want string }

// garbageLines are lines that are no command in any dialect.
func garbageLines(cmd string) []malformedCase {
	garbage := make([]byte, 0, 256)
	for i := range 256 {
		if b := byte(i); b != '\r' && b != '\n' {
			garbage = append(garbage, b)
		}
	}
	return []malformedCase{
		{"overlong line", "AT" + cmd + "=" + strings.Repeat("9", 4000), "ERROR"},
		{"overlong noise", strings.Repeat("x", 10000), ""},
		{"binary garbage", string(garbage), ""},
		{"binary after AT", "AT" + string(garbage), "ERROR"},
	}
}

// runMalformed sends each case's line, checks the answer and that the
// shim still answers AT.
func runMalformed(t *testing.T, h *host, cases []malformedCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer h.use(t)()
			h.cmd(tc.line)
			if tc.want != "" {
				if l := h.line(10 * time.Second); l != tc.want {
					t.Errorf("%.60q: got %q, want %q", tc.line, l, tc.want)
				}
			}
			h.sync(10 * time.Second)
		})
	}
}

// TestTelitMalformedInput: bad input to the Telit personality gets its errors
// (ERROR for what does not parse or is out of range, the IP stack's
// verbose CME texts for a wrong state) and leaves the shim working; the
// data of AT#SSENDEXT is any octets, and ESC abandons an AT#SSEND.
func TestTelitMalformedInput(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{dialect: shim.DialectTelit})
	h.at("ATE0", "ATE0", "OK")
	h.at("AT+CMEE=2", "OK")
	h.at(`AT+CGDCONT=1,IP,"internet"`, "OK")
	h.at("AT#SGACT=1,1", "#SGACT: "+st.clientAddr().String(), "OK")
	h.at(fmt.Sprintf("AT#SD=1,0,7,%v,0,0,1", gwAddr), "OK")
	runMalformed(t, h, append([]malformedCase{
		{"unknown command", "AT#NOSUCH", "ERROR"},
		{"dial connId 7", fmt.Sprintf("AT#SD=7,0,7,%v,0,0,1", gwAddr), "ERROR"},
		{"dial connId 0", fmt.Sprintf("AT#SD=0,0,7,%v,0,0,1", gwAddr), "ERROR"},
		{"dial port 70000", fmt.Sprintf("AT#SD=2,0,70000,%v,0,0,1", gwAddr), "ERROR"},
		{"dial protocol 2", fmt.Sprintf("AT#SD=2,2,7,%v,0,0,1", gwAddr), "ERROR"},
		{"dial a connected socket", fmt.Sprintf("AT#SD=1,0,7,%v,0,0,1", gwAddr), "+CME ERROR: wrong state"},
		{"send connId 9", "AT#SSENDEXT=9,3", "ERROR"},
		{"send 0 octets", "AT#SSENDEXT=1,0", "ERROR"},
		{"send a closed socket", "AT#SSENDEXT=2,3", "+CME ERROR: wrong state"},
		{"receive 0 octets", "AT#SRECV=1,0", "ERROR"},
		{"close connId 0", "AT#SH=0", "ERROR"},
		{"listen port 70000", "AT#SL=2,1,70000", "ERROR"},
		{"accept connId 9", "AT#SA=9", "ERROR"},
		{"status connId 7", "AT#SS=7", "ERROR"},
		{"firewall mask with a hole", `AT#FRWL=1,"10.0.0.0","255.0.255.0"`, "ERROR"},
		{"firewall address 300.1.1.1", `AT#FRWL=1,"300.1.1.1","255.0.0.0"`, "ERROR"},
		{"firewall action 3", `AT#FRWL=3,"10.0.0.0","255.0.0.0"`, "ERROR"},
		{"unterminated quote", `AT#SD=2,0,7,"10.64.64.1,0,0,1`, "ERROR"},
	}, garbageLines("#SSENDEXT")...))

	t.Run("any octets as data", func(t *testing.T) {
		defer h.use(t)()
		data := every256()
		h.cmd("AT#SSENDEXT=1,256")
		h.prompt(5 * time.Second)
		h.write(data)
		h.expect(10*time.Second, "OK")
		h.expect(10*time.Second, "SRING: 1")
		var got []byte
		for len(got) < len(data) {
			h.cmd("AT#SRECV=1,1500")
			l := h.line(10 * time.Second)
			n, err := strconv.Atoi(strings.TrimPrefix(l, "#SRECV: 1,"))
			if err != nil || n <= 0 {
				t.Fatalf("AT#SRECV=1,1500: %q", l)
			}
			h.crlf(5 * time.Second)
			got = append(got, h.readN(n, 5*time.Second)...)
			h.expect(5*time.Second, "OK")
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("echoed %q, want %q", got, data)
		}
	})
	t.Run("ESC abandons AT#SSEND", func(t *testing.T) {
		defer h.use(t)()
		h.cmd("AT#SSEND=1")
		h.prompt(5 * time.Second)
		h.write([]byte("never sent\x1b"))
		h.sync(10 * time.Second)
		h.at("AT#SI=1", "#SI: 1,256,256,0,0", "OK")
	})
	h.at("AT#SH=1", "OK")
	h.at("AT#SS=1", "#SS: 1,0", "OK")
}

// TestSIM800MalformedInput: bad input to the SIM800 personality gets ERROR
// (or the MUX spelling of its refusal) and leaves the shim working; the
// data of a fixed-length AT+CIPSEND is any octets, and ESC abandons a
// prompt-mode one.
func TestSIM800MalformedInput(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{dialect: shim.DialectSIM800})
	for _, l := range []string{"RDY", "+CFUN: 1", "+CPIN: READY", "Call Ready", "SMS Ready"} {
		h.expect(5*time.Second, l) // the boot banner
	}
	h.at("ATE0", "ATE0", "OK")
	h.at("AT+CIPMUX=1", "OK")
	h.at(`AT+CSTT="internet"`, "OK")
	h.at("AT+CIICR", "OK")
	h.at("AT+CIFSR", st.clientAddr().String())
	h.at(fmt.Sprintf(`AT+CIPSTART=0,"TCP","%v",7`, gwAddr), "OK", "0, CONNECT OK")
	runMalformed(t, h, append([]malformedCase{
		{"unknown command", "AT+CIPNOPE", "ERROR"},
		{"open connection 6", fmt.Sprintf(`AT+CIPSTART=6,"TCP","%v",7`, gwAddr), "ERROR"},
		{"open port 70000", fmt.Sprintf(`AT+CIPSTART=1,"TCP","%v",70000`, gwAddr), "ERROR"},
		{"open protocol SCTP", fmt.Sprintf(`AT+CIPSTART=1,"SCTP","%v",7`, gwAddr), "ERROR"},
		{"send connection 6", "AT+CIPSEND=6,5", "ERROR"},
		{"send a closed connection", "AT+CIPSEND=1,5", "ERROR"},
		{"send -1 octets", "AT+CIPSEND=0,-1", "ERROR"},
		{"read connection 7", "AT+CIPRXGET=2,7,10", "ERROR"},
		{"close connection 9", "AT+CIPCLOSE=9", "ERROR"},
		{"status connection 6", "AT+CIPSTATUS=6", "ERROR"},
		{"single mode while connected", "AT+CIPMUX=0", "ERROR"},
		{"unterminated quote", `AT+CIPSTART=1,"TCP,"10.64.64.1",7`, "ERROR"},
	}, garbageLines("+CIPSEND")...))

	t.Run("any octets as data", func(t *testing.T) {
		defer h.use(t)()
		data := every256()
		h.cmd("AT+CIPSEND=0,256")
		h.prompt(5 * time.Second)
		h.write(data)
		h.expect(10*time.Second, "0, SEND OK")
		var got []byte
		for len(got) < len(data) {
			l := h.line(10 * time.Second)
			var n int
			if _, err := fmt.Sscanf(l, "+RECEIVE,0,%d:", &n); err != nil || n <= 0 {
				t.Fatalf("got %q, want +RECEIVE,0,<n>:", l)
			}
			h.crlf(5 * time.Second)
			got = append(got, h.readN(n, 5*time.Second)...)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("echoed %q, want %q", got, data)
		}
	})
	t.Run("ESC abandons a prompt-mode send", func(t *testing.T) {
		defer h.use(t)()
		h.cmd("AT+CIPSEND=0")
		h.prompt(5 * time.Second)
		h.write([]byte("never sent\x1b"))
		h.sync(10 * time.Second)
		h.at("AT+CIPACK=0", "+CIPACK: 256,256,0", "OK")
	})
	h.at("AT+CIPCLOSE=0", "0, CLOSE OK")
	h.at("AT+CIPSHUT", "SHUT OK")
}

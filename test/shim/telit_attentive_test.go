package shim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// attentiveTelit is a Go model of cloudyourcar/attentive's Telit driver
// (src/modem/telit2.c, HEAD e2964ff) on its parser (src/parser.c): each
// at_command sends the line and a CR, then collects response lines until
// a final one ("OK", "ERROR", "NO CARRIER", "+CME ERROR:", "+CMS
// ERROR:"), dropping "OK" and URCs ("SRING: ", "RING"); the response is
// the other lines joined by "\n", empty for a plain OK. A command
// scanner may declare that raw data follows a line; the data prompt is
// the exact line "> ".
type attentiveTelit struct {
	t      *testing.T
	h      *host
	apn    string
	srings int
}

// command is at_command: the response, or false on a timeout.
func (a *attentiveTelit) command(line string, scanner func(string) int) string {
	a.t.Helper()
	a.h.cmd(line)
	var resp []string
	for {
		l := a.h.line(150 * time.Second)
		switch {
		case strings.HasPrefix(l, "SRING: ") || strings.HasPrefix(l, "RING"):
			a.srings++ // handle_urc prints it
			continue
		case l == "OK":
			return strings.Join(resp, "\n")
		case l == "ERROR" || l == "NO CARRIER" || strings.HasPrefix(l, "+CME ERROR:") || strings.HasPrefix(l, "+CMS ERROR:"):
			return strings.Join(append(resp, l), "\n")
		}
		if n := 0; scanner != nil {
			if n = scanner(l); n > 0 {
				a.h.crlf(10 * time.Second)
				l += "\n" + string(a.h.readN(n, 10*time.Second))
			}
		}
		resp = append(resp, l)
	}
}

// simple is at_command_simple: the response must be empty.
func (a *attentiveTelit) simple(line string) {
	a.t.Helper()
	if r := a.command(line, nil); r != "" {
		a.t.Fatalf("%s: response %q, want OK", line, r)
	}
}

// attach is telit2_attach.
func (a *attentiveTelit) attach() {
	a.t.Helper()
	a.command("AT", nil)
	a.command("ATE0", nil)
	for _, c := range []string{"AT&K0", "AT#SELINT=2", "AT+CMEE=2"} {
		a.simple(c)
	}
}

// pdpOpen is telit2_pdp_open.
func (a *attentiveTelit) pdpOpen() {
	a.t.Helper()
	a.simple(fmt.Sprintf(`AT+CGDCONT=1,IP,"%s"`, a.apn))
	r := a.command("AT#SGACT=1,1", nil)
	if r == "+CME ERROR: context already activated" {
		return
	}
	var ip [4]int
	if n, _ := fmt.Sscanf(r, "#SGACT: %d.%d.%d.%d", &ip[0], &ip[1], &ip[2], &ip[3]); n != 4 {
		a.t.Fatalf("AT#SGACT=1,1: %q", r)
	}
}

// connect is telit2_socket_connect, with cellular_command_simple_pdp's
// pdp request before AT#SD.
func (a *attentiveTelit) connect(connid int, host string, port int) {
	a.t.Helper()
	a.simple(fmt.Sprintf("AT#SCFGEXT=%d,0,0,0,0,0", connid))
	a.simple(fmt.Sprintf("AT#SCFGEXT2=%d,0,0,0,0,0", connid))
	a.pdpOpen()
	a.simple(fmt.Sprintf("AT#SD=%d,0,%d,%s,0,0,1", connid, port, host))
}

// send is telit2_socket_send: the prompt, then the raw data and OK.
func (a *attentiveTelit) send(connid int, data []byte) {
	a.t.Helper()
	a.h.cmd(fmt.Sprintf("AT#SSENDEXT=%d,%d", connid, len(data)))
	a.h.prompt(150 * time.Second)
	if !bytes.HasPrefix(a.h.seen.Bytes()[max(a.h.seen.Len()-2, 0):], []byte("> ")) {
		a.t.Fatalf("the prompt is not the exact line %q: %s", "> ", a.h.tail())
	}
	a.h.write(data)
	if l := a.h.line(150 * time.Second); l != "OK" {
		a.t.Fatalf("AT#SSENDEXT data: %q", l)
	}
}

// recv is telit2_socket_recv: AT#SRECV in chunks of up to 128 until
// length or "+CME ERROR: activation failed".
func (a *attentiveTelit) recv(connid, length int) []byte {
	a.t.Helper()
	var out []byte
	for len(out) < length {
		chunk := min(length-len(out), 128)
		scanner := func(l string) int {
			var n int
			if k, _ := fmt.Sscanf(l, "#SRECV: %d,%d", new(int), &n); k == 2 {
				return n
			}
			return 0
		}
		r := a.command(fmt.Sprintf("AT#SRECV=%d,%d", connid, chunk), scanner)
		if r == "+CME ERROR: activation failed" {
			break
		}
		head, data, ok := strings.Cut(r, "\n")
		var n int
		if k, _ := fmt.Sscanf(head, "#SRECV: %d,%d", new(int), &n); k != 2 || !ok {
			a.t.Fatalf("AT#SRECV: %q", r)
		}
		out = append(out, data[:n]...)
	}
	return out
}

// waitack is telit2_socket_waitack: AT#SI's ack_waiting until 0, AT#SS
// not 0, once a second for up to 60 s.
func (a *attentiveTelit) waitack(connid int) {
	a.t.Helper()
	for range 60 {
		var ack, state int
		r := a.command(fmt.Sprintf("AT#SI=%d", connid), nil)
		if n, _ := fmt.Sscanf(r, "#SI: %d,%d,%d,%d,%d", new(int), new(int), new(int), new(int), &ack); n != 5 {
			a.t.Fatalf("AT#SI: %q", r)
		}
		r = a.command(fmt.Sprintf("AT#SS=%d", connid), nil)
		if n, _ := fmt.Sscanf(r, "#SS: %d,%d", new(int), &state); n != 2 {
			a.t.Fatalf("AT#SS: %q", r)
		}
		if state == 0 {
			a.t.Fatal("waitack: the socket closed (ECONNRESET)")
		}
		if ack == 0 {
			return
		}
		<-time.After(time.Second) // sleep(1), as the driver does
	}
	a.t.Fatal("waitack: ETIMEDOUT")
}

// TestTelitAttentive runs attentive's telit2 dialogue against the shim
// and the simulator's echo service: attach, ICCID, the PDP context, a
// socket in command mode, sends of all 256 octet values, waitack, reads
// until the data is back, close and PDP close.
func TestTelitAttentive(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{dialect: shim.DialectTelit})
	a := &attentiveTelit{t: t, h: h, apn: "internet"}
	a.attach()
	var iccid string
	if n, _ := fmt.Sscanf(a.command("AT#CCID", nil), "#CCID: %s", &iccid); n != 1 {
		t.Fatal("AT#CCID")
	}
	a.pdpOpen()
	a.connect(1, gwAddr.String(), 7)
	want := append(sim.Pattern(1000), make([]byte, 256)...)
	for i := range 256 {
		want[1000+i] = byte(i)
	}
	for off := 0; off < len(want); off += 500 {
		a.send(1, want[off:min(off+500, len(want))])
	}
	a.waitack(1)
	var got []byte
	deadline := time.Now().Add(20 * time.Second)
	for len(got) < len(want) && time.Now().Before(deadline) {
		n := len(got)
		if got = append(got, a.recv(1, len(want)-len(got))...); len(got) == n {
			<-time.After(100 * time.Millisecond) // the caller's wait when recv returns 0
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("echoed %d octets, want %d (equal %v)", len(got), len(want), bytes.Equal(got, want[:min(len(got), len(want))]))
	}
	t.Logf("%d SRINGs (the driver only prints them)", a.srings)
	a.simple("AT#SH=1")
	a.simple("AT#SGACT=1,0")
}

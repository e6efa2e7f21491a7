package shim_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/sim"
)

// mbedM26 is mbed-os's QUECTEL_M26_CellularStack as far as the shim can
// tell: an ATHandler that reads whole lines, takes those of a response by
// prefix and hands URCs (+QIRDI:, "<n>, CLOSED") to callbacks whenever it
// reads; 1024-byte receives; AT+QISACK polled until nothing is
// unacknowledged before each send.
type mbedM26 struct {
	t       *testing.T
	h       *host
	pending [6]bool // +QIRDI seen
	closed  [6]bool // "<n>, CLOSED" seen
}

var mbedClosed = regexp.MustCompile(`^(\d), CLOSED$`)

// line reads the next line that is not a URC.
func (m *mbedM26) line(deadline time.Time) (string, bool) {
	for {
		l, ok := m.h.tryLine(deadline)
		if !ok {
			return "", false
		}
		if !m.urc(l) {
			return l, true
		}
	}
}

func (m *mbedM26) urc(l string) bool {
	if rest, ok := strings.CutPrefix(l, "+QIRDI:"); ok {
		f := strings.Split(strings.TrimSpace(rest), ",")
		if len(f) != 6 {
			m.t.Errorf("+QIRDI with QINDI=2 has %d fields, want 6: %q", len(f), l)
		}
		if id, err := strconv.Atoi(f[min(2, len(f)-1)]); err == nil && id >= 0 && id < 6 {
			m.pending[id] = true
		}
		return true
	}
	if sm := mbedClosed.FindStringSubmatch(l); sm != nil {
		id, _ := strconv.Atoi(sm[1])
		m.closed[id] = true
		return true
	}
	return false
}

// cmd sends AT<c> and returns the information lines before OK; ERROR
// fails the test.
func (m *mbedM26) cmd(c string, timeout time.Duration) []string {
	m.t.Helper()
	lines, final := m.try(c, timeout)
	if final != "OK" {
		m.t.Fatalf("AT%s: %q then %q: %s", c, lines, final, m.h.tail())
	}
	return lines
}

// try sends AT<c> and returns the information lines and the final result
// (OK, ERROR, +CME ERROR: n, or "" on timeout).
func (m *mbedM26) try(c string, timeout time.Duration) (lines []string, final string) {
	m.t.Helper()
	m.h.write([]byte("AT" + c + "\r"))
	deadline := time.Now().Add(timeout)
	for {
		l, ok := m.line(deadline)
		if !ok {
			return lines, ""
		}
		if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR") {
			return lines, l
		}
		lines = append(lines, l)
	}
}

// readInt is "AT<q>" answered "<prefix> <n>", as read_int after resp_start.
func (m *mbedM26) readInt(q, prefix string) int {
	m.t.Helper()
	for _, l := range m.cmd(q, 5*time.Second) {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err == nil {
				return n
			}
		}
	}
	m.t.Fatalf("AT%s: no %s line", q, prefix)
	return 0
}

// stackInit is socket_stack_init.
func (m *mbedM26) stackInit() {
	m.t.Helper()
	m.cmd("+QIFGCNT=0", 5*time.Second)
	if m.readInt("+QIMODE?", "+QIMODE:") != 0 {
		m.cmd("+QIMODE=0", 5*time.Second)
	}
	if m.readInt("+QIMUX?", "+QIMUX:") != 1 {
		m.cmd("+QIMUX=1", 5*time.Second)
	}
	if m.readInt("+QINDI?", "+QINDI:") != 2 {
		m.cmd("+QINDI=2", 5*time.Second)
	}
}

// open is create_socket_impl for TCP: OK, then "<id>, CONNECT OK".
func (m *mbedM26) open(id int, ip string, port int) {
	m.t.Helper()
	m.pending[id], m.closed[id] = false, false
	m.h.write([]byte(fmt.Sprintf("AT+QIOPEN=%d,\"TCP\",\"%s\",%d\r", id, ip, port)))
	deadline := time.Now().Add(75 * time.Second)
	for {
		l, ok := m.line(deadline)
		switch {
		case !ok:
			m.t.Fatalf("AT+QIOPEN=%d: no CONNECT OK: %s", id, m.h.tail())
		case l == "OK":
		case l == fmt.Sprintf("%d, CONNECT OK", id):
			return
		default:
			m.t.Fatalf("AT+QIOPEN=%d: %q", id, l)
		}
	}
}

// send is socket_sendto_impl: wait until QISACK reports nothing
// unacknowledged, then QISEND with the length.
func (m *mbedM26) send(id int, p []byte) {
	m.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var nacked = -1
		for _, l := range m.cmd(fmt.Sprintf("+QISACK=%d", id), 5*time.Second) {
			if rest, ok := strings.CutPrefix(l, "+QISACK:"); ok {
				f := strings.Split(rest, ",")
				nacked, _ = strconv.Atoi(strings.TrimSpace(f[len(f)-1]))
			}
		}
		if nacked == 0 {
			break
		}
		if nacked < 0 || time.Now().After(deadline) {
			m.t.Fatalf("AT+QISACK=%d: unacknowledged %d", id, nacked)
		}
		<-time.After(100 * time.Millisecond) // the driver's polling interval
	}
	m.h.write([]byte(fmt.Sprintf("AT+QISEND=%d,%d\r", id, len(p))))
	m.h.prompt(5 * time.Second)
	m.h.write(p)
	if l, _ := m.line(time.Now().Add(10 * time.Second)); l != "SEND OK" {
		m.t.Fatalf("AT+QISEND=%d,%d: %q, want SEND OK: %s", id, len(p), l, m.h.tail())
	}
}

// recv is socket_recvfrom_impl: AT+QIRD=0,1,<id>,1024; nil when there is
// nothing (a bare OK).
func (m *mbedM26) recv(id int) []byte {
	m.t.Helper()
	m.h.write([]byte(fmt.Sprintf("AT+QIRD=0,1,%d,1024\r", id)))
	deadline := time.Now().Add(10 * time.Second)
	l, ok := m.line(deadline)
	if !ok {
		m.t.Fatalf("AT+QIRD: no answer: %s", m.h.tail())
	}
	if l == "OK" {
		m.pending[id] = false
		return nil
	}
	rest, ok := strings.CutPrefix(l, "+QIRD:")
	if !ok {
		m.t.Fatalf("AT+QIRD: %q", l)
	}
	// ip:port,type,len
	f := strings.Split(strings.TrimSpace(rest), ",")
	n, err := strconv.Atoi(f[len(f)-1])
	if len(f) != 3 || !strings.Contains(f[0], ":") || err != nil || n <= 0 || n > 1024 {
		m.t.Fatalf("AT+QIRD: header %q", l)
	}
	m.h.crlf(5 * time.Second)
	data := m.h.readN(n, 5*time.Second)
	if l, _ := m.line(deadline); l != "OK" {
		m.t.Fatalf("AT+QIRD: %q after the data, want OK", l)
	}
	return data
}

// recvUntilClosed receives until the server has closed and nothing is left.
func (m *mbedM26) recvUntilClosed(id int, timeout time.Duration) []byte {
	m.t.Helper()
	var out []byte
	deadline := time.Now().Add(timeout)
	for {
		if d := m.recv(id); d != nil {
			out = append(out, d...)
			continue
		}
		if m.closed[id] {
			return out
		}
		// Wait for the socket callback: +QIRDI or CLOSED.
		for !m.pending[id] && !m.closed[id] {
			l, ok := m.h.tryLine(deadline)
			if !ok {
				m.t.Fatalf("no data or CLOSED within %v (%d bytes): %s", timeout, len(out), m.h.tail())
			}
			if !m.urc(l) {
				m.t.Fatalf("unexpected line %q", l)
			}
		}
	}
}

func TestMbedM26(t *testing.T) {
	st := newStack(t)
	m := &mbedM26{t: t, h: st.startShim(t, shimOptions{})}
	m.cmd("E0", 5*time.Second)
	m.cmd("+CMEE=1", 5*time.Second)
	m.cmd(`+CGDCONT=1,"IP","internet"`, 5*time.Second)
	m.stackInit()
	t.Run("echo", func(t *testing.T) {
		defer m.use(t)()
		m.open(0, gwAddr.String(), 7)
		msg := sim.Pattern(1460)
		m.send(0, msg)
		var got []byte
		deadline := time.Now().Add(20 * time.Second)
		for len(got) < len(msg) && time.Now().Before(deadline) {
			if d := m.recv(0); d != nil {
				got = append(got, d...)
				continue
			}
			for !m.pending[0] {
				l, ok := m.h.tryLine(deadline)
				if !ok || !m.urc(l) {
					t.Fatalf("waiting for +QIRDI: %q: %s", l, m.h.tail())
				}
			}
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("echo: %d bytes, differ", len(got))
		}
		m.close(0)
	})
	t.Run("http pattern.bin", func(t *testing.T) {
		defer m.use(t)()
		m.open(1, gwAddr.String(), 80)
		m.send(1, []byte("GET /pattern.bin HTTP/1.0\r\nHost: "+hostName+"\r\n\r\n"))
		checkPatternResponse(t, m.recvUntilClosed(1, 3*time.Minute), 4<<20)
		m.close(1)
	})
}

// close is socket_close_impl: AT+QICLOSE=<id>. The M26 answers the write
// form with "<id>, CLOSE OK" as its final result, which is taken as OK;
// the driver discards an error (a socket the server already closed).
func (m *mbedM26) close(id int) {
	m.t.Helper()
	m.h.write([]byte(fmt.Sprintf("AT+QICLOSE=%d\r", id)))
	want := fmt.Sprintf("%d, CLOSE OK", id)
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, ok := m.line(deadline)
		switch {
		case !ok:
			m.t.Fatalf("AT+QICLOSE=%d: no answer: %s", id, m.h.tail())
		case l == want || l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR"):
			return
		default:
			m.t.Fatalf("AT+QICLOSE=%d: %q", id, l)
		}
	}
}

// checkPatternResponse checks an HTTP response carrying sim.Pattern(size).
func checkPatternResponse(t *testing.T, resp []byte, size int) {
	t.Helper()
	head, body, ok := bytes.Cut(resp, []byte("\r\n\r\n"))
	if !ok || !bytes.HasPrefix(head, []byte("HTTP/1.")) || !bytes.Contains(head, []byte(" 200 ")) {
		t.Fatalf("response header %q", clip(resp))
	}
	if want := sha256.Sum256(sim.Pattern(size)); sha256.Sum256(body) != want {
		t.Fatalf("body: %d bytes, sha256 differs from sim.Pattern(%d)", len(body), size)
	}
}

func (m *mbedM26) use(t *testing.T) (restore func()) {
	prev, restoreHost := m.t, m.h.use(t)
	m.t = t
	return func() { m.t = prev; restoreHost() }
}

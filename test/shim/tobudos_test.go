package shim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/sim"
)

// tobudM26 is TobudOS's devices/m26/m26.c on its AT framework: commands
// end in CR LF; a command's answer counts as OK, ERROR or "expected" when
// a line says so; "+RECEIVE:" starts an event whose parser reads the raw
// stream: a byte, the id up to ',', a byte, the length up to CR, up to
// ':' (past "IPD<len>"), then the data.
type tobudM26 struct {
	t  *testing.T
	h  *host
	rx [6][]byte
}

// exec is tos_at_cmd_exec: it returns the lines received and whether OK,
// ERROR or expect was seen. With wait it keeps collecting for the whole
// timeout, as the driver's QIDNSGIP parsing needs.
func (c *tobudM26) exec(cmd string, timeout time.Duration, expect string, wait bool) (lines []string, status string) {
	c.t.Helper()
	c.h.write([]byte(cmd))
	deadline := time.Now().Add(timeout)
	for {
		l, ok := c.line(deadline)
		if !ok {
			return lines, status
		}
		lines = append(lines, l)
		switch {
		case expect != "" && strings.Contains(l, expect):
			status = "EXPECT"
		case l == "OK" && status == "":
			status = "OK"
		case l == "ERROR":
			status = "ERROR"
		}
		if status == "EXPECT" || status == "ERROR" || status == "OK" && expect == "" && !wait {
			return lines, status
		}
	}
}

// line returns the next line, or "+RECEIVE:" once that event has run.
func (c *tobudM26) line(deadline time.Time) (string, bool) {
	const event = "+RECEIVE:"
	for {
		c.h.buf = bytes.TrimLeft(c.h.buf, "\r\n")
		switch {
		case bytes.HasPrefix(c.h.buf, []byte(event)):
			c.h.buf = c.h.buf[len(event):]
			c.incoming(deadline)
			return event, true // the event ran; the caller looks again
		case len(c.h.buf) < len(event) && bytes.HasPrefix([]byte(event), c.h.buf) && !bytes.ContainsAny(c.h.buf, "\r\n"):
			if !c.h.fill(deadline) {
				return "", false
			}
			continue
		}
		return c.h.tryLine(deadline)
	}
}

// incoming is m26_incoming_data_process.
func (c *tobudM26) incoming(deadline time.Time) {
	c.t.Helper()
	next := func() byte {
		b, ok := c.h.byte(deadline)
		if !ok {
			c.t.Fatalf("+RECEIVE cut short: %s", c.h.tail())
		}
		return b
	}
	next() // the space
	id, n := 0, 0
	for b := next(); b != ','; b = next() {
		id = id*10 + int(b-'0')
	}
	next() // the space
	for b := next(); b != '\r'; b = next() {
		n = n*10 + int(b-'0')
	}
	for next() != ':' {
	}
	if id < 0 || id >= len(c.rx) {
		c.t.Fatalf("+RECEIVE for connection %d", id)
	}
	c.rx[id] = append(c.rx[id], c.h.readN(n, time.Until(deadline))...)
}

func (c *tobudM26) must(cmd string, timeout time.Duration, expect string) []string {
	c.t.Helper()
	lines, status := c.exec(cmd, timeout, expect, false)
	if status != "OK" && status != "EXPECT" {
		c.t.Fatalf("%q: status %q, lines %q: %s", cmd, status, lines, c.h.tail())
	}
	return lines
}

// init is m26_init with the multi-link build (QIMUX=1).
func (c *tobudM26) init() string {
	c.t.Helper()
	c.must("ATE0\r\n", 300*time.Millisecond, "")
	if l := c.must("AT+CPIN?\r\n", 2*time.Second, ""); !strings.Contains(strings.Join(l, "\n"), "READY") {
		c.t.Fatalf("AT+CPIN?: %q", l)
	}
	for _, q := range []struct{ cmd, prefix string }{{"AT+CSQ\r\n", "+CSQ:%d,%d"}, {"AT+CREG?\r\n", "+CREG:%d,%d"}, {"AT+CGREG?\r\n", "+CGREG:%d,%d"}} {
		var a, b int
		lines := c.must(q.cmd, time.Second, "")
		joined := strings.Join(lines, "\n")
		i := strings.Index(joined, q.prefix[:strings.Index(q.prefix, ":")+1])
		if i < 0 {
			c.t.Fatalf("%q: %q", q.cmd, lines)
		}
		if _, err := fmt.Sscanf(strings.ReplaceAll(joined[i:], " ", ""), q.prefix, &a, &b); err != nil {
			c.t.Fatalf("%q: sscanf %q: %v", q.cmd, joined[i:], err)
		}
		if q.cmd == "AT+CSQ\r\n" && a == 99 || q.cmd != "AT+CSQ\r\n" && b != 1 {
			c.t.Fatalf("%q: %d,%d", q.cmd, a, b)
		}
	}
	lines, _ := c.exec("AT+QIDEACT\r\n", 3*time.Second, "DEACT OK", false)
	if !strings.Contains(strings.Join(lines, "\n"), "DEACT OK") {
		c.t.Fatalf("AT+QIDEACT: %q", lines)
	}
	c.must("AT+QIMUX=1\r\n", 300*time.Millisecond, "")
	c.must("AT+QIMODE=0\r\n", 300*time.Millisecond, "")
	c.must("AT+QINDI=0\r\n", 300*time.Millisecond, "")
	c.must("AT+QICSGP=1,\"CMNET\"\r\n", 300*time.Millisecond, "")
	c.must("AT+QIFGCNT=0\r\n", 300*time.Millisecond, "")
	c.must("AT+QIREGAPP\r\n", 300*time.Millisecond, "")
	c.must("AT+QIACT\r\n", 3*time.Second, "")
	lines, _ = c.exec("AT+QILOCIP\r\n", 300*time.Millisecond, "", true)
	return strings.Join(lines, "\n")
}

// connect is m26_connect: QIHEAD=1, then QIOPEN expecting CONNECT OK.
func (c *tobudM26) connect(id int, ip string, port int) {
	c.t.Helper()
	c.must("AT+QIHEAD=1\r\n", 2*time.Second, "")
	c.rx[id] = nil
	c.must(fmt.Sprintf("AT+QIOPEN=%d,\"TCP\",\"%s\",%d\r\n", id, ip, port), 4*time.Second, "CONNECT OK")
}

// send is m26_send.
func (c *tobudM26) send(id int, p []byte) {
	c.t.Helper()
	c.h.write([]byte(fmt.Sprintf("AT+QISEND=%d,%d\r\n", id, len(p))))
	c.h.prompt(time.Second)
	c.h.write(p)
	if _, status := c.exec("", time.Second, "SEND OK", false); status != "EXPECT" {
		c.t.Fatalf("AT+QISEND=%d,%d: no SEND OK within 1 s: %s", id, len(p), c.h.tail())
	}
}

// close is m26_close: "+++" and half a second, then AT+QICLOSE.
func (c *tobudM26) close(id int) {
	c.t.Helper()
	c.h.write([]byte("+++"))
	c.exec("", 500*time.Millisecond, "\x00never", true)
	lines, _ := c.exec(fmt.Sprintf("AT+QICLOSE=%d\r\n", id), time.Second, "CLOSE OK", false)
	if !strings.Contains(strings.Join(lines, "\n"), "CLOSE OK") {
		c.t.Errorf("+++ then AT+QICLOSE=%d: %q", id, lines)
	}
}

// receive runs the event loop until n bytes arrived on id, or until the
// line "<id>, CLOSED" if n < 0.
func (c *tobudM26) receive(id, n int, timeout time.Duration) []byte {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	closed := fmt.Sprintf("%d, CLOSED", id)
	for n < 0 || len(c.rx[id]) < n {
		l, ok := c.line(deadline)
		if !ok {
			if n >= 0 && len(c.rx[id]) >= n {
				break
			}
			c.t.Fatalf("received %d bytes in %v: %s", len(c.rx[id]), timeout, c.h.tail())
		}
		if l == closed && n < 0 {
			break
		}
	}
	return c.rx[id]
}

func TestTobudOSM26(t *testing.T) {
	st := newStack(t)
	c := &tobudM26{t: t, h: st.startShim(t, shimOptions{})}
	if ip := c.init(); !strings.Contains(ip, st.clientAddr().String()) {
		t.Fatalf("AT+QILOCIP: %q", ip)
	}
	t.Run("parse domain", func(t *testing.T) {
		defer c.use(t)()
		lines, status := c.exec("AT+QIDNSGIP=\""+hostName+"\"\r\n", 2*time.Second, "", true)
		joined := strings.Join(lines, "\r\n")
		i := strings.Index(joined, "OK")
		var a, b, cc, d int
		if status != "OK" || i < 0 {
			t.Fatalf("AT+QIDNSGIP: %q", lines)
		}
		if _, err := fmt.Sscanf(joined[i+len("OK\r\n"):], "%d.%d.%d.%d", &a, &b, &cc, &d); err != nil {
			t.Fatalf("AT+QIDNSGIP: %q: %v", lines, err)
		}
		if got := fmt.Sprintf("%d.%d.%d.%d", a, b, cc, d); got != gwAddr.String() {
			t.Fatalf("resolved %s, want %v", got, gwAddr)
		}
	})
	t.Run("echo", func(t *testing.T) {
		defer c.use(t)()
		c.connect(0, gwAddr.String(), 7)
		msg := []byte("TobudOS M26 over the shim")
		c.send(0, msg)
		if got := c.receive(0, len(msg), 10*time.Second); !bytes.Equal(got, msg) {
			t.Fatalf("got %q", got)
		}
		big := sim.Pattern(1460)
		c.send(0, big)
		if got := c.receive(0, len(msg)+len(big), 10*time.Second); !bytes.Equal(got[len(msg):], big) {
			t.Fatal("echo of 1460 pattern bytes differs")
		}
		c.close(0)
	})
	t.Run("http pattern.bin", func(t *testing.T) {
		defer c.use(t)()
		c.connect(1, gwAddr.String(), 80)
		c.send(1, []byte("GET /pattern.bin HTTP/1.0\r\nHost: "+hostName+"\r\n\r\n"))
		checkPatternResponse(t, c.receive(1, -1, 2*time.Minute), 4<<20)
		c.exec("AT+QICLOSE=1\r\n", time.Second, "", false)
	})
}

func (c *tobudM26) use(t *testing.T) (restore func()) {
	prev, restoreHost := c.t, c.h.use(t)
	c.t = t
	return func() { c.t = prev; restoreHost() }
}

package shim_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bg96 is a host of the BG96 dialect that reads whole lines, as RT-Thread's
// ec20 driver, Zephyr's bg9x driver and mbed's BG96 stack do: +QIURC lines
// are taken as URCs wherever they come, and a push-mode "recv" URC is
// followed by exactly <len> octets of data after its CRLF (RT-Thread's
// urc_recv_func reads exactly that many). Echo is off (ATE0) and errors
// are plain (AT+CMEE=0) unless a test says otherwise.
type bg96 struct {
	t *testing.T
	h *host
	// pending[id] is set by +QIURC: "recv",<id> (buffer mode) and
	// cleared by a test that drains the socket.
	pending map[int]bool
	// recvURCs counts the buffer-mode "recv" URCs per socket.
	recvURCs map[int]int
	// pushed[id] is the data of +QIURC: "recv",<id>,<len> so far, and
	// pushes[id] the <len> of each.
	pushed map[int][]byte
	pushes map[int][]int
	// closed[id] is set by +QIURC: "closed",<id>.
	closed map[int]bool
	// incoming are the +QIURC: "incoming" lines' fields, in order.
	incoming [][]string
	// pdpdeact are the contexts of +QIURC: "pdpdeact".
	pdpdeact []int
	// urcs are all URC lines, in order, for failure messages and order
	// checks.
	urcs []string
}

func newBG96(t *testing.T, h *host) *bg96 {
	return &bg96{t: t, h: h, pending: map[int]bool{}, recvURCs: map[int]int{},
		pushed: map[int][]byte{}, pushes: map[int][]int{}, closed: map[int]bool{}}
}

// urc takes line l if it is a +QIURC, reading a push-mode payload.
func (b *bg96) urc(l string) bool {
	if l == "RDY" || l == "APP RDY" {
		b.urcs = append(b.urcs, l) // the boot banner (dialects.md §0.8)
		return true
	}
	rest, ok := strings.CutPrefix(l, "+QIURC: ")
	if !ok {
		return false
	}
	b.urcs = append(b.urcs, l)
	f := strings.Split(rest, ",")
	switch f[0] {
	case `"recv"`:
		id, err := strconv.Atoi(f[min(1, len(f)-1)])
		if len(f) < 2 || err != nil {
			b.t.Fatalf("bad recv URC %q", l)
		}
		if len(f) == 2 {
			b.pending[id] = true
			b.recvURCs[id]++
			return true
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n <= 0 || n > 1500 {
			b.t.Fatalf("recv URC %q: bad <len>", l)
		}
		b.h.crlf(5 * time.Second)
		b.pushed[id] = append(b.pushed[id], b.h.readN(n, 10*time.Second)...)
		b.pushes[id] = append(b.pushes[id], n)
	case `"closed"`:
		id, err := strconv.Atoi(f[min(1, len(f)-1)])
		if len(f) != 2 || err != nil {
			b.t.Fatalf("bad closed URC %q", l)
		}
		b.closed[id] = true
	case `"incoming"`:
		b.incoming = append(b.incoming, f[1:])
	case `"pdpdeact"`:
		ctx, err := strconv.Atoi(f[min(1, len(f)-1)])
		if len(f) != 2 || err != nil {
			b.t.Fatalf("bad pdpdeact URC %q", l)
		}
		b.pdpdeact = append(b.pdpdeact, ctx)
	}
	return true
}

// line returns the next line that is not a URC.
func (b *bg96) line(deadline time.Time) (string, bool) {
	for {
		l, ok := b.h.tryLine(deadline)
		if !ok {
			return "", false
		}
		if !b.urc(l) {
			return l, true
		}
	}
}

// mustLine is line that fails the test on a timeout.
func (b *bg96) mustLine(what string, timeout time.Duration) string {
	b.t.Helper()
	l, ok := b.line(time.Now().Add(timeout))
	if !ok {
		b.t.Fatalf("%s: no line within %v: %s", what, timeout, b.h.tail())
	}
	return l
}

// at sends c and expects exactly the lines want (URCs aside).
func (b *bg96) at(c string, want ...string) {
	b.t.Helper()
	b.h.cmd(c)
	for i, w := range want {
		got := b.mustLine(c, 15*time.Second)
		if i == 0 && got == c && w != c {
			got = b.mustLine(c, 15*time.Second) // the echo, before ATE0
		}
		if got != w {
			b.t.Fatalf("%s: got %q, want %q: %s", c, got, w, b.h.tail())
		}
	}
}

// query sends c and returns the lines before OK; anything else final
// fails the test.
func (b *bg96) query(c string) []string {
	b.t.Helper()
	lines, final := b.try(c)
	if final != "OK" {
		b.t.Fatalf("%s: %q then %q, want OK: %s", c, lines, final, b.h.tail())
	}
	return lines
}

// try sends c and returns the information lines and the final result.
func (b *bg96) try(c string) (lines []string, final string) {
	b.t.Helper()
	b.h.cmd(c)
	deadline := time.Now().Add(15 * time.Second)
	for {
		l, ok := b.line(deadline)
		if !ok {
			b.t.Fatalf("%s: no final result: %s", c, b.h.tail())
		}
		if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR:") {
			return lines, l
		}
		lines = append(lines, l)
	}
}

var qiopenURC = regexp.MustCompile(`^\+QIOPEN: (\d+),(\d+)$`)

// open sends AT+QIOPEN=1,<id>,... and returns the <err> of its
// +QIOPEN: <id>,<err> after OK.
func (b *bg96) open(id int, typ, host string, rport, lport, mode int) int {
	b.t.Helper()
	c := fmt.Sprintf(`AT+QIOPEN=1,%d,"%s","%s",%d,%d,%d`, id, typ, host, rport, lport, mode)
	b.at(c, "OK")
	l := b.mustLine(c+" URC", 20*time.Second)
	m := qiopenURC.FindStringSubmatch(l)
	if m == nil || m[1] != strconv.Itoa(id) {
		b.t.Fatalf("%s: got %q, want +QIOPEN: %d,<err>: %s", c, l, id, b.h.tail())
	}
	err, _ := strconv.Atoi(m[2])
	return err
}

// mustOpen is open that requires <err> 0.
func (b *bg96) mustOpen(id int, typ, host string, rport, lport, mode int) {
	b.t.Helper()
	if err := b.open(id, typ, host, rport, lport, mode); err != 0 {
		b.t.Fatalf("AT+QIOPEN=1,%d,%q,%q,%d,%d,%d: +QIOPEN: %d,%d, want 0", id, typ, host, rport, lport, mode, id, err)
	}
}

// prompt waits for "> " after a send command, taking URCs before it.
func (b *bg96) prompt(timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b.h.buf = trimCRLF(b.h.buf)
		if len(b.h.buf) >= 2 && b.h.buf[0] == '>' {
			if b.h.buf[1] != ' ' {
				b.t.Fatalf("prompt %q, want \"> \"", b.h.buf[:2])
			}
			b.h.buf = b.h.buf[2:]
			return
		}
		if len(b.h.buf) > 0 && b.h.buf[0] != '>' {
			if i := strings.IndexAny(string(b.h.buf), "\r\n"); i >= 0 {
				l := string(b.h.buf[:i])
				b.h.buf = b.h.buf[i:]
				if !b.urc(l) {
					b.t.Fatalf("got %q, want the > prompt: %s", l, b.h.tail())
				}
				continue
			}
		}
		if !b.h.fill(deadline) {
			b.t.Fatalf("no > prompt within %v: %s", timeout, b.h.tail())
		}
	}
}

func trimCRLF(p []byte) []byte {
	for len(p) > 0 && (p[0] == '\r' || p[0] == '\n') {
		p = p[1:]
	}
	return p
}

// send is AT+QISEND=<id>,<len>, the prompt, the data and SEND OK.
func (b *bg96) send(id int, p []byte) {
	b.t.Helper()
	b.h.cmd(fmt.Sprintf("AT+QISEND=%d,%d", id, len(p)))
	b.prompt(5 * time.Second)
	b.h.write(p)
	if l := b.mustLine("AT+QISEND data", 10*time.Second); l != "SEND OK" {
		b.t.Fatalf("AT+QISEND=%d,%d: %q, want SEND OK: %s", id, len(p), l, b.h.tail())
	}
}

// read is AT+QIRD=<id>,<max>: "+QIRD: <n>", CRLF, exactly n octets, then
// OK.
func (b *bg96) read(id, max int) []byte {
	b.t.Helper()
	c := fmt.Sprintf("AT+QIRD=%d,%d", id, max)
	b.h.cmd(c)
	l := b.mustLine(c, 10*time.Second)
	rest, ok := strings.CutPrefix(l, "+QIRD: ")
	n, err := strconv.Atoi(rest)
	if !ok || err != nil || n < 0 || n > max {
		b.t.Fatalf("%s: got %q, want +QIRD: <n> with n <= %d: %s", c, l, max, b.h.tail())
	}
	var data []byte
	if n > 0 {
		b.h.crlf(5 * time.Second)
		data = b.h.readN(n, 10*time.Second)
	}
	if l := b.mustLine(c+" end", 10*time.Second); l != "OK" {
		b.t.Fatalf("%s: %q after the data, want OK: %s", c, l, b.h.tail())
	}
	return data
}

// counts is AT+QIRD=<id>,0: total received, read, unread.
func (b *bg96) counts(id int) (total, read, unread int) {
	b.t.Helper()
	c := fmt.Sprintf("AT+QIRD=%d,0", id)
	lines := b.query(c)
	if len(lines) != 1 {
		b.t.Fatalf("%s: %q, want one +QIRD line", c, lines)
	}
	if _, err := fmt.Sscanf(lines[0], "+QIRD: %d,%d,%d", &total, &read, &unread); err != nil ||
		lines[0] != fmt.Sprintf("+QIRD: %d,%d,%d", total, read, unread) {
		b.t.Fatalf("%s: %q, want +QIRD: <total>,<read>,<unread>", c, lines[0])
	}
	return total, read, unread
}

// waitUnread polls AT+QIRD=<id>,0 until <unread> is n.
func (b *bg96) waitUnread(id, n int, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		_, _, u := b.counts(id)
		if u == n {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("socket %d: unread %d after %v, want %d", id, u, timeout, n)
		}
		b.h.idle(20 * time.Millisecond)
	}
}

// readAll reads with AT+QIRD until n octets came, waiting for "recv"
// URCs when the socket is drained.
func (b *bg96) readAll(id, n int, timeout time.Duration) []byte {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	var out []byte
	for len(out) < n {
		b.pending[id] = false
		d := b.read(id, 1500)
		out = append(out, d...)
		if len(d) > 0 || len(out) >= n {
			continue
		}
		for !b.pending[id] {
			l, ok := b.h.tryLine(deadline)
			if !ok {
				b.t.Fatalf("socket %d: %d of %d octets, then no recv URC within %v: %s", id, len(out), n, timeout, b.h.tail())
			}
			if !b.urc(l) {
				b.t.Fatalf("socket %d: unexpected line %q", id, l)
			}
		}
	}
	return out
}

// waitURC reads lines until cond holds, every line being a URC.
func (b *bg96) waitURC(what string, timeout time.Duration, cond func() bool) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		l, ok := b.h.tryLine(deadline)
		if !ok {
			b.t.Fatalf("no %s within %v (URCs %q): %s", what, timeout, b.urcs, b.h.tail())
		}
		if !b.urc(l) {
			b.t.Fatalf("waiting for %s: unexpected line %q", what, l)
		}
	}
}

// state is AT+QISTATE=1,<id>: the fields of its +QISTATE line (nil when
// the module lists none).
func (b *bg96) state(id int) []string {
	b.t.Helper()
	c := fmt.Sprintf("AT+QISTATE=1,%d", id)
	lines := b.query(c)
	switch len(lines) {
	case 0:
		return nil
	case 1:
	default:
		b.t.Fatalf("%s: %q, want at most one line", c, lines)
	}
	rest, ok := strings.CutPrefix(lines[0], "+QISTATE: ")
	f := strings.Split(rest, ",")
	if !ok || len(f) != 10 {
		b.t.Fatalf("%s: %q, want +QISTATE: and 10 fields", c, lines[0])
	}
	return f
}

// use makes the host report to t until the returned function restores
// the previous test.
func (b *bg96) use(t *testing.T) (restore func()) {
	prev, restoreHost := b.t, b.h.use(t)
	b.t = t
	return func() { b.t = prev; restoreHost() }
}

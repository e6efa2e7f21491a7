package shim_test

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"
)

// host is the DTE end of the shim's serial line, driven by one test
// goroutine. A reader goroutine moves what the shim writes into a channel;
// every wait has a deadline.
type host struct {
	t    *testing.T
	conn io.ReadWriteCloser
	in   chan []byte
	quit chan struct{}
	wg   sync.WaitGroup
	buf  []byte // received, not yet consumed
	eof  bool
	seen bytes.Buffer // the last few KB received, for failure messages
}

func newHost(t *testing.T, conn io.ReadWriteCloser) *host {
	h := &host{t: t, conn: conn, in: make(chan []byte, 64), quit: make(chan struct{})}
	h.wg.Add(1)
	go h.routineRead()
	return h
}

func (h *host) routineRead() {
	defer h.wg.Done()
	defer close(h.in)
	for {
		b := make([]byte, 4096)
		n, err := h.conn.Read(b)
		if n > 0 {
			select {
			case h.in <- b[:n]:
			case <-h.quit:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// close closes the line and waits for the reader.
func (h *host) close() {
	close(h.quit)
	h.conn.Close()
	h.wg.Wait()
}

// write sends raw bytes to the shim.
func (h *host) write(p []byte) {
	h.t.Helper()
	if _, err := h.conn.Write(p); err != nil {
		h.t.Fatalf("host write %q: %v", clip(p), err)
	}
}

// cmd sends a command line terminated by CR, as a terminal does.
func (h *host) cmd(line string) { h.t.Helper(); h.write([]byte(line + "\r")) }

// fill waits until more bytes arrive; false on deadline or end of line.
func (h *host) fill(deadline time.Time) bool {
	if h.eof {
		return false
	}
	d := time.Until(deadline)
	if d <= 0 {
		return false
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case b, ok := <-h.in:
		if !ok {
			h.eof = true
			return false
		}
		h.got(b)
		return true
	case <-timer.C:
		return false
	}
}

// ready reports whether received bytes are waiting, without waiting
// (Arduino's Stream::available() > 0).
func (h *host) ready() bool {
	for len(h.buf) == 0 {
		select {
		case b, ok := <-h.in:
			if !ok {
				h.eof = true
				return false
			}
			h.got(b)
		default:
			return false
		}
	}
	return true
}

// got takes bytes the reader received.
func (h *host) got(b []byte) {
	h.buf = append(h.buf, b...)
	h.seen.Write(b)
	if h.seen.Len() > 8<<10 {
		rest := append([]byte(nil), h.seen.Bytes()[h.seen.Len()-4<<10:]...)
		h.seen.Reset()
		h.seen.Write(rest)
	}
}

// byte returns the next received byte.
func (h *host) byte(deadline time.Time) (byte, bool) {
	for len(h.buf) == 0 {
		if !h.fill(deadline) {
			return 0, false
		}
	}
	c := h.buf[0]
	h.buf = h.buf[1:]
	return c, true
}

// readN returns the next n bytes exactly.
func (h *host) readN(n int, timeout time.Duration) []byte {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for len(h.buf) < n {
		if !h.fill(deadline) {
			h.t.Fatalf("wanted %d raw bytes, got %d before %v: %s", n, len(h.buf), timeout, h.tail())
		}
	}
	out := append([]byte(nil), h.buf[:n]...)
	h.buf = h.buf[n:]
	return out
}

// line returns the next non-empty line, without its terminator.
func (h *host) line(timeout time.Duration) string {
	h.t.Helper()
	l, ok := h.tryLine(time.Now().Add(timeout))
	if !ok {
		h.t.Fatalf("no line within %v: %s", timeout, h.tail())
	}
	return l
}

func (h *host) tryLine(deadline time.Time) (string, bool) {
	for {
		h.buf = bytes.TrimLeft(h.buf, "\r\n")
		if i := bytes.IndexAny(h.buf, "\r\n"); i >= 0 {
			l := string(h.buf[:i])
			h.buf = h.buf[i:]
			return l, true
		}
		if !h.fill(deadline) {
			return "", false
		}
	}
}

// expect reads lines until want, failing on any other line.
func (h *host) expect(timeout time.Duration, want string) {
	h.t.Helper()
	if got := h.line(timeout); got != want {
		h.t.Fatalf("got line %q, want %q: %s", got, want, h.tail())
	}
}

// prompt waits for the "> " data prompt (the space is optional).
func (h *host) prompt(timeout time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h.buf = bytes.TrimLeft(h.buf, "\r\n")
		if len(h.buf) > 0 {
			if h.buf[0] != '>' {
				h.t.Fatalf("want the > prompt: %s", h.tail())
			}
			h.buf = h.buf[1:]
			if len(h.buf) > 0 && h.buf[0] == ' ' {
				h.buf = h.buf[1:]
			}
			return
		}
		if !h.fill(deadline) {
			h.t.Fatalf("no > prompt within %v: %s", timeout, h.tail())
		}
	}
}

// drain discards what arrives until the line is silent for d.
func (h *host) drain(d time.Duration) {
	h.buf = nil
	for h.fill(time.Now().Add(d)) {
		h.buf = nil
	}
}

// sync checks that the shim answers AT with OK, after whatever came
// before it.
func (h *host) sync(timeout time.Duration) {
	h.t.Helper()
	h.drain(200 * time.Millisecond)
	h.cmd("AT")
	deadline := time.Now().Add(timeout)
	for {
		l, ok := h.tryLine(deadline)
		if !ok {
			h.t.Fatalf("AT got no OK within %v: %s", timeout, h.tail())
		}
		if l == "OK" {
			return
		}
	}
}

// tail describes the recent input for a failure message.
func (h *host) tail() string {
	return fmt.Sprintf("unconsumed %q; recent input %q", clip(h.buf), clipTail(h.seen.Bytes()))
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

func clipTail(b []byte) string {
	if len(b) > 600 {
		return "..." + string(b[len(b)-600:])
	}
	return string(b)
}

// crlf consumes exactly the "\r\n" that ends a header line before raw data.
func (h *host) crlf(timeout time.Duration) {
	h.t.Helper()
	if got := h.readN(2, timeout); string(got) != "\r\n" {
		h.t.Fatalf("want CRLF before the data, got %q: %s", got, h.tail())
	}
}

// at sends a command and expects exactly the lines want, after the echo
// of the command if echo is on.
func (h *host) at(cmd string, want ...string) {
	h.t.Helper()
	h.cmd(cmd)
	for i, w := range want {
		got := h.line(15 * time.Second)
		if i == 0 && got == cmd && w != cmd {
			got = h.line(15 * time.Second)
		}
		if got != w {
			h.t.Fatalf("%s: got %q, want %q: %s", cmd, got, w, h.tail())
		}
	}
}

// use makes the host report to t (a subtest) until the returned function
// restores the previous test.
func (h *host) use(t *testing.T) (restore func()) {
	prev := h.t
	h.t = t
	return func() { h.t = prev }
}

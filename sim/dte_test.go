package sim

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// stepTimeout bounds each wait of a test on the modem.
const stepTimeout = 10 * time.Second

// dte is the terminal end of a line to a simulated modem, as a test drives
// it: the AT dialogue by hand, then a PPP client on the same stream. A
// goroutine reads the line into buf; whoever owns the line (the AT side or
// the PPP client's port) takes from it, so no byte after CONNECT is lost.
type dte struct {
	t    testing.TB
	line io.ReadWriteCloser

	// wmu serialises the PPP client's writes with changes of owner, so
	// that none is in flight once the AT side owns the line.
	wmu sync.Mutex

	mu         sync.Mutex
	buf        []byte        // received, not yet taken
	transcript []byte        // everything received
	err        error         // the line's read error
	changed    chan struct{} // closed and replaced when any of the above change
	ppp        bool          // the PPP client owns the line
}

func newDTE(t testing.TB, line io.ReadWriteCloser) *dte {
	d := &dte{t: t, line: line, changed: make(chan struct{})}
	go d.routineRead()
	return d
}

func (d *dte) routineRead() {
	buf := make([]byte, 4096)
	for {
		n, err := d.line.Read(buf)
		d.mu.Lock()
		d.buf = append(d.buf, buf[:n]...)
		d.transcript = append(d.transcript, buf[:n]...)
		d.err = err
		d.notify()
		d.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// notify wakes everyone waiting for a change; d.mu is held.
func (d *dte) notify() {
	close(d.changed)
	d.changed = make(chan struct{})
}

// take returns up to n bytes for the AT side (ppp false) or the PPP
// client (ppp true), waiting until that side owns the line and bytes are
// there, or until stop closes or deadline passes.
func (d *dte) take(ppp bool, n int, stop <-chan struct{}, deadline <-chan time.Time) ([]byte, error) {
	for {
		d.mu.Lock()
		if d.ppp == ppp && len(d.buf) > 0 {
			k := min(n, len(d.buf))
			b := append([]byte(nil), d.buf[:k]...)
			d.buf = d.buf[k:]
			d.mu.Unlock()
			return b, nil
		}
		if d.err != nil {
			d.mu.Unlock()
			return nil, d.err
		}
		changed := d.changed
		d.mu.Unlock()
		select {
		case <-changed:
		case <-stop:
			return nil, io.EOF
		case <-deadline:
			return nil, errors.New("timed out")
		}
	}
}

// own gives the line to the PPP client (true) or the AT side (false).
// While the AT side owns the line, the client's writes are discarded, as
// a dialer in command mode sends no PPP.
func (d *dte) own(ppp bool) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.mu.Lock()
	d.ppp = ppp
	d.notify()
	d.mu.Unlock()
}

// drain discards what the AT side has not read yet.
func (d *dte) drain() {
	d.mu.Lock()
	d.buf = nil
	d.mu.Unlock()
}

func (d *dte) send(s string) {
	d.t.Helper()
	if _, err := io.WriteString(d.line, s); err != nil {
		d.t.Fatalf("send %q: %v", s, err)
	}
}

// expect reads exactly len(want) bytes and compares them with want.
func (d *dte) expect(want string) {
	d.t.Helper()
	deadline := time.After(stepTimeout)
	var got []byte
	for len(got) < len(want) {
		b, err := d.take(false, len(want)-len(got), nil, deadline)
		if err != nil {
			d.t.Fatalf("read %q so far, want %q: %v", got, want, err)
		}
		got = append(got, b...)
	}
	if string(got) != want {
		d.t.Fatalf("modem sent %q, want %q", got, want)
	}
}

// readLine returns the next non-empty line ended by CR or LF.
func (d *dte) readLine(deadline <-chan time.Time) (string, error) {
	var l []byte
	for {
		b, err := d.take(false, 1, nil, deadline)
		if err != nil {
			return string(l), err
		}
		switch b[0] {
		case '\r', '\n':
			if len(l) > 0 {
				return string(l), nil
			}
		default:
			l = append(l, b[0])
		}
	}
}

// isFinal reports whether l is a final result code.
func isFinal(l string) bool {
	switch l {
	case "OK", "ERROR", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE":
		return true
	}
	return strings.HasPrefix(l, "CONNECT") || strings.HasPrefix(l, "+CME ERROR")
}

// command sends cmd and returns the information text lines and the final
// result code, skipping the echo and lines of junk (PPP frames).
func (d *dte) command(cmd string) (info []string, final string) {
	d.t.Helper()
	d.send(cmd + "\r")
	deadline := time.After(stepTimeout)
	for {
		l, err := d.readLine(deadline)
		if err != nil {
			d.t.Fatalf("%s: read %q: %v", cmd, l, err)
		}
		switch {
		case isFinal(l):
			if strings.HasPrefix(l, "CONNECT") {
				d.endOfConnect()
			}
			return info, l
		case l == cmd, strings.ContainsRune(l, 0x7e):
		default:
			info = append(info, l)
		}
	}
}

// endOfConnect consumes the LF ending the CONNECT line, if it is there.
func (d *dte) endOfConnect() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.buf) > 0 && d.buf[0] == '\n' {
		d.buf = d.buf[1:]
	}
}

// mustCommand runs cmd and fails unless the modem answers want.
func (d *dte) mustCommand(cmd, want string) []string {
	d.t.Helper()
	info, final := d.command(cmd)
	if final != want {
		d.t.Fatalf("%s: modem answered %q (info %q), want %q", cmd, final, info, want)
	}
	return info
}

// waitTranscript waits until the modem has sent s.
func (d *dte) waitTranscript(s string) {
	d.t.Helper()
	deadline := time.After(stepTimeout)
	for {
		d.mu.Lock()
		ok := strings.Contains(string(d.transcript), s)
		changed, err := d.changed, d.err
		d.mu.Unlock()
		if ok {
			return
		}
		if err != nil {
			d.t.Fatalf("waiting for %q: %v", s, err)
		}
		select {
		case <-changed:
		case <-deadline:
			d.t.Fatalf("modem never sent %q", s)
		}
	}
}

// barrier makes sure the modem has passed on everything the client sent
// so far: it sends an LCP Echo-Request through the call and waits for the
// network side's Echo-Reply (RFC 1661 §5.8).
func (d *dte) barrier(id byte) {
	d.t.Helper()
	d.mu.Lock()
	from := len(d.transcript)
	d.mu.Unlock()
	enc := ppp.Encoder{ACCM: 0xffffffff}
	d.send(string(enc.AppendFrame(nil, ppp.ProtocolLCP, []byte{9, id, 0, 8, 0, 0, 0, 0})))
	deadline := time.After(stepTimeout)
	for {
		d.mu.Lock()
		var dec ppp.Decoder
		found := false
		dec.Decode(d.transcript[from:], func(f []byte) {
			proto, info, err := ppp.ParseFrame(f)
			found = found || err == nil && proto == ppp.ProtocolLCP && len(info) > 1 && info[0] == 10 && info[1] == id
		})
		changed := d.changed
		d.mu.Unlock()
		if found {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			d.t.Fatal("no LCP Echo-Reply from the network side")
		}
	}
}

// port returns the line as the PPP client sees it once it owns the line.
// Closing it ends the client's use of the line, which stays open.
func (d *dte) port() io.ReadWriteCloser {
	return &dtePort{d: d, gone: make(chan struct{})}
}

type dtePort struct {
	d    *dte
	gone chan struct{}
	once sync.Once
}

func (p *dtePort) Read(b []byte) (int, error) {
	got, err := p.d.take(true, len(b), p.gone, nil)
	return copy(b, got), err
}

func (p *dtePort) Write(b []byte) (int, error) {
	p.d.wmu.Lock()
	defer p.d.wmu.Unlock()
	select {
	case <-p.gone:
		return 0, io.ErrClosedPipe
	default:
	}
	p.d.mu.Lock()
	owner := p.d.ppp
	p.d.mu.Unlock()
	if !owner {
		return len(b), nil
	}
	return p.d.line.Write(b)
}

func (p *dtePort) Close() error {
	p.once.Do(func() { close(p.gone) })
	return nil
}

// startModem runs a modem with cfg on one end of a pipe and returns the
// other end. The modem is stopped at the end of the test, and must then
// return the context's error.
func startModem(t *testing.T, cfg ModemConfig) *dte {
	t.Helper()
	a, b := ppptest.Pipe()
	return serveModem(t, cfg, a, b)
}

// serveModem runs a modem with cfg on line and returns a dte on the
// other end, dteEnd.
func serveModem(t *testing.T, cfg ModemConfig, dteEnd, line io.ReadWriteCloser) *dte {
	t.Helper()
	a, b := dteEnd, line
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- NewModem(cfg).Serve(ctx, b) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Serve returned %v, want context.Canceled", err)
			}
		case <-time.After(stepTimeout):
			t.Errorf("Serve did not return")
		}
		a.Close()
	})
	return newDTE(t, a)
}

// armedClock is a manual clock that reports each timer set on it, so a
// test knows when the code under test is waiting for time to pass.
type armedClock struct {
	*clock.Manual
	armed chan time.Duration
}

func newArmedClock() *armedClock {
	return &armedClock{Manual: clock.NewManual(time.Unix(1e9, 0)), armed: make(chan time.Duration, 1024)}
}

func (c *armedClock) AfterFunc(d time.Duration, f func()) clock.Timer {
	t := c.Manual.AfterFunc(d, f)
	c.armed <- d
	return t
}

// waitArmed waits until a timer is set and returns its duration.
func (c *armedClock) waitArmed(t testing.TB) time.Duration {
	t.Helper()
	select {
	case d := <-c.armed:
		return d
	case <-time.After(stepTimeout):
		t.Fatal("no timer was set")
		return 0
	}
}

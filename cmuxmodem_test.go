package gprsppp_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/cmux"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

// sharedLine is one end of a line that outlives the ports opened on it,
// as a serial line outlives the programs that open and close its device:
// each Open returns a port whose Close ends that port alone. Bytes are
// handed to the open port only when it reads them. Mute drops
// everything written on this end, as a modem (or a line) gone silent.
type sharedLine struct {
	conn  net.Conn
	in    chan []byte // read from conn, in chunks
	muted atomic.Bool

	mu   sync.Mutex
	rest []byte // a chunk a port took but did not read in full
}

func newSharedLine(c net.Conn) *sharedLine {
	s := &sharedLine{conn: c, in: make(chan []byte)}
	go func() {
		defer close(s.in)
		for {
			b := make([]byte, 4096)
			n, err := c.Read(b)
			if n > 0 {
				s.in <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// Open returns a new port on the line.
func (s *sharedLine) Open() *sharedPort {
	return &sharedPort{s: s, closed: make(chan struct{}), changed: make(chan struct{})}
}

// sharedPort is a device.Port on a sharedLine.
type sharedPort struct {
	s      *sharedLine
	closed chan struct{}
	once   sync.Once

	mu       sync.Mutex
	deadline time.Time
	changed  chan struct{}
}

var _ device.Port = (*sharedPort)(nil)

func (p *sharedPort) Read(b []byte) (int, error) {
	for {
		p.s.mu.Lock()
		if len(p.s.rest) > 0 {
			n := copy(b, p.s.rest)
			p.s.rest = p.s.rest[n:]
			p.s.mu.Unlock()
			return n, nil
		}
		p.s.mu.Unlock()
		p.mu.Lock()
		deadline, changed := p.deadline, p.changed
		p.mu.Unlock()
		var timeout <-chan time.Time
		if !deadline.IsZero() {
			d := time.Until(deadline)
			if d <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case c, ok := <-p.s.in:
			if !ok {
				return 0, io.EOF
			}
			if p.s.muted.Load() {
				continue
			}
			p.s.mu.Lock()
			p.s.rest = c
			p.s.mu.Unlock()
		case <-p.closed:
			return 0, net.ErrClosed
		case <-timeout:
			return 0, os.ErrDeadlineExceeded
		case <-changed:
		}
	}
}

func (p *sharedPort) Write(b []byte) (int, error) {
	select {
	case <-p.closed:
		return 0, net.ErrClosed
	default:
	}
	if p.s.muted.Load() {
		return len(b), nil
	}
	return p.s.conn.Write(b)
}

func (p *sharedPort) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deadline = t
	close(p.changed)
	p.changed = make(chan struct{})
	return nil
}

func (p *sharedPort) Close() error {
	p.once.Do(func() { close(p.closed) })
	return nil
}

// cmuxModem is a modem that takes AT+CMUX: in command mode it answers
// OK to every command line (ERROR to noise); after AT+CMUX=0 it is a
// 27.010 responder whose DLCIs each run an attest modem, the one that
// dials bringing up the network side of PPP. When the multiplexer ends
// it is back in command mode.
type cmuxModem struct {
	t    *testing.T
	line *sharedLine
	ctx  context.Context

	mu       sync.Mutex
	muxes    []*cmux.Mux
	channels map[int]*cmux.Channel
	modems   map[int]*attest.Modem
	ended    []error // why each multiplexer ended
	pppEnded []error // why each network side of PPP ended
	lines    []string
	changed  chan struct{} // closed and replaced at each change
}

func startCMUXModem(t *testing.T, dce net.Conn) *cmuxModem {
	ctx, cancel := context.WithCancel(context.Background())
	m := &cmuxModem{t: t, line: newSharedLine(dce), ctx: ctx, channels: map[int]*cmux.Channel{}, modems: map[int]*attest.Modem{}, changed: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.serve()
	}()
	t.Cleanup(func() {
		cancel()
		dce.Close()
		<-done
	})
	return m
}

func (m *cmuxModem) note(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f()
	close(m.changed)
	m.changed = make(chan struct{})
}

// waitFor waits until ok holds of the modem, with m.mu held.
func (m *cmuxModem) waitFor(what string, ok func() bool) {
	m.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		m.mu.Lock()
		done, changed := ok(), m.changed
		m.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			m.t.Fatalf("modem: no %s within 20 s", what)
		}
	}
}

func (m *cmuxModem) serve() {
	for m.ctx.Err() == nil {
		port := m.line.Open()
		if !m.command(port) {
			return
		}
		port.Close()
		m.multiplex()
	}
}

// command answers command lines until AT+CMUX; false if the line ended.
func (m *cmuxModem) command(port *sharedPort) bool {
	var line []byte
	b := make([]byte, 1)
	for {
		if _, err := port.Read(b); err != nil {
			return false
		}
		if b[0] != '\r' && b[0] != '\n' {
			line = append(line, b[0])
			continue
		}
		l := string(bytes.TrimSpace(line))
		line = line[:0]
		if l == "" {
			continue
		}
		m.note(func() { m.lines = append(m.lines, l) })
		reply := "\r\nOK\r\n"
		if !strings.HasPrefix(strings.ToUpper(l), "AT") {
			reply = "\r\nERROR\r\n"
		}
		port.Write([]byte(reply))
		if strings.HasPrefix(strings.ToUpper(l), "AT+CMUX=0") {
			return true
		}
	}
}

// multiplex is the responder until the multiplexer ends.
func (m *cmuxModem) multiplex() {
	mux := cmux.NewResponder(m.line.Open(), cmux.Config{N1: 127})
	m.note(func() { m.muxes = append(m.muxes, mux) })
	var wg sync.WaitGroup
	for {
		ch, err := mux.Accept(m.ctx)
		if err != nil {
			break
		}
		m.note(func() { m.channels[ch.DLCI()] = ch })
		wg.Go(func() { m.channel(ch) })
	}
	<-mux.Done()
	m.note(func() { m.ended = append(m.ended, mux.Err()) })
	wg.Wait()
}

// channel runs a modem on ch; after CONNECT, the network side of PPP.
func (m *cmuxModem) channel(ch *cmux.Channel) {
	a := attest.New(ch, attest.Config{Answers: map[string][]string{
		"AT+COPS?": {`+COPS: 0,0,"Test Net",7`},
	}})
	defer a.Close()
	m.note(func() { m.modems[ch.DLCI()] = a })
	select {
	case <-a.Connected():
	case <-ch.Done():
		return
	}
	ctx, cancel := context.WithTimeout(m.ctx, 20*time.Second)
	l, err := gprsppp.OpenNetwork(ctx, ch, gprsppp.NetworkConfig{})
	cancel()
	if err != nil {
		return
	}
	select {
	case <-l.Done():
		m.note(func() { m.pppEnded = append(m.pppEnded, l.Err()) })
	case <-m.ctx.Done():
	}
	l.Close()
}

// channel returns the modem's end of a DLCI once open.
func (m *cmuxModem) dlc(dlci int) *cmux.Channel {
	m.waitFor("DLCI open", func() bool { return m.channels[dlci] != nil })
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.channels[dlci]
}

// endedWith returns why the n-th multiplexer ended, waiting for it.
func (m *cmuxModem) endedWith(n int) error {
	m.waitFor("end of the multiplexer", func() bool { return len(m.ended) >= n })
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ended[n-1]
}

// pppEndedWith returns why the n-th network side of PPP ended, waiting
// for it.
func (m *cmuxModem) pppEndedWith(n int) error {
	m.waitFor("end of PPP", func() bool { return len(m.pppEnded) >= n })
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pppEnded[n-1]
}

// atModem returns the attest modem on a DLCI once it runs.
func (m *cmuxModem) atModem(dlci int) *attest.Modem {
	m.waitFor("modem on the DLCI", func() bool { return m.modems[dlci] != nil })
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.modems[dlci]
}

package cmux

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// waitTimeout bounds every wait of the tests on the real clock.
const waitTimeout = 20 * time.Second

// pair starts an initiator and a responder on the two ends of rw.
func pair(t *testing.T, a, b io.ReadWriteCloser, icfg, rcfg Config) (*Mux, *Mux) {
	t.Helper()
	ini := NewInitiator(a, icfg)
	resp := NewResponder(b, rcfg)
	t.Cleanup(func() {
		ini.Close()
		resp.Close()
	})
	return ini, resp
}

// pipePair is pair over an in-memory pipe.
func pipePair(t *testing.T, icfg, rcfg Config) (*Mux, *Mux) {
	a, b := ppptest.Pipe()
	return pair(t, a, b, icfg, rcfg)
}

// open opens dlci on ini and accepts it on resp.
func open(t *testing.T, ini, resp *Mux, dlci int) (*Channel, *Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	c, err := ini.Open(ctx, dlci)
	if err != nil {
		t.Fatalf("open DLCI %d: %v", dlci, err)
	}
	r, err := resp.Accept(ctx)
	if err != nil {
		t.Fatalf("accept DLCI %d: %v", dlci, err)
	}
	if r.DLCI() != dlci {
		t.Fatalf("accepted DLCI %d, want %d", r.DLCI(), dlci)
	}
	return c, r
}

// pattern returns n deterministic octets.
func pattern(n, seed int) []byte {
	b := make([]byte, n)
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// transfer writes data on w while reading it from r and checks it.
func transfer(t *testing.T, w io.Writer, r io.Reader, data []byte) {
	t.Helper()
	werr := make(chan error, 1)
	go func() {
		_, err := w.Write(data)
		werr <- err
	}()
	got := make([]byte, len(data))
	rerr := make(chan error, 1)
	go func() {
		_, err := io.ReadFull(r, got)
		rerr <- err
	}()
	select {
	case err := <-rerr:
		if err != nil {
			t.Fatalf("read: %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("read: data lost or stuck")
	}
	if err := <-werr; err != nil {
		t.Fatalf("write: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("data differs")
	}
}

// waitDone waits for a multiplexer's end and checks its reason.
func waitDone(t *testing.T, m *Mux, want error) {
	t.Helper()
	select {
	case <-m.Done():
	case <-time.After(waitTimeout):
		t.Fatal("multiplexer did not end")
	}
	if !errors.Is(m.Err(), want) {
		t.Errorf("Err() = %v, want %v", m.Err(), want)
	}
}

// fakePeer is a scripted far end that speaks frames on a pipe.
type fakePeer struct {
	t      testing.TB
	rw     io.ReadWriteCloser
	frames chan Frame
	quit   chan struct{}

	mu  sync.Mutex
	raw []byte // everything received
}

// transcript returns everything received so far.
func (p *fakePeer) transcript() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]byte(nil), p.raw...)
}

func newFakePeer(t testing.TB, rw io.ReadWriteCloser) *fakePeer {
	p := &fakePeer{t: t, rw: rw, frames: make(chan Frame, 64), quit: make(chan struct{})}
	go func() {
		defer close(p.frames)
		var d Decoder
		buf := make([]byte, 1024)
		for {
			n, err := rw.Read(buf)
			p.mu.Lock()
			p.raw = append(p.raw, buf[:n]...)
			p.mu.Unlock()
			d.Decode(buf[:n], func(f Frame) {
				f.Info = append([]byte(nil), f.Info...)
				select {
				case p.frames <- f:
				case <-p.quit:
				}
			})
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		close(p.quit)
		rw.Close()
	})
	return p
}

// next returns the next frame.
func (p *fakePeer) next() Frame {
	p.t.Helper()
	select {
	case f, ok := <-p.frames:
		if !ok {
			p.t.Fatal("fake peer: line closed")
		}
		return f
	case <-time.After(waitTimeout):
		p.t.Fatal("fake peer: no frame")
	}
	return Frame{}
}

// expect reads the next frame and checks its type and DLCI.
func (p *fakePeer) expect(t FrameType, dlci int) Frame {
	p.t.Helper()
	f := p.next()
	if f.Type != t || f.DLCI != dlci {
		p.t.Fatalf("fake peer: got %v, want %v on DLCI %d", f, t, dlci)
	}
	return f
}

// expectMsg reads the next frame and checks it is a control message of
// type typ.
func (p *fakePeer) expectMsg(typ MsgType, command bool) Message {
	p.t.Helper()
	f := p.expect(UIH, 0)
	m, _, err := ParseMessage(f.Info)
	if err != nil || m.Type != typ || m.Command != command {
		p.t.Fatalf("fake peer: got %v (%v), want %v command=%t", m, err, typ, command)
	}
	return m
}

// send writes a frame as the responder sends it (C/R as given).
func (p *fakePeer) send(f Frame) {
	p.t.Helper()
	if _, err := p.rw.Write(f.Append(nil)); err != nil {
		p.t.Fatalf("fake peer: write: %v", err)
	}
}

// sendMsg sends a control message as a responder (UIH C/R 0).
func (p *fakePeer) sendMsg(m Message) {
	p.send(Frame{DLCI: 0, Type: UIH, Info: m.Append(nil)})
}

// ua answers a command frame as a responder (C/R 1).
func (p *fakePeer) ua(dlci int) { p.send(Frame{DLCI: dlci, CR: true, Type: UA, PF: true}) }

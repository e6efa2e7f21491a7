package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/at"
	atdce "github.com/gprsppp/gprsppp/at/dce"
	"github.com/gprsppp/gprsppp/cmux"
)

// muxParams are the parameters of AT+CMUX (3GPP TS 27.007 §5.7), with
// their defaults: basic option, UIH frames, 115200 bit/s, N1 31, T1 100
// ms, N2 3, T2 300 ms, T3 10 s, k 2.
type muxParams struct {
	mode, subset, speed, n1, t1, n2, t2, t3, k int
}

var defaultMuxParams = muxParams{speed: 5, n1: cmux.DefaultN1, t1: 10, n2: 3, t2: 30, t3: 10, k: 2}

func (p muxParams) String() string {
	return fmt.Sprintf("%d,%d,%d,%d,%d,%d,%d,%d,%d", p.mode, p.subset, p.speed, p.n1, p.t1, p.n2, p.t2, p.t3, p.k)
}

// parseMuxParams parses the arguments of AT+CMUX=; empty ones keep
// their defaults. Only the basic option with UIH frames is offered.
func parseMuxParams(args []string) (muxParams, bool) {
	p := defaultMuxParams
	fields := []struct {
		v      *int
		lo, hi int
	}{
		{&p.mode, 0, 0}, {&p.subset, 0, 0}, {&p.speed, 1, 7}, {&p.n1, 1, cmux.MaxN1},
		{&p.t1, 1, 255}, {&p.n2, 0, 100}, {&p.t2, 2, 255}, {&p.t3, 1, 255}, {&p.k, 1, 7},
	}
	if len(args) == 0 || len(args) > len(fields) || args[0] == "" {
		return p, false
	}
	for i, a := range args {
		if a == "" {
			continue
		}
		n, ok := atdce.Number(a, fields[i].lo, fields[i].hi)
		if !ok {
			return p, false
		}
		*fields[i].v = n
	}
	return p, true
}

// cmuxCommand is AT+CMUX: with OK, the line becomes a TS 27.010
// multiplexer (responder) from the next octet on. Inside the multiplexer,
// or during a call, the set command is an error.
func (d *dce) cmuxCommand(e *atdce.Engine, c at.Command) error {
	switch c.Op {
	case at.Test:
		d.info("+CMUX: (0),(0),(1-7),(1-%d),(1-255),(0-100),(2-255),(1-255),(1-7)", cmux.MaxN1)
		return nil
	case at.Read:
		p := defaultMuxParams
		if d.shared != nil {
			p = d.shared.params
		}
		d.info("+CMUX: %v", p)
		return nil
	case at.Set:
		p, ok := parseMuxParams(c.Args())
		if !ok || d.shared != nil || d.call != nil {
			return at.Error
		}
		d.mux = &p
		// The rest of the input belongs to the multiplexer.
		e.Suspend()
		return nil
	}
	return at.Error
}

// muxShared is the state the modems on a multiplexer's channels share.
type muxShared struct {
	params muxParams // AT+CMUX's

	mu     sync.Mutex
	inCall bool // a channel has a call up: one at a time
}

// claimCall reports whether a call may start, and marks it started.
func (s *muxShared) claimCall() bool {
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inCall {
		return false
	}
	s.inCall = true
	return true
}

// releaseCall marks the call ended.
func (s *muxShared) releaseCall() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.inCall = false
	s.mu.Unlock()
}

// runMux runs the multiplexer AT+CMUX started on the line, rest being
// the octets that followed the command line, until the host ends it (CLD
// or DISC on DLCI 0): each DLC the host opens gets a modem of its own,
// with its own echo and result code settings, sharing the SIM, the
// registration and one call at a time. Then the line is in command
// state again. It returns the line's error if the line failed.
func (d *dce) runMux(rest []byte) error {
	p := *d.mux
	log := d.m.log.With("cmux", "responder")
	log.Info("modem: multiplexer", "params", p.String())
	n2 := p.n2
	if n2 == 0 {
		n2 = -1 // cmux's zero is its default
	}
	port := &muxPort{d: d, pending: rest, gone: make(chan struct{})}
	mux := cmux.NewResponder(port, cmux.Config{
		N1:     p.n1,
		T1:     time.Duration(p.t1) * 10 * time.Millisecond,
		T2:     time.Duration(p.t2) * 10 * time.Millisecond,
		N2:     n2,
		Clock:  d.m.clk,
		Logger: log,
	})
	ctx, cancel := context.WithCancel(d.ctx)
	shared := &muxShared{params: p}
	var wg sync.WaitGroup
	for {
		ch, err := mux.Accept(ctx)
		if err != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := d.m.serveChannel(ctx, ch, d, shared)
			log.Debug("modem: channel ended", "dlci", ch.DLCI(), "err", err)
		}()
	}
	<-mux.Done()
	cancel()
	wg.Wait()
	d.mux = nil
	d.eng.Resume()
	log.Info("modem: multiplexer ended, back in command state", "reason", mux.Err())
	return port.lineErr()
}

// serveChannel runs a modem on one DLC until the DLC or ctx ends.
func (m *Modem) serveChannel(ctx context.Context, ch io.ReadWriteCloser, parent *dce, shared *muxShared) error {
	d := newDCE(m, ch)
	d.shared = shared
	d.pinOK, d.regStart = parent.pinOK, parent.regStart
	d.contexts = maps.Clone(parent.contexts)
	return d.run(ctx)
}

// muxPort is the line as the multiplexer sees it: reads come from the
// modem's reader, writes go to the line, and Close ends only the
// multiplexer's use of it.
type muxPort struct {
	d       *dce
	pending []byte // the octets after AT+CMUX
	gone    chan struct{}
	once    sync.Once

	mu  sync.Mutex
	err error // the line's error, if it failed
}

func (p *muxPort) Read(b []byte) (int, error) {
	for len(p.pending) == 0 {
		select {
		case p.pending = <-p.d.rx:
		case err := <-p.d.rxErr:
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			p.mu.Lock()
			p.err = fmt.Errorf("sim: modem line: %w", err)
			p.mu.Unlock()
			return 0, err
		case <-p.gone:
			return 0, io.ErrClosedPipe
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

func (p *muxPort) Write(b []byte) (int, error) {
	select {
	case <-p.gone:
		return 0, io.ErrClosedPipe
	default:
	}
	p.d.wmu.Lock()
	defer p.d.wmu.Unlock()
	return p.d.line.Write(b)
}

func (p *muxPort) Close() error {
	p.once.Do(func() { close(p.gone) })
	return nil
}

// lineErr returns the line's error, if it failed under the multiplexer.
func (p *muxPort) lineErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

package cmux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// Mux is one end of a TS 27.010 multiplexer over a port. One goroutine,
// routineLoop, owns the state of DLCI 0 and of every DLC; the port is
// read by routineRead and written by routineWrite (control frames, in
// order) and by the channels' Write (data frames, each whole under one
// lock, so frames never interleave on the line).
type Mux struct {
	cfg       Config
	port      io.ReadWriteCloser
	initiator bool
	log       *slog.Logger
	clk       clock.Clock

	frames  chan []Frame  // from routineRead
	taken   chan struct{} // a batch of frames was handled
	cmds    chan func()   // functions to run on the loop
	readErr chan error    // why routineRead stopped
	quit    chan struct{} // closed when the loop has ended
	done    chan struct{} // closed when every goroutine has ended
	wg      sync.WaitGroup

	errMu sync.Mutex // guards err
	err   error      // why the multiplexer ended

	wmu   sync.Mutex // serialises writes to the port
	wq    writeQueue
	sleep sleepState
	decMu sync.Mutex // guards dec
	dec   DecoderStats

	stats counters

	accepts chan *Channel // channels the peer opened, for Accept

	// Owned by the loop.
	ctrl      dlcState // DLCI 0
	ctrlRetry *retry   // SABM or DISC on DLCI 0
	dlcs      [MaxDLCI + 1]*dlc
	pending   []*pendingMsg // control commands awaiting a response
	peerN1    [MaxDLCI + 1]int
	aggOff    bool // the peer sent FCoff
	closing   bool // Close is shutting the multiplexer down
	ended     bool
	rxSeen    bool // a frame arrived since the last keepalive check
	keepAlive clock.Timer
}

// Stats counts the multiplexer's events since it started.
type Stats struct {
	Decoder         DecoderStats // frames and drops on the line
	RxDropped       uint64       // data octets dropped on a full channel buffer
	ClosedDLC       uint64       // frames for a DLC that is not open
	Retransmissions uint64       // SABM, DISC and control messages sent again
	Unknown         uint64       // frames and control messages not understood, or not expected (SABM to the initiator)
	QueueDrops      uint64       // control frames dropped on a full send queue
	FlowStops       uint64       // MSCs with FC sent: a channel's reader fell behind (over RxBuffer/4 waiting)
	FlowResumes     uint64       // MSCs without FC sent after one with FC: the reader caught up (RxBuffer/8)
}

type counters struct {
	rxDropped, closedDLC, retransmissions, unknown, queueDrops atomic.Uint64
	flowStops, flowResumes                                     atomic.Uint64
}

// NewInitiator starts the initiating end of a multiplexer on port, the
// end a host runs after the modem has answered AT+CMUX with OK: it opens
// DLCI 0 at once (SABM, retransmitted every T1 up to N2 times; with no
// UA the multiplexer ends with ErrNoResponse) and opens DLCs with Open.
// The Mux owns port and closes it when it ends.
func NewInitiator(port io.ReadWriteCloser, cfg Config) *Mux {
	m := newMux(port, cfg, true)
	m.start(func() { m.openControl() })
	return m
}

// NewResponder starts the responding end of a multiplexer on port, the
// end a modem runs: it accepts every DLC the initiator opens and hands
// each to Accept. The Mux owns port and closes it when it ends.
func NewResponder(port io.ReadWriteCloser, cfg Config) *Mux {
	m := newMux(port, cfg, false)
	m.start(nil)
	return m
}

func newMux(port io.ReadWriteCloser, cfg Config, initiator bool) *Mux {
	cfg = cfg.withDefaults()
	role := "responder"
	if initiator {
		role = "initiator"
	}
	return &Mux{
		cfg:       cfg,
		port:      port,
		initiator: initiator,
		log:       cfg.Logger.With("cmux", role),
		clk:       cfg.Clock,
		frames:    make(chan []Frame),
		taken:     make(chan struct{}, 1),
		cmds:      make(chan func()),
		readErr:   make(chan error, 1),
		quit:      make(chan struct{}),
		done:      make(chan struct{}),
		wq:        newWriteQueue(),
		accepts:   make(chan *Channel, MaxDLCI),
	}
}

// start runs the goroutines; first, if not nil, runs first on the loop.
func (m *Mux) start(first func()) {
	m.wg.Add(3)
	go m.routineRead()
	go m.routineWrite()
	go m.routineLoop(first)
	go func() {
		m.wg.Wait()
		close(m.done)
	}()
}

// Done is closed when the multiplexer has ended and its port is closed.
func (m *Mux) Done() <-chan struct{} { return m.done }

// Err returns why the multiplexer ended, nil while it runs.
func (m *Mux) Err() error {
	m.errMu.Lock()
	defer m.errMu.Unlock()
	return m.err
}

// Stats returns the counters.
func (m *Mux) Stats() Stats {
	m.decMu.Lock()
	dec := m.dec
	m.decMu.Unlock()
	return Stats{
		Decoder:         dec,
		RxDropped:       m.stats.rxDropped.Load(),
		ClosedDLC:       m.stats.closedDLC.Load(),
		Retransmissions: m.stats.retransmissions.Load(),
		Unknown:         m.stats.unknown.Load(),
		QueueDrops:      m.stats.queueDrops.Load(),
		FlowStops:       m.stats.flowStops.Load(),
		FlowResumes:     m.stats.flowResumes.Load(),
	}
}

// Close shuts the multiplexer down: it closes the open DLCs (DISC, each
// waiting at most T1 × (N2+1) for UA or DM), sends CLD and waits at most
// T2 for its response, then closes the port. Channels fail with
// ErrChannelClosed wrapping ErrMuxClosed. Close is idempotent and
// returns once the multiplexer has ended.
func (m *Mux) Close() error {
	m.post(m.shutdown)
	<-m.done
	return nil
}

// post runs f on the loop, unless the loop has ended; it reports whether
// f was handed over.
func (m *Mux) post(f func()) bool {
	select {
	case m.cmds <- f:
		return true
	case <-m.quit:
		return false
	}
}

// call runs f on the loop and waits until it has run, ctx ends or the
// multiplexer ends.
func (m *Mux) call(ctx context.Context, f func()) error {
	ran := make(chan struct{})
	select {
	case m.cmds <- func() { f(); close(ran) }:
	case <-m.quit:
		return m.endErr()
	case <-ctx.Done():
		return ctx.Err()
	}
	<-ran
	return nil
}

// endErr is the error of an operation on an ended multiplexer.
func (m *Mux) endErr() error {
	if err := m.Err(); err != nil {
		return err
	}
	return ErrMuxClosed
}

// after runs f on the loop once d has passed.
func (m *Mux) after(d time.Duration, f func()) clock.Timer {
	return m.clk.AfterFunc(d, func() { m.post(f) })
}

// routineRead decodes frames from the port and hands them to the loop,
// those of each read at once.
func (m *Mux) routineRead() {
	defer m.wg.Done()
	dec := Decoder{MaxInfo: m.cfg.N1}
	buf := make([]byte, 4096)
	for {
		n, err := m.port.Read(buf)
		if n > 0 && m.sleep.heardPeer() {
			m.wq.push(flags(2))
		}
		var batch []Frame
		var data []byte // the information fields of batch, copied
		dec.Decode(buf[:n], func(f Frame) {
			if data == nil {
				data = make([]byte, 0, n)
			}
			start := len(data)
			data = append(data, f.Info...)
			f.Info = data[start:len(data):len(data)]
			batch = append(batch, f)
		})
		m.decMu.Lock()
		m.dec = dec.Stats()
		m.decMu.Unlock()
		// The loop takes the batch before the next read, so that once a
		// frame ends the multiplexer (CLD, DISC 0) nothing after it is
		// taken from the port: a line that goes back to AT commands
		// keeps the host's next command.
		stop := false
		if len(batch) > 0 {
			select {
			case m.frames <- batch:
				select {
				case <-m.taken:
				case <-m.quit:
					stop = true
				}
			case <-m.quit:
				stop = true
			}
		}
		if err != nil || stop {
			if err == nil {
				err = ErrMuxClosed
			}
			m.readErr <- err
			return
		}
	}
}

// routineLoop owns the multiplexer's state until it ends.
func (m *Mux) routineLoop(first func()) {
	defer m.wg.Done()
	defer close(m.quit)
	if m.cfg.KeepAlive > 0 {
		m.keepAlive = m.after(m.cfg.KeepAlive, m.checkAlive)
	}
	if first != nil {
		first()
	}
	for !m.ended {
		select {
		case batch := <-m.frames:
			m.rxSeen = true
			for _, f := range batch {
				if !m.ended {
					m.receive(f)
				}
			}
			if !m.ended {
				m.taken <- struct{}{}
			}
		case f := <-m.cmds:
			f()
		case err := <-m.readErr:
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			m.finish(fmt.Errorf("cmux: port: %w", err))
		}
	}
}

// finish ends the multiplexer with err: every channel fails, the control
// frames already queued are written, then the port is closed (at the
// latest T2 later, should the port not take them).
func (m *Mux) finish(err error) {
	if m.ended {
		return
	}
	m.ended = true
	m.errMu.Lock()
	m.err = err
	m.errMu.Unlock()
	m.log.Info("cmux: multiplexer ended", "reason", err)
	for i, d := range m.dlcs {
		if d != nil {
			d.end(err)
			m.dlcs[i] = nil
		}
	}
	if m.ctrlRetry != nil {
		m.ctrlRetry.stop()
	}
	for _, p := range m.pending {
		p.stop()
		if p.reply != nil {
			p.reply(Message{}, err)
		}
	}
	m.pending = nil
	if m.keepAlive != nil {
		m.keepAlive.Stop()
	}
	// The port closes once the queued frames are out (a CLD response,
	// a UA to DISC 0), or after T2 should it not take them.
	force := m.clk.AfterFunc(m.cfg.T2, func() { m.port.Close() })
	m.wq.finish(func() {
		force.Stop()
		m.port.Close()
	})
}

// Accept returns the next DLC the initiator opened, on the responder. It
// fails once the multiplexer has ended or ctx ends.
func (m *Mux) Accept(ctx context.Context) (*Channel, error) {
	select {
	case ch := <-m.accepts:
		return ch, nil
	case <-m.quit:
		return nil, m.endErr()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

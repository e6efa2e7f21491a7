package cmux

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// dlcState is where a data link connection is in its life.
type dlcState uint8

const (
	dlcClosed      dlcState = iota
	dlcWaitControl          // Open waits for DLCI 0 to open
	dlcNegotiating          // PN sent, awaiting its response
	dlcOpening              // SABM sent, awaiting UA
	dlcOpen
	dlcClosing // DISC sent, awaiting UA
)

func (s dlcState) String() string {
	return [...]string{"closed", "wait-control", "negotiating", "opening", "open", "closing"}[s]
}

// dlc is the loop's state of one DLC.
type dlc struct {
	dlci    int
	state   dlcState
	n1      int  // the longest information field to send
	sentFC  bool // the FC bit of the last MSC sent
	ch      *Channel
	retry   *retry
	openers []chan openResult
	closers []chan struct{}
}

type openResult struct {
	ch  *Channel
	err error
}

// setState changes d's state and logs it.
func (m *Mux) setState(d *dlc, s dlcState, event string) {
	m.log.Debug("cmux: DLC state", "dlci", d.dlci, "from", d.state, "to", s, "on", event)
	d.state = s
}

// end resolves everything waiting on d with err.
func (d *dlc) end(err error) {
	if d.retry != nil {
		d.retry.stop()
	}
	for _, o := range d.openers {
		o <- openResult{err: err}
	}
	d.openers = nil
	for _, c := range d.closers {
		close(c)
	}
	d.closers = nil
	if d.ch != nil {
		d.ch.fail(err)
	}
}

// retry sends a frame again every interval until stopped or out of
// tries.
type retry struct {
	t    clock.Timer
	left int
	live bool
}

func (r *retry) stop() {
	r.live = false
	if r.t != nil {
		r.t.Stop()
	}
}

// sendRetried sends f, and again every interval up to n times until the
// retry is stopped; then it calls giveUp.
func (m *Mux) sendRetried(f Frame, interval time.Duration, n int, giveUp func()) *retry {
	r := &retry{left: n, live: true}
	var fire func()
	fire = func() {
		if !r.live {
			return
		}
		if r.left == 0 {
			r.live = false
			giveUp()
			return
		}
		r.left--
		m.stats.retransmissions.Add(1)
		m.send(f)
		r.t = m.after(interval, fire)
	}
	m.send(f)
	r.t = m.after(interval, fire)
	return r
}

// cmdCR is the address C/R bit of a command from this end, and of its
// UIH frames (TS 27.010 §5.2.1.2, §5.4.3.1); a response carries the
// opposite.
func (m *Mux) cmdCR() bool { return m.initiator }

// command sends a frame of type t on dlci as a command, with P set.
func (m *Mux) command(dlci int, t FrameType) Frame {
	return Frame{DLCI: dlci, CR: m.cmdCR(), Type: t, PF: true}
}

// respond answers a command on dlci with a frame of type t, F set.
func (m *Mux) respond(dlci int, t FrameType) {
	m.send(Frame{DLCI: dlci, CR: !m.cmdCR(), Type: t, PF: true})
}

// openControl opens DLCI 0 (the initiator, at start).
func (m *Mux) openControl() {
	m.ctrl = dlcOpening
	m.ctrlRetry = m.sendRetried(m.command(0, SABM), m.cfg.T1, m.cfg.N2, func() {
		m.finish(fmt.Errorf("%w: no UA to SABM on DLCI 0 after %d tries", ErrNoResponse, m.cfg.N2+1))
	})
}

// Open opens the DLC dlci (1 to 63) and returns it as a Channel: with PN
// first (unless Config.NoPN), then SABM until UA, retransmitted every T1
// up to N2 times. It fails with ErrRefused if the peer answers DM and
// with ErrNoResponse if it does not answer. Only the initiator opens
// DLCs.
func (m *Mux) Open(ctx context.Context, dlci int) (*Channel, error) {
	if !m.initiator {
		return nil, errors.New("cmux: only the initiator opens DLCs")
	}
	if dlci < 1 || dlci > MaxDLCI {
		return nil, fmt.Errorf("cmux: DLCI %d out of range 1 to %d", dlci, MaxDLCI)
	}
	res := make(chan openResult, 1)
	if err := m.call(ctx, func() { m.startOpen(dlci, res) }); err != nil {
		return nil, err
	}
	select {
	case r := <-res:
		return r.ch, r.err
	case <-ctx.Done():
		// The DLC may still open: close it then. res is always
		// answered, at the latest when the multiplexer ends.
		go func() {
			if r := <-res; r.ch != nil {
				r.ch.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// startOpen begins opening dlci for Open.
func (m *Mux) startOpen(dlci int, res chan openResult) {
	if m.closing {
		res <- openResult{err: ErrMuxClosed}
		return
	}
	if d := m.dlcs[dlci]; d != nil {
		switch d.state {
		case dlcOpen:
			res <- openResult{err: fmt.Errorf("cmux: DLCI %d is already open", dlci)}
		case dlcClosing:
			res <- openResult{err: fmt.Errorf("cmux: DLCI %d is closing", dlci)}
		default:
			d.openers = append(d.openers, res)
		}
		return
	}
	d := &dlc{dlci: dlci, state: dlcWaitControl, n1: m.cfg.N1, openers: []chan openResult{res}}
	m.dlcs[dlci] = d
	if m.ctrl == dlcOpen {
		m.negotiate(d)
	}
}

// negotiate proposes N1 for d with PN, then opens it.
func (m *Mux) negotiate(d *dlc) {
	if m.cfg.NoPN {
		m.sendSABM(d)
		return
	}
	m.setState(d, dlcNegotiating, "open")
	pn := PN{DLCI: d.dlci, Priority: 7, T1: units(m.cfg.T1), N1: uint16(m.cfg.N1), N2: uint8(min(m.cfg.N2, 255))}
	m.request(Message{Type: MsgPN, Command: true, Value: pn.Append(nil)}, m.cfg.N2, func(r Message, err error) {
		if m.dlcs[d.dlci] != d || d.state != dlcNegotiating {
			return
		}
		if err == nil {
			if p, perr := ParsePN(r.Value); perr == nil && p.N1 >= 1 && int(p.N1) <= m.cfg.N1 {
				d.n1 = int(p.N1)
			}
		}
		m.log.Debug("cmux: parameters", "dlci", d.dlci, "n1", d.n1, "pn", err)
		m.sendSABM(d)
	})
}

// units is d in the 10 ms units of PN, at most 255.
func units(d time.Duration) uint8 {
	return uint8(min(max(d/(10*time.Millisecond), 1), 255))
}

// sendSABM opens d.
func (m *Mux) sendSABM(d *dlc) {
	m.setState(d, dlcOpening, "SABM")
	d.retry = m.sendRetried(m.command(d.dlci, SABM), m.cfg.T1, m.cfg.N2, func() {
		m.dropDLC(d, fmt.Errorf("%w: no UA to SABM on DLCI %d after %d tries", ErrNoResponse, d.dlci, m.cfg.N2+1))
	})
}

// dropDLC forgets d, failing what waits on it with err.
func (m *Mux) dropDLC(d *dlc, err error) {
	if m.dlcs[d.dlci] == d {
		m.dlcs[d.dlci] = nil
	}
	m.setState(d, dlcClosed, err.Error())
	d.end(err)
	m.closedOne()
}

// opened makes d open, with a new channel.
func (m *Mux) opened(d *dlc) {
	if d.retry != nil {
		d.retry.stop()
	}
	m.setState(d, dlcOpen, "UA")
	d.ch = newChannel(m, d.dlci, d.n1, m.aggOff)
	for _, o := range d.openers {
		o <- openResult{ch: d.ch}
	}
	d.openers = nil
	// Announce our signals: some modems (SIM800) pass no data before
	// they have an MSC, n_gsm stops on a DLC without RTR.
	m.sendMSC(d, false)
}

// closeDLC closes d for Channel.Close; done is closed when d is closed.
func (m *Mux) closeDLC(ch *Channel, done chan struct{}) {
	d := m.dlcs[ch.dlci]
	if d == nil || d.ch != ch {
		close(done)
		return
	}
	d.closers = append(d.closers, done)
	if d.state == dlcOpen {
		m.startDISC(d, errClosedHere)
	}
}

// startDISC closes the open DLC d; its channel fails with reason.
func (m *Mux) startDISC(d *dlc, reason error) {
	m.setState(d, dlcClosing, "close")
	d.ch.fail(reason)
	d.retry = m.sendRetried(m.command(d.dlci, DISC), m.cfg.T1, m.cfg.N2, func() {
		m.dropDLC(d, errClosedHere)
	})
}

// errClosedHere is why a channel closed by Close fails.
var errClosedHere = errors.New("cmux: closed by this end")

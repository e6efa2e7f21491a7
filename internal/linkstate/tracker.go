// Package linkstate follows a gprsppp.Supervisor from the outside: it
// wraps the supervisor's Dial and OnUp, keeps what a status report and
// the Prometheus metrics show (state, address, uptime, counters of the
// current link and of all links, redials, the last reason a link ended,
// the modem's signal and registration), and tells an Event handler of
// each dial, link up and link down, for hooks, sd_notify and the
// pppd-style "Connect time" line.
//
// Wiring:
//
//	t := linkstate.New(linkstate.Config{Name: "ttyUSB2", Device: "/dev/ttyUSB2", Persist: true, OnEvent: handle})
//	sup := gprsppp.NewSupervisor(t.Wrap(gprsppp.SupervisorConfig{Dial: dial, Persist: true}))
//	err := sup.Run(ctx)
//	t.Close() // waits for the last Down event
package linkstate

import (
	"context"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp"
)

// Config configures a Tracker.
type Config struct {
	// Name is the link's name, as in the control socket's file name.
	Name string
	// Device names the modem's line ("sim" for the simulator).
	Device string
	// Persist says the supervisor redials, so a link that ends leaves
	// the state Down rather than Stopped when Close is called.
	Persist bool
	// OnEvent, if set, is called for each event, from the goroutine that
	// saw it (the supervisor's, or the Tracker's watcher of a link), never
	// with a lock held. It must not block for long: it delays the next
	// dial or the next event.
	OnEvent func(Event)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Tracker follows one supervisor's links. Its methods are safe for
// concurrent use.
type Tracker struct {
	cfg Config
	wg  sync.WaitGroup // link watchers

	mu     sync.Mutex
	st     Status
	cur    *gprsppp.Link // the link up, or ended but not yet reported
	upAt   time.Time     // when cur came up
	base   gprsppp.Stats // the sum of the counters of links that ended
	dials  int
	closed bool
}

// New returns a Tracker in the state Dialing.
func New(cfg Config) *Tracker {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	t := &Tracker{cfg: cfg}
	t.st = Status{Name: cfg.Name, Device: cfg.Device, State: Dialing, Since: cfg.Now()}
	return t
}

// Wrap returns cfg with its Dial and OnUp wrapped to feed the Tracker.
func (t *Tracker) Wrap(cfg gprsppp.SupervisorConfig) gprsppp.SupervisorConfig {
	dial, onUp := cfg.Dial, cfg.OnUp
	cfg.Dial = func(ctx context.Context) (*gprsppp.Link, error) {
		t.dialing()
		l, err := dial(ctx)
		if err != nil && ctx.Err() == nil {
			t.dialFailed(err)
		}
		return l, err
	}
	cfg.OnUp = func(l *gprsppp.Link) {
		t.up(l)
		if onUp != nil {
			onUp(l)
		}
	}
	return cfg
}

func (t *Tracker) dialing() {
	// The supervisor redials only once the last link has ended; report
	// it down first if its watcher has not yet, so that events keep
	// their order and the totals never miss its counters.
	t.mu.Lock()
	prev := t.cur
	t.mu.Unlock()
	if prev != nil {
		t.finish(prev)
	}
	t.mu.Lock()
	t.dials++
	if t.dials > 1 {
		t.st.Redials++
	}
	t.setState(Dialing)
	ev := Event{Kind: EventDialing, Status: t.snapshot()}
	t.mu.Unlock()
	t.emit(ev)
}

func (t *Tracker) dialFailed(err error) {
	t.mu.Lock()
	t.st.LastReason = err.Error()
	t.setState(Down)
	ev := Event{Kind: EventDialFailed, Err: err, Status: t.snapshot()}
	t.mu.Unlock()
	t.emit(ev)
}

func (t *Tracker) up(l *gprsppp.Link) {
	m := l.Modem()
	t.mu.Lock()
	t.cur, t.upAt = l, t.cfg.Now()
	t.setState(Up)
	t.st.Address, t.st.Peer = l.LocalAddr(), l.PeerAddr()
	t.st.DNS = l.DNSServers()
	t.st.Speed = m.Speed
	if m.Signal != "" {
		t.st.Signal, t.st.SignalAt = m.Signal, t.upAt
	}
	if m.Registration != "" {
		t.st.Registration = m.Registration
	}
	ev := Event{Kind: EventUp, Link: l, Status: t.snapshot()}
	t.wg.Add(1)
	t.mu.Unlock()
	go t.routineWatch(l)
	t.emit(ev)
}

// routineWatch waits for l to end and reports it.
func (t *Tracker) routineWatch(l *gprsppp.Link) {
	defer t.wg.Done()
	<-l.Done()
	t.finish(l)
}

// finish reports l down, unless that was done already: once l has
// ended, its counters move to the totals and an EventDown goes out.
func (t *Tracker) finish(l *gprsppp.Link) {
	<-l.Done()
	t.mu.Lock()
	if t.cur != l {
		t.mu.Unlock()
		return
	}
	final := l.Stats()
	ev := Event{Kind: EventDown, Link: l, Err: l.Err(), Stats: final, Duration: t.cfg.Now().Sub(t.upAt)}
	t.base = add(t.base, final)
	t.cur = nil
	if ev.Err != nil {
		t.st.LastReason = ev.Err.Error()
	}
	t.setState(Down)
	ev.Status = t.snapshot()
	t.mu.Unlock()
	t.emit(ev)
}

// Close waits until every link the Tracker saw has been reported down,
// then marks it Stopped. Call it after the supervisor's Run returned
// (which closes the last link).
func (t *Tracker) Close() {
	t.wg.Wait()
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.closed = true
		t.setState(Stopped)
	}
}

// Status returns the current status.
func (t *Tracker) Status() Status {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.snapshot()
}

// setState moves to s; t.mu is held.
func (t *Tracker) setState(s State) {
	if t.st.State != s {
		t.st.State, t.st.Since = s, t.cfg.Now()
	}
}

// snapshot copies the status with live counters; t.mu is held.
func (t *Tracker) snapshot() Status {
	st := t.st
	st.DNS = append(st.DNS[:0:0], st.DNS...)
	st.Link = gprsppp.Stats{}
	if t.cur != nil {
		st.Link = t.cur.Stats()
		st.Uptime = t.cfg.Now().Sub(t.upAt)
	}
	st.Total = add(t.base, st.Link)
	return st
}

func (t *Tracker) emit(ev Event) {
	if t.cfg.OnEvent != nil {
		t.cfg.OnEvent(ev)
	}
}

// add sums two sets of counters, and takes the greater peak.
func add(a, b gprsppp.Stats) gprsppp.Stats {
	return gprsppp.Stats{
		FramesIn: a.FramesIn + b.FramesIn, OctetsIn: a.OctetsIn + b.OctetsIn,
		FramesOut: a.FramesOut + b.FramesOut, OctetsOut: a.OctetsOut + b.OctetsOut,
		IPIn: a.IPIn + b.IPIn, IPOut: a.IPOut + b.IPOut,
		FCSErrors: a.FCSErrors + b.FCSErrors, Aborts: a.Aborts + b.Aborts,
		TooLong: a.TooLong + b.TooLong, Runts: a.Runts + b.Runts, Garbage: a.Garbage + b.Garbage,
		BadHeaders: a.BadHeaders + b.BadHeaders, ControlDrops: a.ControlDrops + b.ControlDrops,
		IPDrops: a.IPDrops + b.IPDrops, QueueDrops: a.QueueDrops + b.QueueDrops,
		CodelDrops: a.CodelDrops + b.CodelDrops, ACKsFiltered: a.ACKsFiltered + b.ACKsFiltered,
		WriteErrors: a.WriteErrors + b.WriteErrors, CodeRejectsIgnored: a.CodeRejectsIgnored + b.CodeRejectsIgnored,
		PeakQueueDelay: max(a.PeakQueueDelay, b.PeakQueueDelay),
	}
}

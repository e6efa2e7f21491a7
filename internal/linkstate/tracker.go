// Package linkstate follows a gprsppp.Supervisor from the outside: it
// wraps the supervisor's Dial and OnUp, keeps what a status report and
// the Prometheus metrics show (state, address, uptime, counters of the
// current link and of all links, redials, the last reason a link ended,
// the modem's signal and registration), and tells an Event handler of
// each dial, link up, change of address and link down, for hooks, sd_notify and the
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
	"slices"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
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
	// PID and ATChannel are reported as they are (see Status).
	PID       int
	ATChannel bool
	// TUN, if set, is the TUN interface (a *gprsppp.TUN) whose name and
	// dropped packets Status reports.
	TUN TUN
}

// TUN is what Status reports of a TUN interface.
type TUN interface {
	Name() string
	Drops() uint64
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
	t.st = Status{Name: cfg.Name, Device: cfg.Device, State: Dialing, Since: cfg.Now(), PID: cfg.PID, ATChannel: cfg.ATChannel}
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
	renumbered := l.Renumbered() // before the addresses are read: no change is missed
	t.mu.Lock()
	t.cur, t.upAt = l, t.cfg.Now()
	t.setState(Up)
	t.setAddrs(l)
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
	go t.routineWatch(l, renumbered)
	t.emit(ev)
}

// setAddrs copies l's addresses and DNS servers; t.mu is held.
func (t *Tracker) setAddrs(l *gprsppp.Link) {
	t.st.Address, t.st.Peer = l.LocalAddr(), l.PeerAddr()
	t.st.DNS = l.DNSServers()
	t.st.IPv6, t.st.IPv6Peer, t.st.IPv6DNS = l.IPv6Addrs(), l.IPv6PeerAddr(), l.IPv6DNSServers()
}

// routineWatch follows l's renumberings and router advertisements, and
// reports it down when it ends.
func (t *Tracker) routineWatch(l *gprsppp.Link, renumbered <-chan struct{}) {
	defer t.wg.Done()
	for {
		select {
		case <-renumbered:
			renumbered = l.Renumbered()
			t.changed(l)
		case <-l.Done():
			t.finish(l)
			return
		}
	}
}

// changed takes l's new addresses and reports them, if l is still the
// link up and they did change.
func (t *Tracker) changed(l *gprsppp.Link) {
	t.mu.Lock()
	if t.cur != l || l.Err() != nil {
		t.mu.Unlock()
		return
	}
	before := t.snapshot()
	t.setAddrs(l)
	ev := Event{Kind: EventChanged, Link: l, Status: t.snapshot()}
	t.mu.Unlock()
	if sameAddrs(before, ev.Status) {
		return
	}
	t.emit(ev)
}

// sameAddrs reports whether a and b have the same addresses and DNS
// servers.
func sameAddrs(a, b Status) bool {
	return a.Address == b.Address && a.Peer == b.Peer && a.IPv6Peer == b.IPv6Peer &&
		slices.Equal(a.DNS, b.DNS) && slices.Equal(a.IPv6, b.IPv6) && slices.Equal(a.IPv6DNS, b.IPv6DNS)
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

// Link returns the link up, nil if none is.
func (t *Tracker) Link() *gprsppp.Link {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur == nil || t.cur.Err() != nil {
		return nil
	}
	return t.cur
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

// snapshot copies the status with live counters and the modem's status
// as the current link's AT channel has it; t.mu is held.
func (t *Tracker) snapshot() Status {
	if t.cur != nil {
		if m, ok := t.cur.ModemStatus(); ok && !m.Updated.IsZero() {
			t.noteModem(m)
		}
	}
	st := t.st
	if st.Modem != nil {
		m := *st.Modem
		st.Modem = &m
	}
	st.DNS = slices.Clone(st.DNS)
	st.IPv6, st.IPv6DNS = slices.Clone(st.IPv6), slices.Clone(st.IPv6DNS)
	st.Link = gprsppp.Stats{}
	if t.cur != nil {
		st.Link = t.cur.Stats()
		st.Uptime = t.cfg.Now().Sub(t.upAt)
	}
	st.Total = add(t.base, st.Link)
	if t.cfg.TUN != nil {
		st.TUN, st.TUNDrops = t.cfg.TUN.Name(), t.cfg.TUN.Drops()
	}
	return st
}

// noteModem takes the AT channel's status m; t.mu is held.
func (t *Tracker) noteModem(m dialer.ModemStatus) {
	t.st.Modem = &m
	if m.Signal != "" {
		t.st.Signal, t.st.SignalAt = m.Signal, m.Updated
	}
	if r := m.RegistrationLine(); r != "" {
		t.st.Registration = r
	}
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

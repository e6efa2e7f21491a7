package gprsppp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/cmux"
	"github.com/gprsppp/gprsppp/dialer"
)

// Reopening the AT channel.
const (
	atReopenFirst = time.Second      // the first pause after the channel ended
	atReopenMax   = time.Minute      // the longest pause between attempts
	atOpenTimeout = 30 * time.Second // one attempt to open DLCI 1
)

// atChannel keeps a monitor on the multiplexer's AT channel (DLCI 1) for
// as long as the link lasts. The modem may close that channel (DISC)
// while PPP goes on over DLCI 2, or not answer the monitor's first AT on
// it (its AT interpreter there not ready yet); the channel is then
// opened again after a pause that doubles from atReopenFirst to
// atReopenMax, with a new monitor. Meanwhile the status shown is the
// last one read, and a command waits for the new monitor, as long as
// its context allows.
type atChannel struct {
	mux *cmux.Mux
	cfg dialer.MonitorConfig
	log *slog.Logger

	mu    sync.Mutex
	cur   *dialer.Monitor // the monitor commands go to
	shown *dialer.Monitor // the one whose status is shown: cur once it has polled
	next  chan struct{}   // closed when cur is replaced or ended is set
	ended bool            // no monitor will follow cur
}

// newATChannel starts a monitor on ch, DLCI 1 just opened, and keeps one
// running until ctx ends or the multiplexer does.
func newATChannel(ctx context.Context, wg *sync.WaitGroup, mux *cmux.Mux, ch *cmux.Channel, cfg dialer.MonitorConfig, log *slog.Logger) *atChannel {
	a := &atChannel{mux: mux, cfg: cfg, log: log, next: make(chan struct{})}
	m := dialer.NewMonitor(ch, cfg)
	a.cur, a.shown = m, m
	wg.Go(func() { a.routineKeep(ctx, ch, m) })
	return a
}

// routineKeep runs the monitor on ch, and each one after it.
func (a *atChannel) routineKeep(ctx context.Context, ch *cmux.Channel, m *dialer.Monitor) {
	defer a.end()
	pause := atReopenFirst
	for {
		err := m.Run(ctx)
		ch.Close()
		select {
		case <-ctx.Done():
			return
		case <-a.mux.Done():
			return // the link ends with the multiplexer, saying why
		default:
		}
		a.log.Warn("the AT channel (DLCI 1) ended: opening it again", "err", err, "in", pause)
		for {
			select {
			case <-ctx.Done():
				return
			case <-a.mux.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, atReopenMax)
			octx, cancel := context.WithTimeout(ctx, atOpenTimeout)
			next, err := a.mux.Open(octx, atDLCI)
			cancel()
			if err == nil {
				ch = next
				break
			}
			if errors.Is(err, cmux.ErrMuxClosed) || ctx.Err() != nil {
				return
			}
			a.log.Warn("the AT channel (DLCI 1) did not open again", "err", err, "retry in", pause)
		}
		m = dialer.NewMonitor(ch, a.cfg)
		a.replace(m)
		a.log.Info("the AT channel (DLCI 1) is open again")
		go a.showOncePolled(m)
	}
}

// replace makes m the monitor commands go to.
func (a *atChannel) replace(m *dialer.Monitor) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cur = m
	close(a.next)
	a.next = make(chan struct{})
}

// showOncePolled shows m's status once it has polled, unless it ended
// first.
func (a *atChannel) showOncePolled(m *dialer.Monitor) {
	select {
	case <-m.Polled():
		a.mu.Lock()
		if a.cur == m {
			a.shown = m
		}
		a.mu.Unlock()
	case <-m.Done():
	}
}

// end tells waiting commands that no monitor follows.
func (a *atChannel) end() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ended = true
	close(a.next)
}

// status returns what the monitor shown last read.
func (a *atChannel) status() dialer.ModemStatus {
	a.mu.Lock()
	m := a.shown
	a.mu.Unlock()
	return m.Status()
}

// first returns the first monitor, for the link's first status.
func (a *atChannel) first() *dialer.Monitor {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur
}

// command sends cmd on the AT channel; a monitor that stopped is waited
// past for the next one, as long as ctx allows.
func (a *atChannel) command(ctx context.Context, cmd string, timeout time.Duration) (dialer.Reply, error) {
	for {
		a.mu.Lock()
		m, next, ended := a.cur, a.next, a.ended
		a.mu.Unlock()
		r, err := m.Command(ctx, cmd, timeout)
		if !errors.Is(err, dialer.ErrMonitorStopped) || ended {
			return r, err
		}
		select {
		case <-next:
		case <-ctx.Done():
			return dialer.Reply{}, ctx.Err()
		}
	}
}

package session

import (
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// loopTimer is a ppp.Timer whose function runs on the session's loop.
// Reset and Stop are called only from the loop, so gen needs no lock; a
// firing that raced with Reset or Stop carries an old gen and is ignored.
type loopTimer struct {
	s   *Session
	f   func()
	t   clock.Timer
	gen uint64
}

type timerFire struct {
	t    *loopTimer
	gen  uint64
	done chan struct{} // closed once the loop has run the function
}

func (s *Session) newTimer(f func()) *loopTimer { return &loopTimer{s: s, f: f} }

// Reset implements ppp.Timer.
func (t *loopTimer) Reset(d time.Duration) {
	t.Stop()
	gen := t.gen
	t.t = t.s.cfg.Clock.AfterFunc(d, func() {
		// Waiting until the loop has run f makes a manual clock's Advance
		// return only once the timers f sets are in place.
		fire := timerFire{t, gen, make(chan struct{})}
		select {
		case t.s.timers <- fire:
			select {
			case <-fire.done:
			case <-t.s.done: // the loop ended before running it
			}
		case <-t.s.done:
		}
	})
}

// Stop implements ppp.Timer.
func (t *loopTimer) Stop() {
	t.gen++
	if t.t != nil {
		t.t.Stop()
		t.t = nil
	}
}

func (f timerFire) run() {
	defer close(f.done)
	if f.gen == f.t.gen {
		f.t.t = nil
		f.t.f()
	}
}

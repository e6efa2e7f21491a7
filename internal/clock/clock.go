// Package clock abstracts time so that protocol timers can be driven by a
// manual clock in tests. Real wraps package time; Manual advances only
// when told to.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time and schedules functions.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending call made by AfterFunc.
type Timer interface {
	// Stop prevents the call if it has not happened yet and reports
	// whether it did so.
	Stop() bool
}

// Real is the system clock.
var Real Clock = realClock{}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Manual is a Clock whose time only moves through Advance. Functions that
// come due run synchronously inside Advance, in deadline order.
type Manual struct {
	mu      sync.Mutex
	now     time.Time
	pending []*manualTimer
}

// NewManual returns a Manual clock reading t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// AfterFunc schedules f to run when the clock has advanced by d.
func (m *Manual) AfterFunc(d time.Duration, f func()) Timer {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &manualTimer{m: m, at: m.now.Add(d), f: f}
	m.pending = append(m.pending, t)
	return t
}

// Pending returns how many calls are scheduled.
func (m *Manual) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// Advance moves the clock forward by d, running every function that comes
// due, earliest first, with the clock set to its deadline. It must not be
// called from inside a scheduled function.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	end := m.now.Add(d)
	m.mu.Unlock()
	for {
		m.mu.Lock()
		t := m.nextDue(end)
		if t == nil {
			m.now = end
			m.mu.Unlock()
			return
		}
		m.now = t.at
		m.mu.Unlock()
		t.f()
	}
}

// nextDue removes and returns the earliest timer due by end. m.mu is held.
func (m *Manual) nextDue(end time.Time) *manualTimer {
	best := -1
	for i, t := range m.pending {
		if !t.at.After(end) && (best < 0 || t.at.Before(m.pending[best].at)) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	t := m.pending[best]
	m.pending = append(m.pending[:best], m.pending[best+1:]...)
	return t
}

type manualTimer struct {
	m  *Manual
	at time.Time
	f  func()
}

func (t *manualTimer) Stop() bool {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	for i, p := range t.m.pending {
		if p == t {
			t.m.pending = append(t.m.pending[:i], t.m.pending[i+1:]...)
			return true
		}
	}
	return false
}

package cmux

import (
	"bytes"
	"sync"
)

// Power saving (TS 27.010 §5.4.6.3.2, §5.4.7). A peer that sends PSC
// goes to sleep once this end has answered; before sending anything more
// this end wakes it with a run of flags, repeated every T1 up to N2
// times, until it hears from the peer. A peer that wakes this end with
// flags gets flags back. The flags are repeated only then: in normal
// operation every frame has exactly one opening and one closing flag.

// wakeRun is the number of flags in a run that wakes a sleeping peer.
const wakeRun = 8

// flags returns n flags.
func flags(n int) []byte { return bytes.Repeat([]byte{Flag}, n) }

// sleepState tracks whether the peer sleeps.
type sleepState struct {
	mu     sync.Mutex
	asleep bool
	waking bool          // wakePeer is sending flags
	heard  chan struct{} // closed when the peer is heard while asleep
}

// enter records that the peer went to sleep.
func (s *sleepState) enter() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asleep, s.heard = true, make(chan struct{})
}

// heardPeer is called by routineRead for every read with data: a
// sleeping peer is awake again. It reports whether the peer woke up by
// itself, so that it gets flags back.
func (s *sleepState) heardPeer() (answer bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.asleep {
		return false
	}
	s.asleep = false
	close(s.heard)
	return !s.waking
}

// wakePeer wakes a sleeping peer before a write; m.wmu is held.
func (m *Mux) wakePeer() {
	s := &m.sleep
	s.mu.Lock()
	if !s.asleep {
		s.mu.Unlock()
		return
	}
	s.waking = true
	heard := s.heard
	s.mu.Unlock()
	m.log.Debug("cmux: waking the peer")
	for range m.cfg.N2 + 1 {
		if _, err := m.port.Write(flags(wakeRun)); err != nil || m.waitHeard(heard) {
			break
		}
	}
	s.mu.Lock()
	if s.asleep {
		m.log.Debug("cmux: peer did not answer the wake-up flags; sending anyway")
		s.asleep = false
		close(s.heard)
	}
	s.waking = false
	s.mu.Unlock()
}

// waitHeard waits up to T1 for heard; it reports whether it closed (or
// the multiplexer ended).
func (m *Mux) waitHeard(heard <-chan struct{}) bool {
	timeout := make(chan struct{})
	t := m.clk.AfterFunc(m.cfg.T1, func() { close(timeout) })
	defer t.Stop()
	select {
	case <-heard:
		return true
	case <-m.quit:
		return true
	case <-timeout:
		return false
	}
}

package gprsppp

import (
	"github.com/gprsppp/gprsppp/dialer"
)

// dialState is what a Supervisor's dials found, for ShimBackend to report
// the modem as it is.
type dialState struct {
	link    *Link           // the link up, if any
	dialing bool            // a dial is running
	err     error           // why the last finished dial failed; nil if it brought a link up, or none has finished
	lastUp  *dialer.Connect // what the last successful dial read of the modem, if any dial succeeded
	stopped bool
}

func (s *Supervisor) dialState() dialState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := dialState{dialing: s.dialing && !s.stopped, err: s.dialErr, lastUp: s.lastUp, stopped: s.stopped}
	if s.cur != nil && s.cur.Err() == nil {
		st.link = s.cur
	}
	return st
}

// dialStarted records that a dial is running.
func (s *Supervisor) dialStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dialing = true
	close(s.changed)
	s.changed = make(chan struct{})
}

// dialEnded records how a dial ended: with link l up, or failing with err.
func (s *Supervisor) dialEnded(l *Link, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dialing, s.dialErr = false, err
	if err == nil {
		c := l.Modem()
		s.lastUp = &c
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

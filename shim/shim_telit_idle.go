package shim

import (
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp/modemsock"
)

// telitIdlePoll is how often a socket's inactivity timeout looks for
// traffic: the timeout closes a connection at most this much late.
const telitIdlePoll = time.Second

// telitWatchIdle closes k's connection once no data went either way for
// k.maxTo seconds (AT#SCFG's maxTo, AT#SKTTO; 0: never): NO CARRIER if
// it is the port's online socket, "NO CARRIER: <connId>,3" under
// AT#SCFGEXT2's noCarrierMode for a command-mode one, and
// AT#SLASTCLOSURE's cause 3, inactivity timeout. Traffic is what the
// socket core counts: octets sent, received and buffered.
func (s *shimSession) telitWatchIdle(k *telitSocket) {
	if k.maxTo == 0 || k.sock == nil {
		return
	}
	sock, limit := k.sock, time.Duration(k.maxTo)*time.Second
	traffic := func() int {
		sent, _ := sock.Counters()
		return sent + k.received + sock.Buffered()
	}
	last, since := traffic(), s.cfg.Clock.Now()
	var check func()
	check = func() {
		if !s.tl().socks.Holds(k.id, k) || k.sock != sock || sock.State() != modemsock.Connected {
			return // closed, or replaced by another connection
		}
		now := s.cfg.Clock.Now()
		if n := traffic(); n != last {
			last, since = n, now
		}
		if left := limit - now.Sub(since); left > 0 {
			s.afterFunc(min(left, telitIdlePoll), check)
			return
		}
		s.telitIdleClose(k)
	}
	s.afterFunc(min(limit, telitIdlePoll), check)
}

// telitIdleClose closes k for inactivity.
func (s *shimSession) telitIdleClose(k *telitSocket) {
	p := k.port
	p.log.Debug("shim: inactivity timeout", "id", k.id, "maxTo", k.maxTo)
	k.closure = 3
	if d := p.data; d != nil && d.owner == k {
		p.telitRelease(k, true) // NO CARRIER
		return
	}
	p.telitRelease(k, false)
	if s.tl().cfg[k.id].noCarrier != 0 {
		p.line(fmt.Sprintf("NO CARRIER: %d,3", k.id))
	}
}

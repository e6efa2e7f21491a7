package session

import (
	"math"
	"time"
)

// CoDel's parameters (RFC 8289 §4.2, §4.3), scaled to the line's rate
// as CAKE does: a target of at least one and a half frames of line
// time, so that a slow line, where one frame takes longer than CoDel's
// 5 ms, is not starved by drops, and an interval of at least a round
// trip.
const (
	codelTarget   = 5 * time.Millisecond
	codelInterval = 100 * time.Millisecond
	// fqQuantum is the octets a flow may send per round of the deficit
	// round robin: one full-size frame (RFC 8290 §4.1 uses 1514).
	fqQuantum = 1514
)

// codelParams are CoDel's target and interval for a line.
type codelParams struct {
	target, interval time.Duration
}

// quantumFor returns the deficit round robin's quantum for a line
// carrying rate octets a second (fqQuantum while the rate is not known):
// CAKE's rate/4096 within [300, 1514] octets (cake_set_rate). On a slow
// line a quantum of a full frame lets a bulk flow send several of its
// frames in each round before a flow that was idle for a moment and
// still stands among the old flows (RFC 8290 §4.2) is served again: at
// 9600 bit/s six frames of a clamped MSS, 1.5 s of line time.
func quantumFor(rate int) int {
	if rate <= 0 {
		return fqQuantum
	}
	return max(min(rate>>12, fqQuantum), 300)
}

// codelFor returns the parameters for a line carrying rate octets a
// second: target max(5 ms, 1.5 × a frame's time), as CAKE's
// cake_set_rate, and interval max(100 ms + target − 5 ms, 8 × target).
// CAKE's interval is at least 2 × target; ours is longer because the
// buffers below the queue (a UART driver's, a modem's: 8 KiB, 0.7 s at
// 115200 bit/s, in the simulator) add to every round trip unseen, and an
// interval shorter than the round trip drops again before TCP has
// answered the last drop (with CAKE's interval, when CoDel still acted
// on a flow alone, an upload at 115200 bit/s lost about a fifth of the
// line to an empty queue). A rate of zero (not known yet) returns
// parameters that never drop.
func codelFor(rate int) codelParams {
	if rate <= 0 {
		return codelParams{}
	}
	frame := time.Duration(int64(fqQuantum) * int64(time.Second) / int64(rate))
	target := max(codelTarget, frame*3/2)
	return codelParams{target: target, interval: max(codelInterval+target-codelTarget, 8*target)}
}

// codel is one flow's CoDel state (RFC 8289 §5).
type codel struct {
	firstAbove time.Time // when the sojourn time stayed above target for an interval
	dropNext   time.Time
	count      uint32
	lastCount  uint32
	dropping   bool
}

// okToDrop reports whether a frame that waited sojourn, with backlog
// octets of its flow still queued behind it, may be dropped: the
// sojourn time has been above target for an interval.
func (c *codel) okToDrop(p codelParams, sojourn time.Duration, backlog int, now time.Time) bool {
	if p.target == 0 || sojourn < p.target || backlog <= fqQuantum {
		c.firstAbove = time.Time{}
		return false
	}
	if c.firstAbove.IsZero() {
		c.firstAbove = now.Add(p.interval)
		return false
	}
	return !now.Before(c.firstAbove)
}

// controlLaw returns when to drop next after count drops.
func controlLaw(p codelParams, t time.Time, count uint32) time.Time {
	return t.Add(time.Duration(float64(p.interval) / math.Sqrt(float64(count))))
}

package session

import "time"

// rateMeter estimates a line's rate from the octets written while the
// output queue stayed backlogged: then the writer keeps the line busy,
// and over a second the octets it hands over are what the line carries
// (one Write alone says little: it may return at once into buffers
// below, a UART driver's or a pipe's, or wait for a whole page of a
// pipe's buffer to drain). While those buffers fill, the estimate runs
// high, never low: CoDel's target, sized by it, is then that of a
// faster line.
type rateMeter struct {
	rate int // octets a second; zero until measured
	told int // the rate last reported

	start  time.Time // the start of the busy period measured; zero if none
	octets int64     // written since start
}

// rateWindow is the busy time over which the rate is measured.
const rateWindow = time.Second

// wrote takes a write of n octets that ended at end, with the queue
// still backlogged or not, and returns the estimate and whether it
// changed by more than an eighth since it was last reported.
func (m *rateMeter) wrote(n int, end time.Time, backlogged bool) (rate int, changed bool) {
	if m.start.IsZero() {
		// The write began the busy period: only what follows counts.
		if backlogged {
			m.start, m.octets = end, 0
		}
		return m.rate, false
	}
	m.octets += int64(n)
	d, octets := end.Sub(m.start), m.octets
	if !backlogged {
		m.start = time.Time{}
	}
	if d < rateWindow {
		return m.rate, false
	}
	if backlogged {
		m.start, m.octets = end, 0
	}
	return m.sample(int(octets * int64(time.Second) / int64(d)))
}

// sample averages a measured rate r into the estimate.
func (m *rateMeter) sample(r int) (rate int, changed bool) {
	if m.rate == 0 {
		m.rate = r
	} else {
		m.rate += (r - m.rate) / 2
	}
	if diff := m.rate - m.told; m.told == 0 || diff > m.told/8 || -diff > m.told/8 {
		m.told = m.rate
		return m.rate, true
	}
	return m.rate, false
}

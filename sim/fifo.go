package sim

import (
	"sync"
	"time"
)

// hdlcFlag delimits HDLC frames on the line (RFC 1662 §3.1).
const hdlcFlag = 0x7e

// fifo is a drop-tail FIFO in front of one direction of a paced line,
// as an operator's network queues toward a device: Write never waits,
// and a frame that would wait longer than the buffer's time at the line
// rate is dropped whole at the tail and counted. Nothing else manages the
// queue (no early drop, no marking, no per-flow fairness): the policy of
// the networks measured by Jiang et al., "Tackling Bufferbloat in 3G/4G
// Networks" (IMC 2012).
//
// The queue works on HDLC frames: a frame's flags and the bytes between
// them are one unit (frameEnd), and the rest of a frame follows its beginning, dropped or
// queued, so that a drop never leaves part of a frame on the line.
// Bytes without a flag (AT responses in command mode) are one unit per
// Write.
type fifo struct {
	limit int           // octets the buffer holds: its time at the line rate
	bps   int           // the line rate, for Stats
	ready chan struct{} // signalled after a push

	mu       sync.Mutex // guards the fields below
	q        [][]byte   // units waiting, oldest first
	octets   int        // octets in q
	peak     int        // the largest octets seen
	inFrame  bool       // the last unit did not end a frame
	dropping bool       // and it was dropped: so is the rest of its frame
	drops    uint64     // frames dropped
	dropped  uint64     // octets dropped
}

// newFifo returns a FIFO holding buffer of line time at bps bit/s.
func newFifo(bps int, buffer time.Duration) *fifo {
	limit := int(int64(bps) * int64(buffer) / int64(time.Second) / bitsPerByte)
	return &fifo{limit: max(limit, 1), bps: bps, ready: make(chan struct{}, 1)}
}

// push queues b, frame by frame, dropping the frames that do not fit. It
// reports how many frames it dropped.
func (f *fifo) push(b []byte) (drops int) {
	f.mu.Lock()
	for len(b) > 0 {
		n := frameEnd(b)
		unit := b[:n]
		b = b[n:]
		if !f.inFrame {
			f.dropping = f.octets+len(unit) > f.limit
			if f.dropping {
				f.drops++
				drops++
			}
		}
		f.inFrame = unit[len(unit)-1] != hdlcFlag
		if f.dropping {
			f.dropped += uint64(len(unit))
			continue
		}
		f.q = append(f.q, append([]byte(nil), unit...))
		f.octets += len(unit)
		f.peak = max(f.peak, f.octets)
	}
	f.mu.Unlock()
	select {
	case f.ready <- struct{}{}:
	default:
	}
	return drops
}

// frameEnd returns the length of the first unit of b: up to and
// including the first flag after a byte other than a flag, so that
// opening flags go with their frame, or all of b if there is none.
func frameEnd(b []byte) int {
	body := false
	for i, c := range b {
		if c != hdlcFlag {
			body = true
		} else if body {
			return i + 1
		}
	}
	return len(b)
}

// pop takes at most n octets from the head of the queue; nil if it is
// empty.
func (f *fifo) pop(n int) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.q) == 0 {
		return nil
	}
	head := f.q[0]
	if len(head) > n {
		f.q[0] = head[n:]
		head = head[:n]
	} else {
		f.q[0] = nil
		f.q = f.q[1:]
	}
	f.octets -= len(head)
	return head
}

// take returns the next bytes for the line, waiting for some; busy
// reports that they were waiting already. ok is false if done closed.
func (f *fifo) take(done <-chan struct{}) (c chunk, busy, ok bool) {
	for busy = true; ; busy = false {
		if b := f.pop(chunkSize); b != nil {
			return chunk{b: b}, busy, true
		}
		select {
		case <-f.ready:
		case <-done:
			return chunk{}, false, false
		}
	}
}

// stats returns the FIFO's counters.
func (f *fifo) stats() LineStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return LineStats{
		TxDrops:       f.drops,
		TxDropOctets:  f.dropped,
		TxQueued:      f.octets,
		TxPeakQueue:   f.peak,
		TxPeakDelay:   time.Duration(int64(f.peak) * bitsPerByte * int64(time.Second) / int64(f.bps)),
		TxBufferLimit: f.limit,
	}
}

// LineStats counts what a Line's transmit FIFO did (LineConfig.TxBuffer);
// all zero without one.
type LineStats struct {
	// TxDrops is the frames dropped at the tail of the FIFO, and
	// TxDropOctets their octets.
	TxDrops      uint64 `json:"tx_drops"`
	TxDropOctets uint64 `json:"tx_drop_octets"`
	// TxQueued is the octets waiting now; TxPeakQueue the most that ever
	// waited, and TxPeakDelay the line time that took.
	TxQueued    int           `json:"tx_queued"`
	TxPeakQueue int           `json:"tx_peak_queue"`
	TxPeakDelay time.Duration `json:"tx_peak_delay"`
	// TxBufferLimit is the octets the FIFO holds.
	TxBufferLimit int `json:"tx_buffer_limit"`
}

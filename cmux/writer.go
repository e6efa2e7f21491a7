package cmux

import (
	"fmt"
	"sync"
)

// maxQueued bounds the control frames waiting for the port; past it
// (a peer flooding Test commands while the line is stuck) replies are
// dropped and counted.
const maxQueued = 256

// writeQueue holds the control frames the loop sends, in order, for
// routineWrite, so that the loop never waits for the port.
type writeQueue struct {
	mu     sync.Mutex
	frames [][]byte
	end    func() // set by finish: run once the queue is empty
	wake   chan struct{}
}

func newWriteQueue() writeQueue { return writeQueue{wake: make(chan struct{}, 1)} }

// push queues a frame (nil: the peer sleeps from here); it reports
// false if the queue is full.
func (q *writeQueue) push(b []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.frames) >= maxQueued || q.end != nil {
		return false
	}
	q.frames = append(q.frames, b)
	q.signal()
	return true
}

// finish makes routineWrite run end and stop once the queue is written.
func (q *writeQueue) finish(end func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.end = end
	q.signal()
}

func (q *writeQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take returns the queued frames and, once finish was called, the
// function to run after them.
func (q *writeQueue) take() ([][]byte, func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	f := q.frames
	q.frames = nil
	return f, q.end
}

// routineWrite writes the loop's control frames to the port.
func (m *Mux) routineWrite() {
	defer m.wg.Done()
	failed := false
	for range m.wq.wake {
		frames, end := m.wq.take()
		for _, b := range frames {
			if failed {
				break
			}
			if b == nil {
				// The PSC response is out: the peer sleeps.
				m.sleep.enter()
				continue
			}
			if err := m.writePort(b); err != nil {
				failed = true
				m.post(func() { m.finish(fmt.Errorf("cmux: port: %w", err)) })
			}
		}
		if end != nil {
			end()
			return
		}
	}
}

// writePort writes b, one or more whole frames, to the port.
func (m *Mux) writePort(b []byte) error {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	m.wakePeer()
	_, err := m.port.Write(b)
	return err
}

// send queues frame f for the port.
func (m *Mux) send(f Frame) {
	if f.DLCI == 0 || f.Type != UIH {
		m.log.Debug("cmux: send", "frame", f)
	}
	if !m.wq.push(f.Append(nil)) {
		m.stats.queueDrops.Add(1)
		m.log.Debug("cmux: control queue full, frame dropped", "frame", f)
	}
}

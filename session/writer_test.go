package session

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
)

// clockLine is a serial line on a manual clock: each Write takes the
// line's time for its octets (none when rate is 0) and records when each
// frame's closing flag went out.
type clockLine struct {
	clk   *clock.Manual
	rate  int           // octets a second; 0 carries them at once
	wrote chan struct{} // signalled after each Write

	mu     sync.Mutex // guards the fields below
	frames [][]byte   // frames carried, flags stripped
	ends   []time.Time
	cur    []byte // the frame being carried
}

func newClockLine(clk *clock.Manual, rate int) *clockLine {
	return &clockLine{clk: clk, rate: rate, wrote: make(chan struct{}, 1)}
}

func (l *clockLine) Write(b []byte) (int, error) {
	start := l.clk.Now()
	l.mu.Lock()
	for i, c := range b {
		switch {
		case c != 0x7e:
			l.cur = append(l.cur, c)
		case len(l.cur) > 0:
			l.frames = append(l.frames, l.cur)
			l.ends = append(l.ends, start.Add(l.octetTime(i+1)))
			l.cur = nil
		}
	}
	l.mu.Unlock()
	l.clk.Advance(l.octetTime(len(b)))
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return len(b), nil
}

func (l *clockLine) octetTime(n int) time.Duration {
	if l.rate == 0 {
		return 0
	}
	return time.Duration(n) * time.Second / time.Duration(l.rate)
}

// carried returns the frames the line carried whose contents hold mark,
// and when each finished.
func (l *clockLine) carried(mark []byte) []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ends []time.Time
	for i, f := range l.frames {
		if bytes.Contains(f, mark) {
			ends = append(ends, l.ends[i])
		}
	}
	return ends
}

func (l *clockLine) Read([]byte) (int, error) { return 0, io.EOF }
func (l *clockLine) Close() error             { return nil }

// startWriter runs only the output queue of a session on line, with
// packets queued before it starts.
func startWriter(t *testing.T, line *clockLine, packets ...[]byte) *Session {
	s := &Session{cfg: Config{Clock: line.clk}, rw: line, ioErr: make(chan error, 1), done: make(chan struct{})}
	s.w.init(s)
	for _, p := range packets {
		if err := s.w.enqueue(ppp.ProtocolIPv4, p); err != nil {
			t.Fatal(err)
		}
	}
	s.wg.Add(1)
	go s.w.routineWrite()
	t.Cleanup(func() {
		close(s.done)
		s.wg.Wait()
	})
	return s
}

// A burst larger than the line carries in MaxQueueDelay, as a TCP sender
// with a large congestion window sends, reaches the line within
// MaxQueueDelay or is dropped (by CoDel, or at the limit), however slow
// the line: the writer does not gather more into one Write than the line
// takes in about batchTime.
func TestQueueDelayBoundsBurst(t *testing.T) {
	const burst, size = 40, 1500
	burstMark := bytes.Repeat([]byte("B"), size)
	lastMark := bytes.Repeat([]byte("L"), size)
	tests := []struct {
		name     string
		rate     int // octets a second
		wantSent int // at least
	}{
		{name: "115200 bit/s", rate: 11520, wantSent: 14},
		{name: "in memory", rate: 0, wantSent: burst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewManual(time.Unix(0, 0))
			line := newClockLine(clk, tt.rate)
			t0 := clk.Now()
			packets := make([][]byte, burst)
			for i := range packets {
				packets[i] = burstMark
			}
			s := startWriter(t, line, packets...)
			// Once the burst has aged past the limit, a last packet
			// shows when the writer has dealt with all of it.
			lastSent := false
			deadline := time.After(10 * time.Second)
			for len(line.carried(burstMark)) < burst && len(line.carried(lastMark)) == 0 {
				select {
				case <-line.wrote:
				case <-deadline:
					t.Fatalf("after 10 s the line carried %d of %d frames", len(line.carried(burstMark)), burst)
				}
				if !lastSent && clk.Now().Sub(t0) > MaxQueueDelay {
					if err := s.w.enqueue(ppp.ProtocolIPv4, lastMark); err != nil {
						t.Fatal(err)
					}
					lastSent = true
				}
			}
			ends := line.carried(burstMark)
			frameTime := line.octetTime(size + 8)
			for i, end := range ends {
				if d := end.Sub(t0); d > MaxQueueDelay+batchTime+frameTime {
					t.Errorf("frame %d of the burst reached the line after %v, want at most %v + %v + %v",
						i, d, MaxQueueDelay, batchTime, frameTime)
					break
				}
			}
			if len(ends) < tt.wantSent {
				t.Errorf("the line carried %d frames of the burst, want at least %d", len(ends), tt.wantSent)
			}
			st := s.Stats()
			if got, want := int(st.QueueDrops+st.CodelDrops), burst-len(ends); got != want {
				t.Errorf("QueueDrops + CodelDrops = %d + %d, want %d", st.QueueDrops, st.CodelDrops, want)
			}
		})
	}
}

// Stats.PeakQueueDelay is the longest a packet the line carried waited;
// a packet dropped for waiting past MaxQueueDelay does not count.
func TestPeakQueueDelay(t *testing.T) {
	clk := clock.NewManual(time.Unix(0, 0))
	line := newClockLine(clk, 11520)
	late, sent := bytes.Repeat([]byte("A"), 100), bytes.Repeat([]byte("B"), 100)
	s := &Session{cfg: Config{Clock: clk}, rw: line, ioErr: make(chan error, 1), done: make(chan struct{})}
	s.w.init(s)
	if got := s.Stats().PeakQueueDelay; got != 0 {
		t.Fatalf("PeakQueueDelay before any packet = %v, want 0", got)
	}
	s.w.enqueue(ppp.ProtocolIPv4, late)
	clk.Advance(MaxQueueDelay)
	s.w.enqueue(ppp.ProtocolIPv4, sent)
	clk.Advance(700 * time.Millisecond)
	s.wg.Add(1)
	go s.w.routineWrite()
	t.Cleanup(func() {
		close(s.done)
		s.wg.Wait()
	})
	select {
	case <-line.wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing written within 10 s")
	}
	if n := len(line.carried(sent)); n != 1 {
		t.Fatalf("the line carried the second packet %d times, want once", n)
	}
	st := s.Stats()
	if st.PeakQueueDelay != 700*time.Millisecond || st.QueueDrops != 1 {
		t.Errorf("PeakQueueDelay %v, QueueDrops %d; want 700ms and 1", st.PeakQueueDelay, st.QueueDrops)
	}
}

// queuedLine is a clockLine whose driver queue it reports, as a tty's
// TIOCOUTQ does: what was written and the line has not carried by the
// clock's time.
type queuedLine struct {
	*clockLine
	mu     sync.Mutex // guards until
	until  time.Time  // when the line will have carried all it was given
	writes chan int   // the queue each Write found
}

func (l *queuedLine) Write(b []byte) (int, error) {
	now := l.clk.Now()
	l.mu.Lock()
	found := l.queuedAt(now)
	if l.until.Before(now) {
		l.until = now
	}
	l.until = l.until.Add(l.octetTime(len(b)))
	l.mu.Unlock()
	l.writes <- found
	l.clockLine.mu.Lock()
	l.frames = append(l.frames, b)
	l.clockLine.mu.Unlock()
	return len(b), nil
}

// queuedAt is the octets not carried yet at now; l.mu is held.
func (l *queuedLine) queuedAt(now time.Time) int {
	if !now.Before(l.until) {
		return 0
	}
	return int(l.until.Sub(now) * time.Duration(l.rate) / time.Second)
}

func (l *queuedLine) OutputQueued() (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.queuedAt(l.clk.Now()), nil
}

// Once it knows the line's rate, the writer keeps what the line's
// driver holds to about lowWater of line time, and the rest in the
// flow queue, instead of filling the driver's buffer.
func TestWriterLimitsLineQueue(t *testing.T) {
	const rate = 11520 // 115200 bit/s
	clk := clock.NewManual(time.Unix(0, 0))
	line := &queuedLine{clockLine: newClockLine(clk, rate), writes: make(chan int, 64)} // never blocks the writer
	// Told the rate (Config.LineRate), the writer limits the driver
	// from the first frame, before it has measured the line.
	s := &Session{cfg: Config{Clock: clk, LineRate: rate}, rw: line, ioErr: make(chan error, 1), done: make(chan struct{})}
	s.w.init(s)
	pkt := bytes.Repeat([]byte("D"), 1000)
	for range 40 { // 3.5 s of line time, more than a driver's buffer
		s.w.enqueue(ppp.ProtocolIPv4, pkt)
	}
	s.wg.Add(1)
	go s.w.routineWrite()
	t.Cleanup(func() {
		close(s.done)
		s.wg.Wait()
	})
	// The driver holds at most lowWater of line time when the writer
	// hands it the next batch; the writer's measured rate, which runs
	// high, may allow a little more. Without the limit the writer hands
	// the line everything at once.
	limit := 2 * rate * int(lowWater/time.Millisecond) / 1000
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; i < 10; {
		select {
		case found := <-line.writes:
			if found > limit {
				t.Fatalf("write %d found %d octets in the driver, want at most %d", i, found, limit)
			}
			i++
			continue
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes within 10 s", i)
		}
		// The line carries what it was given while the writer waits
		// for it.
		if clk.Pending() > 0 {
			clk.Advance(10 * time.Millisecond)
		} else {
			runtime.Gosched()
		}
	}
}

package sim

import (
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// Line timing parameters.
const (
	// bitsPerByte is the cost of a byte on an 8N1 serial line: a start
	// bit, eight data bits and a stop bit.
	bitsPerByte = 10
	// txBufferChunks and chunkSize bound each direction's transmit
	// buffer, like a UART's FIFO with the driver's buffer behind it:
	// 8 × 512 bytes.
	txBufferChunks = 8
	chunkSize      = 512
	// pieceTime is the time on the wire of the pieces a chunk is sent in:
	// the granularity of the pacing.
	pieceTime = 2 * time.Millisecond
	// catchUp is how far a busy line may fall behind its schedule (late
	// timers on a loaded machine) and still keep it, by sending what is
	// due at once; after a longer stall (the far end stopped reading) the
	// schedule restarts from now.
	catchUp = 250 * time.Millisecond
	// maxInFlight bounds the pieces travelling through the latency.
	maxInFlight = 4096
	// rxHold is the line time the receive direction holds beyond what
	// it is sending, a UART's hardware FIFO: the far end's bytes wait in
	// its own driver, where it can see them (TIOCOUTQ), rather than
	// inside the line.
	rxHold = 10 * time.Millisecond
)

// Pace returns rw with the timing of a serial line in each direction:
// bytes move at bitsPerSecond, 10 bits a byte as with 8N1 framing, and
// each arrives latency after it was sent. Each direction has a transmit
// buffer: 4 KiB for Write, which blocks while it is full, as on a UART;
// for bytes read from rw, about rxHold of line time (at most 4 KiB), read
// from rw only as the line carries them, so that what the far end wrote
// waits in its own driver, and a reader that stops reading stops the
// other end too.
//
// bitsPerSecond <= 0 carries bytes at once, after the latency only; with
// latency zero as well, Pace returns rw itself. clk drives the timing;
// nil means the system clock. The pacing keeps to the rate over time:
// a late timer is made up for on a busy line.
//
// The result is safe for one reader and concurrent writers. Close closes
// rw, discards bytes not yet delivered and waits for Pace's goroutines,
// which needs rw.Close to unblock a pending rw.Read.
func Pace(rw io.ReadWriteCloser, bitsPerSecond int, latency time.Duration, clk clock.Clock) io.ReadWriteCloser {
	if bitsPerSecond <= 0 && latency <= 0 {
		return rw
	}
	return PaceLine(rw, LineConfig{BitsPerSecond: bitsPerSecond, Latency: latency, Clock: clk})
}

// LineConfig describes a line for PaceLine. Zero values take the
// defaults given.
type LineConfig struct {
	// BitsPerSecond is the line rate each way, 10 bits a byte; zero
	// carries bytes at once.
	BitsPerSecond int
	// Latency delays each byte this long each way; zero adds none.
	Latency time.Duration
	// TxBuffer, if positive and the line has a rate, puts a drop-tail
	// FIFO holding TxBuffer of line time in front of the direction Write
	// feeds, in place of its blocking 4 KiB buffer: Write never waits,
	// and an HDLC frame that would wait longer than TxBuffer to start on
	// the line is dropped whole and counted (Stats), as an operator's
	// network drops toward a device. In the simulator that direction is
	// the downlink. Zero keeps the blocking buffer.
	TxBuffer time.Duration
	// Clock drives the timing; nil means the system clock.
	Clock clock.Clock
	// Logger receives the FIFO's drops at info level (the first of each
	// run of drops, and the totals at Close); nil is silent.
	Logger *slog.Logger
}

// PaceLine returns rw with the timing cfg describes; see Pace, which is
// PaceLine without a FIFO.
func PaceLine(rw io.ReadWriteCloser, cfg LineConfig) *Line {
	clk := cfg.Clock
	if clk == nil {
		clk = clock.Real
	}
	p := &Line{rw: rw, done: make(chan struct{}), ready: make(chan chunk), log: cfg.Logger, rxRead: chunkSize}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	bps, latency := cfg.BitsPerSecond, cfg.Latency
	p.tx = newPacer(clk, bps, latency, p.done, p.writeLine)
	p.rx = newPacer(clk, bps, latency, p.done, p.toReader)
	if bps > 0 {
		p.rxRead = min(p.rx.piece, chunkSize)
		hold := int64(bps) * int64(rxHold) / int64(time.Second) / bitsPerByte
		p.rx.in = make(chan chunk, min(max(int(hold)/p.rxRead, 1), txBufferChunks))
	}
	if cfg.TxBuffer > 0 && bps > 0 {
		p.tx.fifo = newFifo(bps, cfg.TxBuffer)
	}
	p.wg.Add(5)
	go p.routineReadLine()
	for _, d := range []*pacer{p.tx, p.rx} {
		go func() {
			defer p.wg.Done()
			d.routineSerialise()
		}()
		go func() {
			defer p.wg.Done()
			d.routineDeliver()
		}()
	}
	return p
}

// chunk is bytes on their way, or the error that ends the stream.
type chunk struct {
	b   []byte
	err error
	at  time.Time // when it arrives at the far end
}

// Line is a byte stream with a serial line's timing (Pace, PaceLine).
type Line struct {
	rw     io.ReadWriteCloser
	tx, rx *pacer
	rxRead int        // the most routineReadLine reads from rw at a time
	ready  chan chunk // delivered chunks for Read
	done   chan struct{}
	once   sync.Once
	wg     sync.WaitGroup

	rmu     sync.Mutex // guards pending and rerr
	pending []byte
	rerr    error

	wmu      sync.Mutex // guards werr and dropping
	werr     error
	dropping bool // the FIFO dropped the last frame written

	log *slog.Logger
}

// Stats returns the counters of the transmit FIFO, all zero without one.
func (p *Line) Stats() LineStats {
	if p.tx.fifo == nil {
		return LineStats{}
	}
	return p.tx.fifo.stats()
}

func (p *Line) Read(b []byte) (int, error) {
	p.rmu.Lock()
	defer p.rmu.Unlock()
	for len(p.pending) == 0 {
		if p.rerr != nil {
			return 0, p.rerr
		}
		select {
		case c := <-p.ready:
			p.pending, p.rerr = c.b, c.err
		case <-p.done:
			return 0, io.ErrClosedPipe
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// Write queues b in the transmit buffer, blocking while it is full. It
// returns the error of an earlier write to rw, if any.
func (p *Line) Write(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		p.wmu.Lock()
		err := p.werr
		p.wmu.Unlock()
		select {
		case <-p.done:
			err = io.ErrClosedPipe
		default:
		}
		if err != nil {
			return n, err
		}
		if p.tx.fifo != nil {
			p.push(b)
			return len(b), nil
		}
		k := min(len(b)-n, chunkSize)
		select {
		case p.tx.in <- chunk{b: append([]byte(nil), b[n:n+k]...)}:
			n += k
		case <-p.done:
			return n, io.ErrClosedPipe
		}
	}
	return n, nil
}

// push queues b in the FIFO, logging the first drop of a run.
func (p *Line) push(b []byte) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	drops := p.tx.fifo.push(b)
	if drops > 0 && !p.dropping {
		s := p.tx.fifo.stats()
		p.log.Info("line: transmit buffer full, dropping at the tail", "drops", s.TxDrops, "buffer_octets", s.TxBufferLimit)
	}
	p.dropping = drops > 0
}

func (p *Line) Close() error {
	var err error
	p.once.Do(func() {
		close(p.done)
		err = p.rw.Close()
		p.wg.Wait()
		if s := p.Stats(); s.TxDrops > 0 {
			p.log.Info("line: transmit buffer", "drops", s.TxDrops, "drop_octets", s.TxDropOctets, "peak_delay", s.TxPeakDelay)
		}
	})
	return err
}

// routineReadLine reads rw into the receive direction's buffer.
func (p *Line) routineReadLine() {
	defer p.wg.Done()
	for {
		buf := make([]byte, p.rxRead)
		n, err := p.rw.Read(buf)
		if n > 0 {
			select {
			case p.rx.in <- chunk{b: buf[:n]}:
			case <-p.done:
				return
			}
		}
		if err != nil {
			select {
			case p.rx.in <- chunk{err: err}:
			case <-p.done:
			}
			return
		}
	}
}

// writeLine delivers the transmit direction's bytes to rw.
func (p *Line) writeLine(c chunk) bool {
	if _, err := p.rw.Write(c.b); err != nil {
		p.wmu.Lock()
		p.werr = err
		p.wmu.Unlock()
		return false
	}
	return true
}

// toReader delivers the receive direction's bytes to Read.
func (p *Line) toReader(c chunk) bool {
	select {
	case p.ready <- c:
		return c.err == nil
	case <-p.done:
		return false
	}
}

// pacer is one direction of a paced line: routineSerialise takes bytes
// from the transmit buffer at the line's rate, and routineDeliver hands
// them on once the latency has passed.
type pacer struct {
	clk     clock.Clock
	bps     int
	latency time.Duration
	piece   int           // bytes sent at a time
	in      chan chunk    // the transmit buffer
	fifo    *fifo         // replaces in, if set
	wire    chan chunk    // bytes sent and travelling
	done    chan struct{} // closed when the line closes
	deliver func(chunk) bool

	// Owned by routineSerialise: the line finishes sending what it has
	// taken at base plus the time of sent bytes.
	base time.Time
	sent int64
}

func newPacer(clk clock.Clock, bps int, latency time.Duration, done chan struct{}, deliver func(chunk) bool) *pacer {
	piece := chunkSize
	if bps > 0 {
		piece = max(1, int(int64(bps)*int64(pieceTime)/int64(time.Second)/bitsPerByte))
	}
	return &pacer{
		clk: clk, bps: bps, latency: latency, piece: piece,
		in:      make(chan chunk, txBufferChunks),
		wire:    make(chan chunk, maxInFlight),
		done:    done,
		deliver: deliver,
	}
}

// routineSerialise moves bytes from the transmit buffer onto the wire at
// the line's rate.
func (p *pacer) routineSerialise() {
	for {
		// busy: the line had bytes waiting, so it keeps to the schedule.
		c, busy, ok := p.take()
		if !ok {
			return
		}
		// A line that was idle restarts its schedule from now; one that
		// took the next bytes within a piece's time of finishing the
		// last keeps it (the bytes were on their way from rw: a late
		// wake-up is not idleness, and restarting at each would slow
		// the line by every timer's lateness).
		if now := p.clk.Now(); p.bps <= 0 || !busy && now.Sub(p.schedule()) > pieceTime || p.schedule().Before(now.Add(-catchUp)) {
			p.base, p.sent = now, 0
		}
		if c.err != nil {
			c.at = p.schedule().Add(p.latency)
			p.send(c)
			return
		}
		for len(c.b) > 0 {
			k := min(len(c.b), p.piece)
			if p.bps > 0 {
				p.sent += int64(k)
				if !sleepUntil(p.clk, p.schedule(), p.done) {
					return
				}
			}
			if !p.send(chunk{b: c.b[:k], at: p.schedule().Add(p.latency)}) {
				return
			}
			c.b = c.b[k:]
		}
		if p.sent > 1<<20 {
			p.base, p.sent = p.schedule(), 0 // keep sent × 10 s far from overflow
		}
	}
}

// take returns the next bytes for the line, waiting for some; busy
// reports that they were waiting already. ok is false once the line has
// closed.
func (p *pacer) take() (c chunk, busy, ok bool) {
	if p.fifo != nil {
		return p.fifo.take(p.done)
	}
	select {
	case c = <-p.in:
		return c, true, true
	default:
	}
	select {
	case c = <-p.in:
		return c, false, true
	case <-p.done:
		return c, false, false
	}
}

// schedule returns when the line finishes sending the bytes it has taken.
func (p *pacer) schedule() time.Time {
	if p.bps <= 0 {
		return p.base
	}
	return p.base.Add(time.Duration(p.sent * bitsPerByte * int64(time.Second) / int64(p.bps)))
}

func (p *pacer) send(c chunk) bool {
	select {
	case p.wire <- c:
		return true
	case <-p.done:
		return false
	}
}

// routineDeliver hands bytes on when they arrive at the far end.
func (p *pacer) routineDeliver() {
	for {
		select {
		case c := <-p.wire:
			if !sleepUntil(p.clk, c.at, p.done) || !p.deliver(c) {
				return
			}
		case <-p.done:
			return
		}
	}
}

// sleepUntil waits until clk reaches t; false if done closed first.
func sleepUntil(clk clock.Clock, t time.Time, done <-chan struct{}) bool {
	d := t.Sub(clk.Now())
	if d <= 0 {
		return true
	}
	wake := make(chan struct{})
	timer := clk.AfterFunc(d, func() { close(wake) })
	select {
	case <-wake:
		return true
	case <-done:
		timer.Stop()
		return false
	}
}

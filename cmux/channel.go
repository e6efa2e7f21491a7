package cmux

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// Channel is one data link connection (DLC) of a multiplexer: an
// io.ReadWriteCloser carrying the octets of its UIH frames, so that an AT
// dialogue or PPP runs on it as on a serial port.
//
// Read returns the data the peer sent, in order; once the channel has
// closed and the data is read, it fails with ErrChannelClosed wrapping
// the reason. Write splits its data into frames of at most the DLC's N1
// octets and blocks, losing nothing, while the peer has asked to stop
// (MSC with FC, or FCoff). The peer's V.24 signals (its DV is the
// channel's carrier) are Signals. SetReadDeadline bounds reads, so a
// channel is a device.Port for the dialer. A Channel is safe for one
// reader and concurrent writers; Close may be called at any time.
type Channel struct {
	m    *Mux
	dlci int
	n1   int
	done chan struct{} // closed when the channel closes

	mu        sync.Mutex // guards the fields below
	rx        bytes.Buffer
	readable  chan struct{} // signalled when rx grows or the channel closes
	throttled bool          // we sent FC
	peer      V24
	aggOff    bool          // the peer sent FCoff
	changed   chan struct{} // closed and replaced when peer, aggOff or err change
	err       error         // why the channel closed, nil while open
	rdl       chan struct{} // closed when the read deadline passes; nil: none
	rdlTimer  clock.Timer

	wmu  sync.Mutex // one Write at a time
	wbuf []byte
	once sync.Once
}

var _ io.ReadWriteCloser = (*Channel)(nil)

func newChannel(m *Mux, dlci, n1 int, aggOff bool) *Channel {
	return &Channel{
		m: m, dlci: dlci, n1: n1, aggOff: aggOff,
		done:     make(chan struct{}),
		readable: make(chan struct{}, 1),
		changed:  make(chan struct{}),
	}
}

// DLCI returns the channel's DLCI.
func (c *Channel) DLCI() int { return c.dlci }

// N1 returns the longest information field the channel sends, as
// configured or negotiated with PN.
func (c *Channel) N1() int { return c.n1 }

// Done is closed when the channel has closed.
func (c *Channel) Done() <-chan struct{} { return c.done }

// Err returns why the channel closed, nil while it is open.
func (c *Channel) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Signals returns the V.24 signals of the peer's last MSC for this DLC
// (zero before any).
func (c *Channel) Signals() V24 {
	s, _ := c.WatchSignals()
	return s
}

// WatchSignals returns the peer's signals and a channel closed when they
// next change or the channel closes.
func (c *Channel) WatchSignals() (V24, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peer, c.changed
}

// changedLocked wakes the watchers; c.mu is held.
func (c *Channel) changedLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Read reads data the peer sent. Past the read deadline it fails with
// an error for which errors.Is(err, os.ErrDeadlineExceeded) holds.
func (c *Channel) Read(b []byte) (int, error) {
	for {
		c.mu.Lock()
		if c.rx.Len() > 0 {
			n, _ := c.rx.Read(b)
			resume := c.throttled && c.rx.Len() <= c.m.cfg.RxBuffer/8
			if resume {
				c.throttled = false
			}
			c.mu.Unlock()
			if resume {
				c.m.post(func() { c.m.resume(c) })
			}
			return n, nil
		}
		err, deadline := c.err, c.rdl
		c.mu.Unlock()
		if err != nil {
			return 0, err
		}
		select {
		case <-deadline:
			return 0, fmt.Errorf("cmux: read DLCI %d: %w", c.dlci, os.ErrDeadlineExceeded)
		default:
		}
		select {
		case <-c.readable:
		case <-c.done:
		case <-deadline:
		}
	}
}

// SetReadDeadline bounds pending and future Reads, on the multiplexer's
// clock; the zero time removes the bound.
func (c *Channel) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rdlTimer != nil {
		c.rdlTimer.Stop()
		c.rdlTimer = nil
	}
	c.rdl = nil
	if !t.IsZero() {
		passed := make(chan struct{})
		c.rdl = passed
		if d := t.Sub(c.m.clk.Now()); d > 0 {
			c.rdlTimer = c.m.clk.AfterFunc(d, func() { close(passed) })
		} else {
			close(passed)
		}
	}
	// A pending Read takes the new deadline.
	select {
	case c.readable <- struct{}{}:
	default:
	}
	return nil
}

// push appends data from the loop: it reports whether the peer must be
// asked to stop, and whether data was dropped for want of room.
func (c *Channel) push(b []byte) (throttle, dropped bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return false, false
	}
	limit := c.m.cfg.RxBuffer
	if c.rx.Len()+len(b) > limit {
		return false, true
	}
	c.rx.Write(b)
	if !c.throttled && c.rx.Len() > limit/4 {
		c.throttled = true
		throttle = true
	}
	select {
	case c.readable <- struct{}{}:
	default:
	}
	return throttle, false
}

// resume lets the peer send again once the reader drained the buffer.
func (m *Mux) resume(c *Channel) {
	if d := m.dlcs[c.dlci]; d != nil && d.ch == c && d.state == dlcOpen {
		m.syncFC(d)
	}
}

// Buffered returns the octets received and not yet read (at most the
// multiplexer's RxBuffer).
func (c *Channel) Buffered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rx.Len()
}

// isThrottled reports whether the peer is to hold its data back.
func (c *Channel) isThrottled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.throttled
}

// setPeer records the peer's signals.
func (c *Channel) setPeer(s V24) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s != c.peer {
		c.peer = s
		c.changedLocked()
	}
}

// setAggregate records FCon / FCoff.
func (c *Channel) setAggregate(off bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if off != c.aggOff {
		c.aggOff = off
		c.changedLocked()
	}
}

// fail closes the channel with reason err (the first reason holds).
func (c *Channel) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = fmt.Errorf("%w (DLCI %d): %w", ErrChannelClosed, c.dlci, err)
	c.changedLocked()
	close(c.done)
}

// maxBatch bounds the octets of frames one Write hands the port at once,
// so that control frames get a turn on a slow line.
const maxBatch = 2048

// Write sends b in UIH frames of at most N1 octets, blocking while the
// peer has stopped the flow.
func (c *Channel) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	n := 0
	for n < len(b) {
		if err := c.waitFlow(); err != nil {
			return n, err
		}
		c.wbuf = c.wbuf[:0]
		k := n
		for k < len(b) && len(c.wbuf) < maxBatch {
			end := min(len(b), k+c.n1)
			c.wbuf = Frame{DLCI: c.dlci, CR: c.m.cmdCR(), Type: UIH, Info: b[k:end]}.Append(c.wbuf)
			k = end
		}
		if err := c.m.writePort(c.wbuf); err != nil {
			c.m.post(func() { c.m.finish(fmt.Errorf("cmux: port: %w", err)) })
			return n, fmt.Errorf("%w (DLCI %d): %w", ErrChannelClosed, c.dlci, err)
		}
		n = k
	}
	return n, nil
}

// waitFlow waits until the peer accepts data, or fails once the channel
// is closed.
func (c *Channel) waitFlow() error {
	for {
		c.mu.Lock()
		err, stopped, changed := c.err, c.peer&FC != 0 || c.aggOff, c.changed
		c.mu.Unlock()
		if err != nil {
			return err
		}
		if !stopped {
			return nil
		}
		<-changed
	}
}

// Close closes the DLC (DISC, waiting at most T1 × (N2+1) for UA or DM).
// Reads and writes then fail with ErrChannelClosed. Close is idempotent.
func (c *Channel) Close() error {
	c.once.Do(func() {
		done := make(chan struct{})
		if !c.m.post(func() { c.m.closeDLC(c, done) }) {
			return
		}
		select {
		case <-done:
		case <-c.m.quit:
		}
	})
	return nil
}

package attest

import (
	"io"
	"os"
	"sync"
	"time"
)

// Line adds SetReadDeadline to a byte stream that lacks it. A Read waits
// for the underlying Read in a goroutine; when the deadline passes first it
// returns os.ErrDeadlineExceeded, and the bytes that Read brings later go
// to the next Read. The underlying Read asks for no more bytes than the
// Read that started it, so a reader taking one byte at a time never has
// more consumed on its behalf.
//
// Read is for one goroutine at a time; SetReadDeadline, Write and Close
// may be called concurrently with it.
type Line struct {
	rw io.ReadWriter

	mu       sync.Mutex
	deadline time.Time
	changed  chan struct{} // closed and replaced when the deadline changes
	inflight chan chunk    // the underlying Read under way, or nil
	rest     []byte        // read from rw, not yet returned
	restErr  error         // rw's error, returned after rest
}

// chunk is the result of an underlying Read.
type chunk struct {
	b   []byte
	err error
}

// NewLine returns a Line reading and writing rw.
func NewLine(rw io.ReadWriter) *Line {
	return &Line{rw: rw, changed: make(chan struct{})}
}

// Read reads up to len(p) bytes, failing with os.ErrDeadlineExceeded if
// none arrive before the read deadline.
func (l *Line) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	l.mu.Lock()
	if n, ok, err := l.takeRest(p); ok {
		l.mu.Unlock()
		return n, err
	}
	if l.inflight == nil {
		ch := make(chan chunk, 1)
		l.inflight = ch
		go func(size int) {
			b := make([]byte, size)
			n, err := l.rw.Read(b)
			ch <- chunk{b[:n], err}
		}(len(p))
	}
	ch := l.inflight
	l.mu.Unlock()
	for {
		l.mu.Lock()
		deadline, changed := l.deadline, l.changed
		l.mu.Unlock()
		c, ev := wait(ch, deadline, changed)
		switch ev {
		case expired:
			return 0, os.ErrDeadlineExceeded
		case arrived:
			l.mu.Lock()
			defer l.mu.Unlock()
			l.inflight = nil
			l.rest, l.restErr = c.b, c.err
			n, _, err := l.takeRest(p)
			return n, err
		}
	}
}

// What ended a wait.
const (
	arrived = iota // the underlying Read returned
	expired        // the deadline passed
	changed        // the deadline changed
)

// wait waits for the underlying Read, the deadline or a change of it.
func wait(ch <-chan chunk, deadline time.Time, change <-chan struct{}) (chunk, int) {
	var timeout <-chan time.Time
	if !deadline.IsZero() {
		d := time.Until(deadline)
		if d <= 0 {
			return chunk{}, expired
		}
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case c := <-ch:
		return c, arrived
	case <-timeout:
		return chunk{}, expired
	case <-change:
		return chunk{}, changed
	}
}

// takeRest returns bytes or an error left by an earlier underlying Read.
func (l *Line) takeRest(p []byte) (int, bool, error) {
	if len(l.rest) > 0 {
		n := copy(p, l.rest)
		l.rest = l.rest[n:]
		return n, true, nil
	}
	if err := l.restErr; err != nil {
		l.restErr = nil
		return 0, true, err
	}
	return 0, false, nil
}

// Write writes p to the underlying stream.
func (l *Line) Write(p []byte) (int, error) { return l.rw.Write(p) }

// SetReadDeadline bounds pending and future Reads; the zero time removes
// the bound.
func (l *Line) SetReadDeadline(t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deadline = t
	close(l.changed)
	l.changed = make(chan struct{})
	return nil
}

// Close closes the underlying stream if it is an io.Closer, which ends a
// Read in progress.
func (l *Line) Close() error {
	if c, ok := l.rw.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

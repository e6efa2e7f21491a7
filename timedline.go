package gprsppp

import (
	"io"
	"os"
	"sync"
	"time"
)

// timedLine adds a read deadline to a byte stream that has none, such as
// a multiplexer's channel, for the dialer. A Read waits for the
// underlying Read in a goroutine; if the deadline passes first it fails
// with os.ErrDeadlineExceeded and the bytes that Read brings later go to
// the next Read. The underlying Read asks for no more than the Read that
// started it, so a reader taking one byte at a time (the dialer, up to
// CONNECT) never has more taken on its behalf.
//
// Read is for one goroutine at a time; SetReadDeadline, Write and Close
// may be called concurrently with it.
type timedLine struct {
	rw io.ReadWriteCloser

	mu       sync.Mutex
	deadline time.Time
	changed  chan struct{} // closed and replaced when the deadline changes
	inflight chan timedChunk
	buf      []byte // what the underlying Read reads into; rest aliases it
	rest     []byte // read, not yet returned
	restErr  error  // the underlying error, returned after rest
}

type timedChunk struct {
	b   []byte
	err error
}

func newTimedLine(rw io.ReadWriteCloser) *timedLine {
	return &timedLine{rw: rw, changed: make(chan struct{})}
}

func (l *timedLine) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	l.mu.Lock()
	if n, ok, err := l.takeRest(p); ok {
		l.mu.Unlock()
		return n, err
	}
	if l.inflight == nil {
		// rest is empty: the buffer is free for the next Read.
		if cap(l.buf) < len(p) {
			l.buf = make([]byte, len(p))
		}
		ch, b := make(chan timedChunk, 1), l.buf[:len(p)]
		l.inflight = ch
		go func() {
			n, err := l.rw.Read(b)
			ch <- timedChunk{b[:n], err}
		}()
	}
	ch := l.inflight
	l.mu.Unlock()
	for {
		l.mu.Lock()
		deadline, changed := l.deadline, l.changed
		l.mu.Unlock()
		var timeout <-chan time.Time
		if !deadline.IsZero() {
			d := time.Until(deadline)
			if d <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case c := <-ch:
			l.mu.Lock()
			defer l.mu.Unlock()
			l.inflight = nil
			l.rest, l.restErr = c.b, c.err
			n, _, err := l.takeRest(p)
			return n, err
		case <-timeout:
			return 0, os.ErrDeadlineExceeded
		case <-changed:
		}
	}
}

// takeRest returns what an earlier underlying Read left; l.mu is held.
func (l *timedLine) takeRest(p []byte) (int, bool, error) {
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

func (l *timedLine) Write(p []byte) (int, error) { return l.rw.Write(p) }

// SetReadDeadline bounds pending and future Reads; the zero time removes
// the bound.
func (l *timedLine) SetReadDeadline(t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deadline = t
	close(l.changed)
	l.changed = make(chan struct{})
	return nil
}

// Close closes the underlying stream, which ends a Read under way.
func (l *timedLine) Close() error { return l.rw.Close() }

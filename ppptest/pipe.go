package ppptest

import (
	"io"
	"sync"
	"sync/atomic"
)

// BufferSize is the capacity of each direction of a Pipe, in bytes.
const BufferSize = 64 << 10

// Conn is one end of a Pipe. It is safe for concurrent use: one goroutine
// may Read while others Write, Limit or Close.
type Conn struct {
	rx, tx *stream
	limit  atomic.Int64
}

var _ io.ReadWriteCloser = (*Conn)(nil)

// Pipe returns the two ends of a full-duplex in-memory byte stream. Bytes
// written to one end are read from the other in order. Each direction holds
// up to BufferSize bytes: Write blocks while the buffer is full and never
// drops data; Read blocks until data arrives or either end is closed.
//
// After Close on either end, the other end's Read returns the bytes still
// buffered and then io.EOF, the closed end's Read returns io.ErrClosedPipe,
// and Write on both ends returns io.ErrClosedPipe.
func Pipe() (a, b *Conn) {
	ab, ba := newStream(BufferSize), newStream(BufferSize)
	return &Conn{rx: ba, tx: ab}, &Conn{rx: ab, tx: ba}
}

// Limit makes each later Read return at most n bytes, so that a reader
// sees the stream split into small chunks as a UART delivers it. n <= 0
// removes the limit.
func (c *Conn) Limit(n int) { c.limit.Store(int64(n)) }

// Read reads up to len(p) bytes (and at most the Limit) of what the other
// end wrote.
func (c *Conn) Read(p []byte) (int, error) {
	if n := c.limit.Load(); n > 0 && int64(len(p)) > n {
		p = p[:n]
	}
	return c.rx.read(p)
}

// Write writes all of p unless the pipe is closed first, blocking while the
// other end's buffer is full. It returns io.ErrClosedPipe after Close.
func (c *Conn) Write(p []byte) (int, error) { return c.tx.write(p) }

// Close closes both directions of the pipe. It is idempotent and always
// returns nil.
func (c *Conn) Close() error {
	c.tx.closeWriter()
	c.rx.closeReader()
	return nil
}

// stream is one direction of a Pipe: a bounded ring buffer. It is a leaf
// guarded by one mutex; cond wakes readers and writers waiting on it.
type stream struct {
	mu      sync.Mutex
	cond    sync.Cond
	buf     []byte
	head    int  // index of the oldest buffered byte
	n       int  // number of buffered bytes
	wclosed bool // the writing end was closed: drain, then io.EOF
	rclosed bool // the reading end was closed: everything fails
}

func newStream(size int) *stream {
	s := &stream{buf: make([]byte, size)}
	s.cond.L = &s.mu
	return s
}

func (s *stream) read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.n == 0 && !s.wclosed && !s.rclosed {
		s.cond.Wait()
	}
	switch {
	case s.rclosed:
		return 0, io.ErrClosedPipe
	case s.n == 0:
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && s.n > 0 {
		end := min(s.head+s.n, len(s.buf))
		k := copy(p[n:], s.buf[s.head:end])
		n += k
		s.n -= k
		s.head = (s.head + k) % len(s.buf)
	}
	s.cond.Broadcast()
	return n, nil
}

func (s *stream) write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for {
		if s.wclosed || s.rclosed {
			return n, io.ErrClosedPipe
		}
		if n == len(p) {
			return n, nil
		}
		// Wait for room for the rest, or half the buffer if the rest is
		// larger: a writer woken for every byte a slow reader takes
		// would make each byte cost two context switches.
		if len(s.buf)-s.n < min(len(p)-n, len(s.buf)/2) {
			s.cond.Wait()
			continue
		}
		tail := (s.head + s.n) % len(s.buf)
		end := len(s.buf)
		if tail < s.head {
			end = s.head
		}
		k := copy(s.buf[tail:end], p[n:])
		n += k
		s.n += k
		s.cond.Broadcast()
	}
}

func (s *stream) closeWriter() {
	s.mu.Lock()
	s.wclosed = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *stream) closeReader() {
	s.mu.Lock()
	s.rclosed = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

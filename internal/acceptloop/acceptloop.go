// Package acceptloop runs the accept loops of gprsppp's servers (the
// SOCKS5 proxy, the forwards, the shim's listeners) so that they live
// through a burst of temporary errors, such as a process that has run out
// of file descriptors (EMFILE), as net/http's Server does: each temporary
// error is retried after a pause that starts at 5 ms and doubles up to
// 1 s. A burst is logged twice, unlike net/http's record per retry: a
// warning when it starts, and an info record once accept has gone a
// second without an error. Any other error ends the loop.
//
// Wiring, with l a net.Listener that the caller closes when ctx ends:
//
//	err := acceptloop.Serve(ctx, acceptloop.Config{Name: "socks5", Logger: log},
//		l.Accept, func(c net.Conn) { go handle(c) })
package acceptloop

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// The pauses between retries, as in net/http's Server.Serve, and how
// long accept must go without an error for a burst to be over. (While a
// process works through a backlog of connections at its descriptor
// limit, accept succeeds and fails by turns: that is one burst.)
const (
	MinDelay = 5 * time.Millisecond
	MaxDelay = time.Second
	Quiet    = time.Second
)

// Config configures Serve.
type Config struct {
	// Name says whose loop it is in log records, such as "socks5" or
	// "forward: -L 8022:10.0.0.5:22"; empty means "listener".
	Name string
	// Op says what accept does in log records; empty means "accept"
	// (a read loop says "read").
	Op string
	// Logger receives one warning when a burst of temporary errors
	// starts and one info record, with the retries and how long until
	// the last retry, once accept has gone Quiet without an error; nil
	// is silent.
	Logger *slog.Logger
	// Clock times the pauses between retries and Quiet; nil is the
	// system clock.
	Clock clock.Clock
}

// Serve calls accept and passes what it returns to handle, on Serve's
// goroutine (so handle should start a goroutine for anything long),
// until ctx ends or accept fails with an error that is not Temporary. A
// temporary error is retried after a pause (see MinDelay and MaxDelay).
//
// Serve closes nothing: to end a blocked accept, the caller closes its
// listener when ctx ends (context.AfterFunc). Serve returns nil if ctx
// has ended, and otherwise the error that ended accept.
func Serve[T any](ctx context.Context, cfg Config, accept func() (T, error), handle func(T)) error {
	b := newBurst(cfg)
	defer b.stop()
	for {
		v, err := accept()
		if err == nil {
			b.accepted()
			handle(v)
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if !Temporary(err) {
			return err
		}
		if !b.pause(ctx, err) {
			return nil
		}
	}
}

// temporaryErrnos are the accept(2) and recvfrom(2) errors that a later
// call may not return: the process or system is out of descriptors or
// buffers, or one connection went away before it was accepted.
var temporaryErrnos = []error{
	syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
	syscall.ECONNABORTED, syscall.EINTR, syscall.EAGAIN,
}

// Temporary reports whether err, from Accept or a read, is worth
// retrying: one of the errnos above, or an error whose Temporary method
// says so (a *net.OpError wrapping EMFILE, ECONNRESET, a timeout), but
// never net.ErrClosed.
func Temporary(err error) bool {
	if err == nil || errors.Is(err, net.ErrClosed) {
		return false
	}
	for _, e := range temporaryErrnos {
		if errors.Is(err, e) {
			return true
		}
	}
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// burst is the backoff state of one loop: the pause before the next
// retry and how the current burst of errors has gone.
type burst struct {
	name, op string
	log      *slog.Logger
	clock    clock.Clock
	delay    time.Duration // the last pause; 0 after a success

	// A burst is shared with the timer that ends it.
	mu      sync.Mutex
	on      bool        // guarded by mu; warned of, not yet over
	retries int         // guarded by mu
	start   time.Time   // guarded by mu; the burst's first error
	retried time.Time   // guarded by mu; the retry that may end it
	quiet   clock.Timer // guarded by mu; pending end of the burst
	gen     int         // guarded by mu; tells a stale quiet timer
}

func newBurst(cfg Config) *burst {
	b := &burst{name: cfg.Name, op: cfg.Op, log: cfg.Logger, clock: cfg.Clock}
	if b.name == "" {
		b.name = "listener"
	}
	if b.op == "" {
		b.op = "accept"
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.clock == nil {
		b.clock = clock.Real
	}
	return b
}

// pause waits before the next retry after err, logging the start of a
// burst. It reports false if ctx ended first.
func (b *burst) pause(ctx context.Context, err error) bool {
	b.failed(err)
	if b.delay == 0 {
		b.delay = MinDelay
	} else {
		b.delay = min(2*b.delay, MaxDelay)
	}
	done := make(chan struct{})
	t := b.clock.AfterFunc(b.delay, func() { close(done) })
	select {
	case <-done:
		b.retrying()
		return true
	case <-ctx.Done():
		t.Stop()
		return false
	}
}

// failed counts an error into the burst, starting one if none is on.
func (b *burst) failed(err error) {
	b.mu.Lock()
	b.stopQuiet()
	start := !b.on
	if start {
		b.on, b.retries, b.start = true, 0, b.clock.Now()
	}
	b.retries++
	b.mu.Unlock()
	if start {
		b.log.Warn(b.name+": "+b.op+" failing, retrying with backoff", "err", err)
	}
}

// retrying notes that accept is about to be called again: the burst is
// over if Quiet passes without another error, whether accept succeeds
// in that time or waits for a connection.
func (b *burst) retrying() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.retried = b.clock.Now()
	gen := b.gen
	b.quiet = b.clock.AfterFunc(Quiet, func() { b.over(gen) })
}

// accepted notes a success: the next error pauses for MinDelay.
func (b *burst) accepted() { b.delay = 0 }

// over ends the burst that the quiet timer of generation gen belongs
// to, logging how it went.
func (b *burst) over(gen int) {
	b.mu.Lock()
	if gen != b.gen || !b.on {
		b.mu.Unlock()
		return
	}
	b.on, b.quiet = false, nil
	b.gen++
	retries, after := b.retries, b.retried.Sub(b.start)
	b.mu.Unlock()
	b.log.Info(b.name+": "+b.op+" works again", "retries", retries, "after", after.Round(time.Millisecond))
}

// stop cancels a pending end of burst, when the loop returns.
func (b *burst) stop() {
	b.mu.Lock()
	b.stopQuiet()
	b.mu.Unlock()
}

// stopQuiet cancels the quiet timer, if any. b.mu is held.
func (b *burst) stopQuiet() {
	if b.quiet != nil {
		b.quiet.Stop()
		b.quiet = nil
		b.gen++
	}
}

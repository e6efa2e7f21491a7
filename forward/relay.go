package forward

import (
	"context"
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/acceptloop"
	"github.com/gprsppp/gprsppp/internal/keepalive"
	"io"
	"log/slog"
	"net"
	"sync"
)

// connGroup owns the goroutines serving a listener's connections and the
// sockets they use, so that the server can close them all and wait.
type connGroup struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[io.Closer]struct{} // guarded by mu
	closed bool                   // guarded by mu
}

// track adds c to the group. It returns false, having closed c, if the
// group is already shut down.
func (g *connGroup) track(c io.Closer) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		c.Close()
		return false
	}
	if g.conns == nil {
		g.conns = make(map[io.Closer]struct{})
	}
	g.conns[c] = struct{}{}
	return true
}

// untrack closes c and removes it from the group.
func (g *connGroup) untrack(c io.Closer) {
	g.mu.Lock()
	delete(g.conns, c)
	g.mu.Unlock()
	c.Close()
}

// shutdown closes every tracked socket, refuses new ones and waits for
// the group's goroutines.
func (g *connGroup) shutdown() {
	g.mu.Lock()
	g.closed = true
	for c := range g.conns {
		c.Close()
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// serveListener accepts connections from ln and serves each with handle
// in its own goroutine until ctx ends or Accept fails with an error that
// is not temporary; temporary ones (out of file descriptors) are retried
// with backoff and logged to log as name. It owns ln and closes it.
// Before returning it cancels the ctx passed to handle, closes the
// connections and waits for the handlers. It returns nil if ctx ended
// and the Accept error otherwise.
func serveListener(ctx context.Context, ln net.Listener, name string, log *slog.Logger, handle func(context.Context, net.Conn)) error {
	ctx, cancel := context.WithCancel(ctx)
	var g connGroup
	defer g.shutdown()
	defer cancel()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	defer ln.Close()
	loop := acceptloop.Config{Name: name, Logger: log}
	err := acceptloop.Serve(ctx, loop, ln.Accept, func(c net.Conn) {
		if !g.track(c) {
			return
		}
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			defer g.untrack(c)
			handle(ctx, c)
		}()
	})
	if err != nil {
		return fmt.Errorf("%s: accept: %w", name, err)
	}
	return nil
}

// closeWriter is a connection that can shut down its write side alone,
// like *net.TCPConn and the link's TCP connections.
type closeWriter interface {
	CloseWrite() error
}

// relayTCP copies a to b and b to a until both directions end, passing
// a FIN from one side on as CloseWrite on the other. If either direction
// fails, both connections are closed so the other direction ends too.
// It returns the octets copied each way.
func relayTCP(a, b net.Conn) (aToB, bToA int64, err error) {
	keepalive.Enable(a)
	keepalive.Enable(b)
	var once sync.Once
	closeBoth := func() {
		once.Do(func() {
			a.Close()
			b.Close()
		})
	}
	copyHalf := func(dst, src net.Conn) (int64, error) {
		n, err := io.Copy(dst, src)
		if err != nil {
			closeBoth()
			return n, err
		}
		if cw, ok := dst.(closeWriter); ok {
			cw.CloseWrite()
		}
		return n, nil
	}
	done := make(chan error, 1)
	go func() {
		var err error
		aToB, err = copyHalf(b, a)
		done <- err
	}()
	bToA, err = copyHalf(a, b)
	err = errors.Join(<-done, err)
	closeBoth()
	return aToB, bToA, err
}

// logRelay logs a finished relay at debug level; errors after a close by
// the other direction or by shutdown are not interesting.
func logRelay(log *slog.Logger, msg string, from, to string, up, down int64, err error) {
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	log.Debug(msg, "from", from, "to", to, "sent", up, "received", down, "err", err)
}

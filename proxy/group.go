package proxy

import (
	"errors"
	"io"
	"net"
	"sync"
)

// connGroup owns the goroutines serving a proxy's clients and the sockets
// they use, so that the server can close them all and wait. (package
// forward has the same helper; neither imports the other.)
type connGroup struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[io.Closer]struct{} // guarded by mu
	closed bool                   // guarded by mu
}

// enter counts a new goroutine into the group and tracks the sockets
// given, which may be none. It returns false, having closed them, if the
// group is shut down; the caller must then not run.
func (g *connGroup) enter(cs ...io.Closer) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	if g.conns == nil {
		g.conns = make(map[io.Closer]struct{})
	}
	for _, c := range cs {
		g.conns[c] = struct{}{}
	}
	g.wg.Add(1)
	return true
}

// leave closes and forgets the sockets and counts the goroutine out.
func (g *connGroup) leave(cs ...io.Closer) {
	g.mu.Lock()
	for _, c := range cs {
		delete(g.conns, c)
	}
	g.mu.Unlock()
	for _, c := range cs {
		c.Close()
	}
	g.wg.Done()
}

// Submit runs f in a goroutine counted in the group. It implements
// socks5.GPool so that the library's goroutines are waited for too. The
// library only submits from goroutines already in the group, so the
// count never rises from zero while shutdown waits.
func (g *connGroup) Submit(f func()) error {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		f()
	}()
	return nil
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

// closeWriter is a connection that can shut down its write side alone,
// like *net.TCPConn and the link's TCP connections.
type closeWriter interface {
	CloseWrite() error
}

// relayTCP copies a to b and b to a until both directions end, passing
// a FIN from one side on as CloseWrite on the other. If either direction
// fails, both connections are closed so the other direction ends too.
func relayTCP(a, b net.Conn) error {
	var once sync.Once
	closeBoth := func() {
		once.Do(func() {
			a.Close()
			b.Close()
		})
	}
	copyHalf := func(dst, src net.Conn) error {
		if _, err := io.Copy(dst, src); err != nil {
			closeBoth()
			return err
		}
		if cw, ok := dst.(closeWriter); ok {
			cw.CloseWrite()
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- copyHalf(b, a) }()
	err := copyHalf(a, b)
	err = errors.Join(<-done, err)
	closeBoth()
	return err
}

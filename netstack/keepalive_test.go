package netstack

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// cutLink is one direction of an in-memory link that can be cut: after
// cut, packets vanish without a trace, as when a radio link drops. (The
// netstacktest package imports this one, so this internal test has its
// own link.)
type cutLink struct {
	q   chan []byte
	dst *Stack
	cut *atomic.Bool
}

// WritePacket implements Writer; a full queue drops, like netstacktest.
func (l *cutLink) WritePacket(pkt []byte) error {
	if l.cut.Load() {
		return nil
	}
	select {
	case l.q <- append([]byte(nil), pkt...):
	default:
	}
	return nil
}

func (l *cutLink) routineDeliver(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case pkt := <-l.q:
			l.dst.DeliverInbound(pkt)
		case <-ctx.Done():
			return
		}
	}
}

// cuttablePair joins two stacks; storing true in the returned flag cuts
// the link in both directions.
func cuttablePair(t *testing.T) (a, b *Stack, cut *atomic.Bool) {
	t.Helper()
	cut = new(atomic.Bool)
	ab := &cutLink{q: make(chan []byte, 1024), cut: cut}
	ba := &cutLink{q: make(chan []byte, 1024), cut: cut}
	var err error
	if a, err = New(Config{LocalAddr: netip.MustParseAddr("192.0.2.1"), Out: ab}); err != nil {
		t.Fatal(err)
	}
	if b, err = New(Config{LocalAddr: netip.MustParseAddr("192.0.2.2"), Out: ba}); err != nil {
		a.Close()
		t.Fatal(err)
	}
	ab.dst, ba.dst = b, a
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go ab.routineDeliver(ctx, &wg)
	go ba.routineDeliver(ctx, &wg)
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		a.Close()
		b.Close()
	})
	return a, b, cut
}

// connectedPair returns a connection from a to b and the one b accepted.
func connectedPair(t *testing.T, a, b *Stack) (*tcpConn, net.Conn) {
	t.Helper()
	l, err := b.Listen("tcp", ":80")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := a.DialContext(ctx, "tcp", "192.0.2.2:80")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	peer, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	return c.(*tcpConn), peer
}

// The options reach the gVisor endpoint, as a getsockopt would show.
func TestKeepAliveOptions(t *testing.T) {
	a, b, _ := cuttablePair(t)
	c, _ := connectedPair(t, a, b)
	if c.ep.SocketOptions().GetKeepAlive() {
		t.Fatal("keepalive on by default")
	}
	if err := c.SetKeepAlive(true); err != nil {
		t.Fatal(err)
	}
	if err := c.SetKeepAlivePeriod(42 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := c.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Count: 3}); err != nil {
		t.Fatal(err)
	}
	var idle tcpip.KeepaliveIdleOption
	var interval tcpip.KeepaliveIntervalOption
	if err := c.ep.GetSockOpt(&idle); err != nil {
		t.Fatal(err)
	}
	if err := c.ep.GetSockOpt(&interval); err != nil {
		t.Fatal(err)
	}
	count, err := c.ep.GetSockOptInt(tcpip.KeepaliveCountOption)
	if err != nil {
		t.Fatal(err)
	}
	if !c.ep.SocketOptions().GetKeepAlive() || time.Duration(idle) != 42*time.Second ||
		time.Duration(interval) != 42*time.Second || count != 3 {
		t.Errorf("keepalive %v, idle %v, interval %v, count %d; want true, 42s, 42s, 3",
			c.ep.SocketOptions().GetKeepAlive(), time.Duration(idle), time.Duration(interval), count)
	}
	if err := c.SetKeepAlive(false); err != nil || c.ep.SocketOptions().GetKeepAlive() {
		t.Errorf("SetKeepAlive(false): %v, still on: %v", err, c.ep.SocketOptions().GetKeepAlive())
	}
	c.Close()
	if err := c.SetKeepAlive(true); !errors.Is(err, net.ErrClosed) {
		t.Errorf("SetKeepAlive after Close: %v, want net.ErrClosed", err)
	}
}

// With the link cut silently, unanswered probes end the connection: a
// blocked Read fails with ETIMEDOUT after idle + count × interval.
func TestKeepAliveDetectsDeadPeer(t *testing.T) {
	a, b, cut := cuttablePair(t)
	c, _ := connectedPair(t, a, b)
	cfg := net.KeepAliveConfig{Enable: true, Idle: time.Second, Interval: time.Second, Count: 2}
	if err := c.SetKeepAliveConfig(cfg); err != nil {
		t.Fatal(err)
	}
	cut.Store(true)
	start := time.Now()
	c.SetReadDeadline(start.Add(20 * time.Second))
	_, err := c.Read(make([]byte, 1))
	if !errors.Is(err, syscall.ETIMEDOUT) {
		t.Fatalf("Read on a dead peer: %v after %v, want ETIMEDOUT", err, time.Since(start))
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("dead peer declared after %v, before the probes could have run", d)
	}
}

package modemsock

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// loop is the embedder's goroutine of a test: the test itself, running
// what the core posts while it waits for events.
type loop struct {
	t      *testing.T
	ctx    context.Context
	posted chan func()
	events []Event
	core   *Core
	handle func(Event) // an embedder's synchronous handling, if set
}

func newLoop(t *testing.T, recvBuffer int) *loop {
	l := &loop{t: t, ctx: t.Context(), posted: make(chan func(), 64)}
	l.core = New(l.ctx, Config{
		Post: func(f func()) bool {
			select {
			case l.posted <- f:
				return true
			case <-l.ctx.Done():
				return false
			}
		},
		Events: func(ev Event) {
			if l.handle != nil {
				l.handle(ev)
			}
			l.events = append(l.events, ev)
		},
		RecvBuffer: recvBuffer,
	})
	t.Cleanup(l.core.Close)
	return l
}

// await runs posted closures until an event of kind arrives, and returns
// it with the events before it dropped.
func (l *loop) await(kind EventKind) Event {
	l.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for i, ev := range l.events {
			if ev.Kind == kind {
				l.events = l.events[i+1:]
				return ev
			}
		}
		select {
		case f := <-l.posted:
			f()
		case <-deadline:
			l.t.Fatalf("no %v event; have %v", kind, l.events)
		}
	}
}

// pipeNet is a Network whose dials return one end of a net.Pipe, the
// other end going to peers.
type pipeNet struct {
	peers chan net.Conn
	err   error
	done  chan struct{}
}

func newPipeNet() *pipeNet {
	return &pipeNet{peers: make(chan net.Conn, 4), done: make(chan struct{})}
}

func (p *pipeNet) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if p.err != nil {
		return nil, p.err
	}
	a, b := net.Pipe()
	p.peers <- b
	return a, nil
}
func (p *pipeNet) DialResolved(ctx context.Context, network string, addrs []netip.Addr, port uint16) (net.Conn, error) {
	return p.DialContext(ctx, network, netip.AddrPortFrom(addrs[0], port).String())
}
func (p *pipeNet) Listen(string, string) (net.Listener, error) {
	return net.Listen("tcp", "127.0.0.1:0")
}
func (p *pipeNet) ListenPacket(string, string) (net.PacketConn, error) {
	return net.ListenPacket("udp", "127.0.0.1:0")
}
func (p *pipeNet) LookupNetIP(context.Context, string) ([]netip.Addr, error) {
	return nil, errors.New("no")
}
func (p *pipeNet) LocalAddr() netip.Addr    { return netip.MustParseAddr("10.0.0.2") }
func (p *pipeNet) DNSServers() []netip.Addr { return nil }
func (p *pipeNet) Done() <-chan struct{}    { return p.done }

func (p *pipeNet) Activate(ctx context.Context, apn, user, password string) (Network, error) {
	if apn == "bad" {
		return nil, errors.New("rejected")
	}
	return p, nil
}

func TestDial(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		wantKind EventKind
		want     State
	}{
		{"connected", nil, EventConnected, Connected},
		{"refused", errors.New("refused"), EventConnectFailed, Closed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, n := newLoop(t, 0), newPipeNet()
			n.err = tc.err
			s := l.core.Dial(n, false, "10.0.0.1:80", time.Minute)
			if s.State() != Connecting {
				t.Fatalf("state %v before the dial ends, want connecting", s.State())
			}
			ev := l.await(tc.wantKind)
			if ev.Socket != s || s.State() != tc.want || !errors.Is(ev.Err, tc.err) {
				t.Errorf("event %+v, state %v; want socket %p, state %v, err %v", ev, s.State(), s, tc.want, tc.err)
			}
		})
	}
}

// TestReceiveFlowControl checks that a socket reads no more than its
// buffer holds, drops nothing, and reads on once the embedder Reads.
func TestReceiveFlowControl(t *testing.T) {
	for _, tc := range []struct {
		name   string
		buffer int
		total  int
	}{
		{"fits", 64, 40},
		{"four buffers", 16, 64},
		{"odd sizes", 7, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, n := newLoop(t, tc.buffer), newPipeNet()
			s := l.core.Dial(n, false, "10.0.0.1:80", time.Minute)
			l.await(EventConnected)
			peer := <-n.peers
			want := make([]byte, tc.total)
			for i := range want {
				want[i] = byte(i)
			}
			go peer.Write(want)
			var got []byte
			for len(got) < tc.total {
				ev := l.await(EventReadable)
				if ev.N > tc.buffer {
					t.Fatalf("%d bytes buffered, more than the %d-byte buffer", ev.N, tc.buffer)
				}
				got = append(got, s.Read(s.Buffered())...)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPeerClose(t *testing.T) {
	l, n := newLoop(t, 0), newPipeNet()
	s := l.core.Dial(n, false, "10.0.0.1:80", time.Minute)
	l.await(EventConnected)
	peer := <-n.peers
	go func() {
		peer.Write([]byte("bye"))
		peer.Close()
	}()
	ev := l.await(EventPeerClosed)
	if !errors.Is(ev.Err, io.EOF) || s.State() != Closed {
		t.Errorf("peer closed with %v, state %v; want EOF, closed", ev.Err, s.State())
	}
	if got := string(s.Read(100)); got != "bye" {
		t.Errorf("after the close read %q, want %q", got, "bye")
	}
}

func TestWriteCounters(t *testing.T) {
	l, n := newLoop(t, 0), newPipeNet()
	s := l.core.Dial(n, false, "10.0.0.1:80", time.Minute)
	l.await(EventConnected)
	peer := <-n.peers
	go io.Copy(io.Discard, peer)
	var done []error
	for _, p := range []string{"hello", "world!"} {
		if !s.Write([]byte(p), func(err error) { done = append(done, err) }) {
			t.Fatalf("Write(%q) refused", p)
		}
	}
	if sent, _ := s.Counters(); sent != 11 {
		t.Errorf("sent %d while queued, want 11", sent)
	}
	l.await(EventSent)
	ev := l.await(EventSent)
	sent, acked := s.Counters()
	if ev.N != 6 || sent != 11 || acked != 11 || len(done) != 2 {
		t.Errorf("last write %d, counters %d/%d, %d callbacks; want 6, 11/11, 2", ev.N, sent, acked, len(done))
	}
	s.Close()
	if s.Write([]byte("x"), nil) {
		t.Error("Write on a closed socket queued")
	}
}

func TestContext(t *testing.T) {
	for _, tc := range []struct {
		name    string
		apn     string
		wantErr bool
	}{
		{"up", "internet", false},
		{"rejected", "bad", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, n := newLoop(t, 0), newPipeNet()
			x := l.core.NewContext()
			var results []error
			then := func(err error) {
				results = append(results, err)
				l.events = append(l.events, Event{Kind: EventSent}) // a marker for await
			}
			x.Activate(n, tc.apn, "", "", time.Minute, then)
			x.Activate(n, tc.apn, "", "", time.Minute, then) // joins
			l.await(EventSent)
			if len(results) != 2 || (results[0] != nil) != tc.wantErr || (x.Network() != nil) == tc.wantErr {
				t.Fatalf("results %v, network %v", results, x.Network())
			}
			if tc.wantErr {
				return
			}
			close(n.done)
			if ev := l.await(EventContextLost); ev.Context != x || x.Network() != nil {
				t.Errorf("lost %+v, network %v; want this context, none", ev, x.Network())
			}
		})
	}
}

// TestListen accepts a TCP client and two UDP peers, refusing the second
// as an embedder without room would.
func TestListen(t *testing.T) {
	t.Run("tcp", func(t *testing.T) {
		l, n := newLoop(t, 0), newPipeNet()
		ln, err := l.core.Listen(n, ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		client, err := net.Dial("tcp", ln.ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		ev := l.await(EventAccepted)
		if ev.Listener != ln || ev.Socket.State() != Connected || ev.Socket.Remote().String() != client.LocalAddr().String() {
			t.Fatalf("accepted %+v from %v", ev, ev.Socket.Remote())
		}
		go client.Write([]byte("hi"))
		l.await(EventReadable)
		if got := string(ev.Socket.Read(10)); got != "hi" {
			t.Errorf("read %q, want %q", got, "hi")
		}
	})
	t.Run("udp", func(t *testing.T) {
		l, n := newLoop(t, 0), newPipeNet()
		ln, err := l.core.ListenPacket(n, ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		var peers []net.Conn
		for range 2 {
			c, err := net.Dial("udp", ln.pc.LocalAddr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			peers = append(peers, c)
		}
		peers[0].Write([]byte("one"))
		ev := l.await(EventAccepted)
		first := ev.Socket
		l.await(EventReadable)
		if got := string(first.Read(10)); got != "one" {
			t.Errorf("first peer's datagram %q, want %q", got, "one")
		}
		l.handle = func(ev Event) { // no room for another peer
			if ev.Kind == EventAccepted {
				ev.Socket.Close()
			}
		}
		peers[1].Write([]byte("two"))
		if s := l.await(EventAccepted).Socket; s.State() != Closed {
			t.Errorf("refused peer %v, want closed", s.State())
		}
		peers[0].Write([]byte("three"))
		if ev := l.await(EventReadable); ev.Socket != first {
			t.Errorf("readable on %p, want the first peer's %p", ev.Socket, first)
		}
		if !first.Write([]byte("back"), nil) {
			t.Fatal("Write to the UDP peer refused")
		}
		buf := make([]byte, 10)
		m, err := peers[0].Read(buf)
		if err != nil || string(buf[:m]) != "back" {
			t.Errorf("peer read %q, %v; want %q", buf[:m], err, "back")
		}
	})
}

// until runs posted closures until cond holds.
func (l *loop) until(what string, cond func() bool) {
	l.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-l.posted:
			f()
		case <-deadline:
			l.t.Fatalf("not %s within 10 s", what)
		}
	}
}

// TestListenAllow refuses TCP clients and UDP peers that the allow list
// does not take, before any event, and counts them.
func TestListenAllow(t *testing.T) {
	l, n := newLoop(t, 0), newPipeNet()
	ln, err := l.core.Listen(n, ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	open := false
	ln.SetAllow(func(a netip.Addr) bool { return open && a == netip.MustParseAddr("127.0.0.1") })
	refused, err := net.Dial("tcp", ln.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer refused.Close()
	l.until("refused", func() bool { return ln.Refused() == 1 })
	refused.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := refused.Read(make([]byte, 1)); err == nil {
		t.Error("a refused client read data")
	}
	open = true
	client, err := net.Dial("tcp", ln.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if ev := l.await(EventAccepted); ev.Socket.Remote().String() != client.LocalAddr().String() {
		t.Errorf("accepted %v, want %v", ev.Socket.Remote(), client.LocalAddr())
	}
	if len(l.events) != 0 || ln.Refused() != 1 {
		t.Errorf("events %v, %d refused; want none before the accepted one, 1", l.events, ln.Refused())
	}

	pl, err := l.core.ListenPacket(n, ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	pl.SetAllow(func(netip.Addr) bool { return false })
	peer, err := net.Dial("udp", pl.pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	peer.Write([]byte("dropped"))
	l.until("the datagram refused", func() bool { return pl.Refused() == 1 })
	if len(l.events) != 0 {
		t.Errorf("events %v for a refused peer", l.events)
	}
}

func TestTable(t *testing.T) {
	tb := NewTable[string](1, 3)
	a, b := "a", "b"
	if id, ok := tb.Lowest(); !ok || id != 1 {
		t.Fatalf("Lowest = %d, %v; want 1", id, ok)
	}
	if tb.Set(0, &a) || tb.Set(4, &a) || tb.Get(0) != nil {
		t.Error("IDs out of range taken")
	}
	tb.Set(1, &a)
	tb.Set(3, &b)
	if id, ok := tb.Lowest(); !ok || id != 2 {
		t.Errorf("Lowest = %d, %v; want 2", id, ok)
	}
	tb.Free(1, &b) // not what it holds
	if !tb.Holds(1, &a) {
		t.Error("Free of another entry freed 1")
	}
	var ids []int
	for id, v := range tb.All() {
		ids = append(ids, id)
		tb.Free(id, v) // freeing while iterating
	}
	if len(ids) != 2 || ids[0] != 1 || ids[1] != 3 || tb.Get(1) != nil || tb.Get(3) != nil {
		t.Errorf("All gave %v and left %v, %v", ids, tb.Get(1), tb.Get(3))
	}
	tb.Set(1, &a)
	tb.Set(2, &a)
	tb.Set(3, &a)
	if _, ok := tb.Lowest(); ok {
		t.Error("Lowest found a free ID in a full table")
	}
}

package modemsock

import (
	"context"
	"net"
	"net/netip"
)

// State is a socket's state.
type State int

// The states of a socket.
const (
	// Resolving: a Dial to a host name is looking the name up.
	Resolving State = iota
	// Connecting: a Dial is connecting to an address.
	Connecting
	// Connected: the socket reads and writes.
	Connected
	// Closed: closed locally or by the peer; buffered data stays
	// readable.
	Closed
)

// String names the state.
func (s State) String() string {
	switch s {
	case Resolving:
		return "resolving"
	case Connecting:
		return "connecting"
	case Connected:
		return "connected"
	}
	return "closed"
}

// Socket is one connection of the host: a client the host dialed or one a
// listener accepted. Its fields belong to the embedder's goroutine; its
// reader and writer goroutines only use conn, room, tx and done.
type Socket struct {
	// Data is the embedder's, for finding its own state from an Event;
	// the core does not touch it.
	Data any

	core   *Core
	udp    bool
	state  State
	remote netip.AddrPort
	local  netip.AddrPort

	conn   net.Conn
	cancel context.CancelFunc
	done   <-chan struct{}
	tx     chan txItem
	room   chan int // credit for the reader: bytes it may read

	rx      [][]byte // received, not yet read by the host
	rxLen   int
	starved bool // the reader waits for room

	sent   int // bytes the connection's Write accepted
	queued int // bytes queued for the writer
}

// txItem is one write for a socket's writer.
type txItem struct {
	data []byte
	done func(err error) // run on the embedder's goroutine; may be nil
}

func (c *Core) newSocket(udp bool) *Socket {
	ctx, cancel := context.WithCancel(c.ctx)
	s := &Socket{core: c, udp: udp, cancel: cancel, done: ctx.Done()}
	c.open[s] = struct{}{}
	return s
}

// Attach makes a Connected socket of a connection made elsewhere (an
// accepted one).
func (c *Core) Attach(conn net.Conn, udp bool) *Socket {
	s := c.newSocket(udp)
	s.start(conn, true)
	return s
}

// start makes s Connected over conn and starts its writer, and its reader
// if read.
func (s *Socket) start(conn net.Conn, read bool) {
	s.conn, s.state = conn, Connected
	if ap, err := netip.ParseAddrPort(conn.RemoteAddr().String()); err == nil {
		s.remote = ap
	}
	if ap, err := netip.ParseAddrPort(conn.LocalAddr().String()); err == nil {
		s.local = ap
	}
	s.tx = make(chan txItem, TxQueue)
	c := s.core
	c.wg.Add(1)
	go s.routineWrite()
	if read {
		s.room = make(chan int, 1)
		s.room <- c.cfg.RecvBuffer
		c.wg.Add(1)
		go s.routineRead()
	}
}

// State is the socket's state.
func (s *Socket) State() State { return s.state }

// UDP reports a UDP socket.
func (s *Socket) UDP() bool { return s.udp }

// Remote is the peer's address, once connected.
func (s *Socket) Remote() netip.AddrPort { return s.remote }

// Local is the socket's own address, once connected.
func (s *Socket) Local() netip.AddrPort { return s.local }

// Conn is the socket's connection, nil before it is connected.
func (s *Socket) Conn() net.Conn { return s.conn }

// Close closes the socket. Buffered data stays readable; a write still
// queued is abandoned, and a Dial under way is aborted without an event.
func (s *Socket) Close() {
	if s.state == Closed {
		return
	}
	s.state = Closed
	s.cancel()
	if s.conn != nil {
		s.conn.Close()
	}
	delete(s.core.open, s)
}

// Counters reports the bytes the socket took for sending (written or
// queued) and how many of them the peer acknowledged: all that were
// written, or with an UnackedConn those it reports, and none on UDP, which
// has no acknowledgements.
func (s *Socket) Counters() (sent, acked int) {
	sent = s.sent + s.queued
	acked = sent
	if s.udp {
		return sent, 0
	}
	if u, ok := s.conn.(UnackedConn); ok && s.state == Connected {
		if n, err := u.Unacked(); err == nil {
			acked = max(s.sent-n, 0)
		}
	}
	return sent, acked
}

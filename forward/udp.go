package forward

import (
	"context"
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/acceptloop"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// maxUDPSessions bounds the client addresses a UDP forward serves at
	// once; datagrams from further clients are dropped.
	maxUDPSessions = 1024
	// sessionQueueLen is how many datagrams from one client wait while
	// its link socket is being opened or written; more are dropped.
	sessionQueueLen = 64
	// maxDatagram is the largest UDP payload (RFC 768, IPv4).
	maxDatagram = 65535
)

// ServeLocalUDP relays datagrams between pc, a host UDP socket, and
// l.Target over d, the link, until ctx ends; l.Bind is not used. Each
// client address gets its own link socket, so replies go back to the
// client that caused them. A session ends after l.IdleTimeout without a
// datagram either way. It closes pc and the sessions before returning,
// and returns nil when ctx ends and the read error if pc fails first.
//
// Queue policy: datagrams from a client wait in a queue of 64 while its
// session's link socket opens (which for a name includes a lookup over
// the link); when that queue is full, or 1024 sessions are open, further
// datagrams are dropped and logged at debug level, as a congested
// network would drop them.
//
// A temporary read error (ENOBUFS, ENOMEM) is retried with backoff and
// logged as a warning once per burst.
func ServeLocalUDP(ctx context.Context, pc net.PacketConn, l Local, d Dialer, log *slog.Logger) error {
	u := &udpForward{
		pc:       pc,
		target:   l.Target,
		idle:     l.IdleTimeout,
		d:        d,
		log:      orDiscard(log),
		sessions: make(map[string]*udpSession),
	}
	if u.idle <= 0 {
		u.idle = DefaultIdleTimeout
	}
	ctx, cancel := context.WithCancel(ctx)
	defer u.wg.Wait()
	defer cancel()
	stop := context.AfterFunc(ctx, func() { pc.Close() })
	defer stop()
	defer pc.Close()

	buf := make([]byte, maxDatagram)
	read := func() (datagram, error) {
		n, from, err := pc.ReadFrom(buf)
		return datagram{from, append([]byte(nil), buf[:n]...)}, err
	}
	loop := acceptloop.Config{Name: "forward: -L " + l.String(), Op: "read", Logger: u.log}
	err := acceptloop.Serve(ctx, loop, read, func(d datagram) { u.deliver(ctx, d.from, d.b) })
	if err != nil {
		return fmt.Errorf("forward: udp read: %w", err)
	}
	return nil
}

// datagram is one read from a ServeLocalUDP socket.
type datagram struct {
	from net.Addr
	b    []byte
}

// udpForward is the state of one ServeLocalUDP call.
type udpForward struct {
	pc     net.PacketConn
	target string
	idle   time.Duration
	d      Dialer
	log    *slog.Logger
	wg     sync.WaitGroup // session goroutines

	mu       sync.Mutex
	sessions map[string]*udpSession // by client address; guarded by mu
}

// udpSession is one client's datagrams and link socket.
type udpSession struct {
	key    string
	client net.Addr
	in     chan []byte  // datagrams from the client
	last   atomic.Int64 // time of the last datagram either way, Unix ns
}

func (s *udpSession) touch() { s.last.Store(time.Now().UnixNano()) }

// deliver queues a datagram from client, starting its session if needed.
func (u *udpForward) deliver(ctx context.Context, client net.Addr, b []byte) {
	key := client.String()
	u.mu.Lock()
	defer u.mu.Unlock()
	s := u.sessions[key]
	if s == nil {
		if len(u.sessions) >= maxUDPSessions {
			u.log.Debug("forward: too many UDP sessions, dropped a datagram", "from", key)
			return
		}
		s = &udpSession{key: key, client: client, in: make(chan []byte, sessionQueueLen)}
		s.touch()
		u.sessions[key] = s
		u.wg.Add(1)
		go u.routineSession(ctx, s)
	}
	select {
	case s.in <- b:
	default:
		u.log.Debug("forward: UDP session queue full, dropped a datagram", "from", key)
	}
}

// remove forgets s, so that the client's next datagram starts a new
// session.
func (u *udpForward) remove(s *udpSession) {
	u.mu.Lock()
	if u.sessions[s.key] == s {
		delete(u.sessions, s.key)
	}
	u.mu.Unlock()
}

// routineSession opens the session's link socket and writes the client's
// datagrams to it until the session goes idle, fails or ctx ends.
func (u *udpForward) routineSession(ctx context.Context, s *udpSession) {
	defer u.wg.Done()
	conn, err := u.d.DialContext(ctx, "udp", u.target)
	if err != nil {
		u.remove(s)
		u.log.Info("forward: dial over the link failed", "from", s.key, "to", u.target, "err", err)
		return
	}
	u.log.Debug("forward: UDP session started", "from", s.key, "to", u.target)
	ctx, cancel := context.WithCancel(ctx)
	replies := make(chan struct{})
	go func() {
		defer close(replies)
		defer cancel()
		u.copyReplies(conn, s)
	}()
	for {
		select {
		case b := <-s.in:
			s.touch()
			if _, err := conn.Write(b); err != nil {
				u.log.Debug("forward: UDP write over the link failed", "from", s.key, "err", err)
			}
		case <-ctx.Done():
			u.remove(s)
			conn.Close()
			<-replies
			u.log.Debug("forward: UDP session ended", "from", s.key, "to", u.target)
			return
		}
	}
}

// copyReplies sends datagrams from the link back to the session's client
// until the session has been idle for u.idle or conn fails.
func (u *udpForward) copyReplies(conn net.Conn, s *udpSession) {
	buf := make([]byte, maxDatagram)
	for {
		deadline := time.Unix(0, s.last.Load()).Add(u.idle)
		if err := conn.SetReadDeadline(deadline); err != nil {
			return
		}
		n, err := conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && time.Now().Before(time.Unix(0, s.last.Load()).Add(u.idle)) {
				continue // traffic from the client moved the deadline on
			}
			return
		}
		s.touch()
		if _, err := u.pc.WriteTo(buf[:n], s.client); err != nil {
			u.log.Debug("forward: UDP write to client failed", "to", s.key, "err", err)
		}
	}
}

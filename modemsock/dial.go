package modemsock

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"time"
)

// Dial opens a socket to address ("host:port") over n: TCP, or UDP if
// udp. An IP literal (or an empty host, n's own address) is dialled at
// once, the socket Connecting. A host name is looked up first, the
// socket Resolving meanwhile, with n's LookupNetIP; then the socket is
// Connecting while n dials the addresses found (DialResolved: those it
// can reach, both families raced).
//
// EventConnected or EventConnectFailed ends the dial, at the latest
// timeout after the call; Close aborts it without an event. A failed
// lookup fails the dial with LookupNetIP's error (a *net.DNSError on a
// gprsppp link) in a *net.OpError, the error the link's DialContext gives
// for a name it cannot resolve.
func (c *Core) Dial(n Network, udp bool, address string, timeout time.Duration) *Socket {
	s := c.newSocket(udp)
	network := "tcp"
	if udp {
		network = "udp"
	}
	deadline := time.Now().Add(timeout)
	host, port, ok := splitName(address)
	if !ok {
		s.connect(deadline, func(ctx context.Context) (net.Conn, error) {
			return n.DialContext(ctx, network, address)
		})
		return s
	}
	s.state = Resolving
	c.Go(func(ctx context.Context) func() {
		ctx, cancel := s.bound(ctx, deadline)
		defer cancel()
		addrs, err := n.LookupNetIP(ctx, host)
		return func() { s.resolved(n, network, port, deadline, addrs, err) }
	})
	return s
}

// resolved takes the answer of a Resolving socket's lookup and dials the
// addresses it gave.
func (s *Socket) resolved(n Network, network string, port uint16, deadline time.Time, addrs []netip.Addr, err error) {
	if s.state != Resolving {
		return // closed meanwhile
	}
	if err != nil {
		s.failed(&net.OpError{Op: "dial", Net: network, Err: err})
		return
	}
	s.connect(deadline, func(ctx context.Context) (net.Conn, error) {
		return n.DialResolved(ctx, network, addrs, port)
	})
}

// connect makes s Connecting while dial runs, until deadline.
func (s *Socket) connect(deadline time.Time, dial func(context.Context) (net.Conn, error)) {
	s.state = Connecting
	s.core.Go(func(ctx context.Context) func() {
		ctx, cancel := s.bound(ctx, deadline)
		defer cancel()
		conn, err := dial(ctx)
		return func() { s.dialed(conn, err) }
	})
}

func (s *Socket) dialed(conn net.Conn, err error) {
	if s.state != Connecting {
		if conn != nil {
			conn.Close()
		}
		return
	}
	if err != nil {
		s.failed(err)
		return
	}
	s.start(conn, true)
	s.core.emit(Event{Kind: EventConnected, Socket: s})
}

// failed ends a dial with err.
func (s *Socket) failed(err error) {
	s.core.cfg.Logger.Debug("modemsock: connect failed", "err", err)
	s.Close()
	s.core.emit(Event{Kind: EventConnectFailed, Socket: s, Err: err})
}

// bound limits ctx to deadline and ends it when the socket is closed.
// Called from a dial's goroutine: s.done never changes.
func (s *Socket) bound(ctx context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	done := s.done
	go func() {
		select {
		case <-done:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// splitName splits address into a host name and its numeric port. It
// reports false for an IP literal or an empty host, and for an address
// it cannot split: DialContext takes those as they are, and judges them.
func splitName(address string) (host string, port uint16, ok bool) {
	host, p, err := net.SplitHostPort(address)
	if err != nil || host == "" {
		return "", 0, false
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return "", 0, false
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return "", 0, false
	}
	return host, uint16(n), true
}

package netstack

import (
	"net"
	"sync"
	"syscall"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// listenBacklog bounds connections that completed the handshake but were
// not yet accepted; a cellular client has few of them.
const listenBacklog = 128

// Listen listens for TCP connections arriving over the link, like
// net.Listen. network is "tcp" or "tcp4"; address is "", ":port" or
// "ip:port" with an IPv4 literal, and port 0 picks a free port. Listening
// on a port already in use fails with an error satisfying
// errors.Is(err, syscall.EADDRINUSE).
func (s *Stack) Listen(network, address string) (net.Listener, error) {
	opErr := func(err error) error {
		return &net.OpError{Op: "listen", Net: network, Err: err}
	}
	if !isTCP(network) {
		return nil, opErr(net.UnknownNetworkError(network))
	}
	if s.closed() {
		return nil, opErr(net.ErrClosed)
	}
	spec, err := listenAddr(network, address)
	if err != nil {
		return nil, opErr(err)
	}
	full := spec.full
	var wq waiter.Queue
	ep, terr := s.ipstack.NewEndpoint(tcp.ProtocolNumber, spec.proto, &wq)
	if terr != nil {
		return nil, opErr(convertError(terr))
	}
	if spec.proto == ipv6.ProtocolNumber {
		ep.SocketOptions().SetV6Only(spec.v6only)
	}
	// As Go's net package does (SO_REUSEADDR): listening again on a port
	// whose last connection is in TIME-WAIT must work.
	ep.SocketOptions().SetReuseAddress(true)
	s.beforeHandshake(ep)
	if terr := ep.Bind(full); terr != nil {
		ep.Close()
		return nil, &net.OpError{Op: "listen", Net: network, Addr: netAddr(network, full), Err: convertError(terr)}
	}
	if terr := ep.Listen(listenBacklog); terr != nil {
		ep.Close()
		return nil, &net.OpError{Op: "listen", Net: network, Addr: netAddr(network, full), Err: convertError(terr)}
	}
	bound, terr := ep.GetLocalAddress()
	if terr != nil {
		bound = full
	}
	// gVisor lets two SO_REUSEADDR sockets listen on one port; Linux,
	// rightly, does not.
	if !s.listening.claim(bound.Port) {
		ep.Close()
		return nil, &net.OpError{Op: "listen", Net: network, Addr: netAddr(network, full), Err: syscall.EADDRINUSE}
	}
	return &tcpListener{
		s:    s,
		ep:   ep,
		wq:   &wq,
		addr: netAddr(network, bound),
		net:  network,
		done: make(chan struct{}),
	}, nil
}

// tcpListener implements net.Listener on a listening gVisor endpoint.
// Unlike gonet's listener, Accept returns net.ErrClosed after Close.
type tcpListener struct {
	s    *Stack
	ep   tcpip.Endpoint
	wq   *waiter.Queue
	addr net.Addr
	net  string

	closeOnce sync.Once
	done      chan struct{} // closed by Close
}

// Accept implements net.Listener. It waits for a connection, for Close
// of the listener or for Close of the stack.
func (l *tcpListener) Accept() (net.Conn, error) {
	// Register before the first try so a connection arriving in
	// between still wakes us.
	entry, notify := waiter.NewChannelEntry(waiter.ReadableEvents)
	l.wq.EventRegister(&entry)
	defer l.wq.EventUnregister(&entry)
	for {
		if l.isClosed() {
			return nil, l.opError("accept", net.ErrClosed)
		}
		ep, wq, terr := l.ep.Accept(nil)
		switch terr.(type) {
		case nil:
			return newTCPConn(l.s, wq, ep), nil
		case *tcpip.ErrWouldBlock:
		default:
			if l.isClosed() {
				return nil, l.opError("accept", net.ErrClosed)
			}
			return nil, l.opError("accept", convertError(terr))
		}
		select {
		case <-notify:
		case <-l.done:
		case <-l.s.ctx.Done():
		}
	}
}

func (l *tcpListener) isClosed() bool {
	select {
	case <-l.done:
		return true
	case <-l.s.ctx.Done():
		return true
	default:
		return false
	}
}

// Close implements net.Listener. Blocked Accept calls return an error
// wrapping net.ErrClosed; so does a second Close.
func (l *tcpListener) Close() error {
	err := l.opError("close", net.ErrClosed)
	l.closeOnce.Do(func() {
		close(l.done)
		l.ep.Close()
		l.s.listening.release(l.addr.(*net.TCPAddr).Port)
		err = nil
	})
	return err
}

// Addr implements net.Listener; it is a *net.TCPAddr.
func (l *tcpListener) Addr() net.Addr { return l.addr }

func (l *tcpListener) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: l.net, Addr: l.addr, Err: err}
}

// ListenPacket opens a UDP socket for datagrams over the link, like
// net.ListenPacket. network is "udp" or "udp4"; address is as for Listen.
func (s *Stack) ListenPacket(network, address string) (net.PacketConn, error) {
	opErr := func(err error) error {
		return &net.OpError{Op: "listen", Net: network, Err: err}
	}
	if !isUDP(network) {
		return nil, opErr(net.UnknownNetworkError(network))
	}
	if s.closed() {
		return nil, opErr(net.ErrClosed)
	}
	spec, err := listenAddr(network, address)
	if err != nil {
		return nil, opErr(err)
	}
	full := spec.full
	var wq waiter.Queue
	ep, terr := s.ipstack.NewEndpoint(udp.ProtocolNumber, spec.proto, &wq)
	if terr == nil && spec.proto == ipv6.ProtocolNumber {
		ep.SocketOptions().SetV6Only(spec.v6only)
	}
	if terr != nil {
		return nil, opErr(convertError(terr))
	}
	if terr := ep.Bind(full); terr != nil {
		ep.Close()
		return nil, &net.OpError{Op: "listen", Net: network, Addr: netAddr(network, full), Err: convertError(terr)}
	}
	return newUDPConn(s, &wq, ep), nil
}

// ports is a set of TCP ports with a listener.
type ports struct {
	mu sync.Mutex
	m  map[uint16]bool
}

// claim adds port to the set, false if it was there.
func (p *ports) claim(port uint16) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m[port] {
		return false
	}
	if p.m == nil {
		p.m = make(map[uint16]bool)
	}
	p.m[port] = true
	return true
}

func (p *ports) release(port int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, uint16(port))
}

package netstack

import (
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// tcpConn is a gonet.TCPConn whose errors look like the net package's:
// errnos instead of gVisor messages, and net.ErrClosed once closed.
type tcpConn struct {
	*gonet.TCPConn
	ep           tcpip.Endpoint // for socket options gonet does not expose
	s            *Stack
	sb           *sendBuffer
	id           tcp.TCPEndpointID
	laddr, raddr net.Addr
	closed       atomic.Bool
	read         atomic.Int64 // octets read, for the receive-window control
}

func newTCPConn(s *Stack, wq *waiter.Queue, ep tcpip.Endpoint) *tcpConn {
	c := &tcpConn{TCPConn: gonet.NewTCPConn(wq, ep), ep: ep, s: s}
	c.sb, c.id = s.sndBufs.track(ep)
	if s.rwc != nil {
		s.rwc.add(c)
	}
	// A connected socket's addresses never change; remembering them keeps
	// LocalAddr and RemoteAddr working after Close, as in the net package.
	c.laddr = c.TCPConn.LocalAddr()
	c.raddr = c.TCPConn.RemoteAddr()
	return c
}

// Unacked returns how many octets written to the connection the peer
// has not acknowledged yet: those still in the send buffer, sent (RFC
// 9293 SND.NXT - SND.UNA) or waiting to be.
// It fails with errors.ErrUnsupported unless Config.TrackUnacked is set.
func (c *tcpConn) Unacked() (int, error) {
	if c.closed.Load() {
		return 0, c.opError("unacked", net.ErrClosed)
	}
	if c.sb == nil {
		return 0, errors.ErrUnsupported
	}
	return c.sb.unacked(), nil
}

// Read implements net.Conn.
func (c *tcpConn) Read(b []byte) (int, error) {
	n, err := c.TCPConn.Read(b)
	c.read.Add(int64(n))
	return n, c.fix("read", err)
}

// Write implements net.Conn.
func (c *tcpConn) Write(b []byte) (int, error) {
	n, err := c.TCPConn.Write(b)
	if c.sb != nil {
		c.sb.written.Add(int64(n))
	}
	return n, c.fix("write", err)
}

// CloseRead shuts down the reading side, like net.TCPConn.CloseRead.
func (c *tcpConn) CloseRead() error { return c.fix("close", c.TCPConn.CloseRead()) }

// CloseWrite shuts down the writing side (sends FIN), like
// net.TCPConn.CloseWrite.
func (c *tcpConn) CloseWrite() error { return c.fix("close", c.TCPConn.CloseWrite()) }

// Close implements net.Conn. Pending and later Reads and Writes fail with
// an error wrapping net.ErrClosed, and so does a second Close.
func (c *tcpConn) Close() error {
	if c.closed.Swap(true) {
		return c.opError("close", net.ErrClosed)
	}
	c.s.sndBufs.forget(c.id)
	if c.s.rwc != nil {
		c.s.rwc.remove(c)
	}
	return c.TCPConn.Close()
}

// LocalAddr implements net.Conn.
func (c *tcpConn) LocalAddr() net.Addr { return c.laddr }

// RemoteAddr implements net.Conn.
func (c *tcpConn) RemoteAddr() net.Addr { return c.raddr }

func (c *tcpConn) fix(op string, err error) error {
	if err == nil {
		return nil
	}
	if c.closed.Load() {
		return c.opError(op, net.ErrClosed)
	}
	return c.s.linkDown(fixOpError(err))
}

func (c *tcpConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.laddr, Addr: c.raddr, Err: err}
}

// udpConn is a gonet.UDPConn with net-package errors, as tcpConn, and a
// WriteTo that accepts any IPv4 *net.UDPAddr instead of panicking on
// other address types.
//
// As in gonet, a Read already blocked on a connected socket is not woken
// by an ICMP port unreachable (gVisor signals it with EventErr, gonet
// waits for readable events only); the next Read reports ECONNREFUSED.
type udpConn struct {
	*gonet.UDPConn
	wq           *waiter.Queue
	s            *Stack
	laddr, raddr net.Addr
	closed       atomic.Bool
}

func newUDPConn(s *Stack, wq *waiter.Queue, ep tcpip.Endpoint) *udpConn {
	c := &udpConn{UDPConn: gonet.NewUDPConn(wq, ep), wq: wq, s: s}
	c.laddr = c.UDPConn.LocalAddr()
	c.raddr = c.UDPConn.RemoteAddr()
	return c
}

// Read implements net.Conn.
func (c *udpConn) Read(b []byte) (int, error) {
	n, _, err := c.ReadFrom(b)
	return n, err
}

// ReadFrom implements net.PacketConn; the address is a *net.UDPAddr.
func (c *udpConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := c.UDPConn.ReadFrom(b)
	if err != nil {
		return n, nil, c.fix("read", nil, err)
	}
	return n, addr, nil
}

// Write implements net.Conn for a connected socket.
func (c *udpConn) Write(b []byte) (int, error) {
	n, err := c.UDPConn.Write(b)
	return n, c.fix("write", c.raddr, err)
}

// WriteTo implements net.PacketConn. addr must be a *net.UDPAddr holding
// an IPv4 (or IPv4-mapped) address.
func (c *udpConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok || ua == nil || (ua.IP.To4() == nil && len(ua.IP) != net.IPv6len) {
		s := "<nil>"
		if addr != nil {
			s = addr.String()
		}
		return 0, c.opError("write", addr, &net.AddrError{Err: "netstack: not an IP UDP address", Addr: s})
	}
	// gonet takes the IP slice as is, and a 16-byte IPv4-mapped slice
	// would become an IPv6 address rather than the IPv4 one it is.
	to := &net.UDPAddr{IP: ua.IP, Port: ua.Port}
	if ip4 := ua.IP.To4(); ip4 != nil {
		to.IP = ip4
	}
	if err := CheckDestination("udp", to.AddrPort().Addr()); err != nil {
		return 0, c.opError("write", addr, err)
	}
	n, err := c.UDPConn.WriteTo(b, to)
	return n, c.fix("write", addr, err)
}

// Close implements net.Conn and net.PacketConn; as tcpConn.Close.
func (c *udpConn) Close() error {
	if c.closed.Swap(true) {
		return c.opError("close", c.raddr, net.ErrClosed)
	}
	return c.UDPConn.Close()
}

// LocalAddr implements net.Conn and net.PacketConn.
func (c *udpConn) LocalAddr() net.Addr { return c.laddr }

// RemoteAddr implements net.Conn; it is nil for an unconnected socket.
func (c *udpConn) RemoteAddr() net.Addr { return c.raddr }

func (c *udpConn) fix(op string, addr net.Addr, err error) error {
	if err == nil {
		return nil
	}
	if c.closed.Load() {
		return c.opError(op, addr, net.ErrClosed)
	}
	if errors.Is(err, io.EOF) && c.s.closed() {
		// gonet's end of a UDP socket's receive side: here, the stack
		// went down under it, which a datagram socket reports as the
		// connection aborted rather than an end of stream it has not.
		err = c.opError(op, addr, syscall.ECONNABORTED)
	}
	return c.s.linkDown(fixOpError(err))
}

func (c *udpConn) opError(op string, addr net.Addr, err error) error {
	return &net.OpError{Op: op, Net: "udp", Source: c.laddr, Addr: addr, Err: err}
}

package modemsock

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Listener is a listening server socket: TCP connections or UDP peers
// become sockets, each reported by EventAccepted.
type Listener struct {
	// Data is the embedder's; the core does not touch it.
	Data any

	core    *Core
	ln      net.Listener
	pc      net.PacketConn
	peers   map[netip.AddrPort]*Socket // UDP
	closed  bool
	allow   func(netip.Addr) bool
	refused int
}

// SetAllow makes the listener take connections and datagrams only from
// addresses allow accepts (a module's firewall: Telit's AT#FRWL,
// Multi-Tech's AT#TCPSERV); the others are closed or dropped before any
// event, and counted (Refused). Nil, the default, takes every address.
func (l *Listener) SetAllow(allow func(netip.Addr) bool) { l.allow = allow }

// Refused is how many connections and UDP peers' datagrams the allow
// function refused.
func (l *Listener) Refused() int { return l.refused }

// allowed reports whether from may reach the listener, counting a
// refusal.
func (l *Listener) allowed(from netip.Addr) bool {
	if l.allow == nil || l.allow(from.Unmap()) {
		return true
	}
	l.refused++
	l.core.cfg.Logger.Debug("modemsock: refused by the allow list", "from", from)
	return false
}

// Listen accepts TCP connections on address over n. Each is a Connected
// socket reported by EventAccepted; the embedder Closes one it has no room
// for.
func (c *Core) Listen(n Network, address string) (*Listener, error) {
	ln, err := n.Listen("tcp", address)
	if err != nil {
		return nil, fmt.Errorf("modemsock: listen: %w", err)
	}
	l := &Listener{core: c, ln: ln}
	c.Go(func(ctx context.Context) func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			if !c.cfg.Post(func() { l.accepted(conn) }) {
				conn.Close()
				return nil
			}
		}
	})
	return l, nil
}

func (l *Listener) accepted(conn net.Conn) {
	from, _ := netip.ParseAddrPort(conn.RemoteAddr().String())
	if l.closed || !l.allowed(from.Addr()) {
		conn.Close()
		return
	}
	s := l.core.Attach(conn, false)
	l.core.emit(Event{Kind: EventAccepted, Socket: s, Listener: l})
}

// ListenPacket serves UDP peers on address over n: the first datagram
// from a new address makes a Connected socket for it (EventAccepted),
// whose writes go to that address, then EventReadable. UDP has no flow
// control: a datagram that does not fit its socket's buffer is dropped.
func (c *Core) ListenPacket(n Network, address string) (*Listener, error) {
	pc, err := n.ListenPacket("udp", address)
	if err != nil {
		return nil, fmt.Errorf("modemsock: listen udp: %w", err)
	}
	l := &Listener{core: c, pc: pc, peers: map[netip.AddrPort]*Socket{}}
	c.Go(func(ctx context.Context) func() {
		buf := make([]byte, 64<<10)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return nil
			}
			data := append([]byte(nil), buf[:n]...)
			if !c.cfg.Post(func() { l.datagram(addr, data) }) {
				return nil
			}
		}
	})
	return l, nil
}

func (l *Listener) datagram(addr net.Addr, data []byte) {
	from, err := netip.ParseAddrPort(addr.String())
	if err != nil || l.closed {
		return
	}
	s := l.peers[from]
	if (s == nil || s.state != Connected) && !l.allowed(from.Addr()) {
		return
	}
	if s == nil || s.state != Connected {
		s = l.core.newSocket(true)
		s.start(&packetPeer{pc: l.pc, to: addr}, false)
		l.peers[from] = s
		l.core.emit(Event{Kind: EventAccepted, Socket: s, Listener: l})
		if s.state != Connected {
			delete(l.peers, from)
			return // refused
		}
	}
	if s.rxLen+len(data) > l.core.cfg.RecvBuffer {
		l.core.cfg.Logger.Debug("modemsock: UDP datagram dropped", "from", from, "len", len(data))
		return
	}
	s.rx = append(s.rx, data)
	s.rxLen += len(data)
	l.core.emit(Event{Kind: EventReadable, Socket: s, N: s.rxLen})
}

// Peer returns the socket of a UDP listener's peer at to, making a
// Connected one (without EventAccepted) if there is none, so that the
// embedder can send a datagram to an address that sent nothing yet. It
// returns nil on a TCP or closed listener.
func (l *Listener) Peer(to netip.AddrPort) *Socket {
	if l.pc == nil || l.closed {
		return nil
	}
	if s := l.peers[to]; s != nil && s.state == Connected {
		return s
	}
	s := l.core.newSocket(true)
	s.start(&packetPeer{pc: l.pc, to: net.UDPAddrFromAddrPort(to)}, false)
	l.peers[to] = s
	return s
}

// Close stops listening. The sockets it made stay open.
func (l *Listener) Close() {
	if l.closed {
		return
	}
	l.closed = true
	if l.ln != nil {
		l.ln.Close()
	}
	if l.pc != nil {
		l.pc.Close()
	}
}

// packetPeer is the net.Conn of one UDP server peer: writes go to its
// address; the listener reads for all peers.
type packetPeer struct {
	pc net.PacketConn
	to net.Addr
}

var _ net.Conn = (*packetPeer)(nil)

func (u *packetPeer) Read([]byte) (int, error)         { return 0, net.ErrClosed }
func (u *packetPeer) Write(b []byte) (int, error)      { return u.pc.WriteTo(b, u.to) }
func (u *packetPeer) Close() error                     { return nil }
func (u *packetPeer) LocalAddr() net.Addr              { return u.pc.LocalAddr() }
func (u *packetPeer) RemoteAddr() net.Addr             { return u.to }
func (u *packetPeer) SetDeadline(time.Time) error      { return nil }
func (u *packetPeer) SetReadDeadline(time.Time) error  { return nil }
func (u *packetPeer) SetWriteDeadline(time.Time) error { return nil }

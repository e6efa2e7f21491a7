package atcompat

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// shimServer is a listening server (AT+QISERVER): TCP on ln, or UDP on pc.
type shimServer struct {
	ln  net.Listener
	pc  net.PacketConn
	max int // most clients at a time
}

func (p *shimPDP) stopServer() {
	if p.srv == nil {
		return
	}
	if p.srv.ln != nil {
		p.srv.ln.Close()
	}
	if p.srv.pc != nil {
		p.srv.pc.Close()
	}
	p.srv = nil
}

func (s *shimSession) cmdQISERVER(c *shimCmd) error {
	p := s.pdp()
	if c.Op == at.Test {
		s.line(fmt.Sprintf("+QISERVER: (0,1),(1-%d)", s.cfg.Profile.MaxConnections-1))
		return nil
	}
	limit, udp := 1, false
	switch c.Op {
	case at.Set:
		typ, ok1 := c.intArg(0, 0, 1)
		n, ok2 := c.intArg(1, 1, max(s.cfg.Profile.MaxConnections-1, 1))
		if !ok1 || (len(c.args) == 2 && !ok2) || !c.argc(1, 2) {
			return errShimParam
		}
		if len(c.args) == 2 {
			limit = n
		}
		udp = typ == 1
	case at.Action:
	default:
		return errShimParam
	}
	if p.srv != nil || p.state == pdpDeact || p.state == pdpStart || p.state == pdpConfig {
		return errShimState
	}
	if p.mux == 0 {
		limit = 1
	}
	s.result("OK")
	s.ensureActive(p, func(err error) {
		switch {
		case err != nil:
		case udp:
			err = s.listenUDP(p, limit)
		default:
			err = s.listen(p, limit)
		}
		if err != nil {
			s.log.Debug("atcompat: shim: listen failed", "err", err)
			s.line("CONNECT FAIL")
			return
		}
		s.line("SERVER OK")
	})
	return errShimFinal
}

func (s *shimSession) listen(p *shimPDP, limit int) error {
	ln, err := p.net.Listen("tcp", ":"+strconv.Itoa(p.lportTCP))
	if err != nil {
		return fmt.Errorf("atcompat: shim: listen: %w", err)
	}
	if p.state < pdpStatus {
		s.setState(p, pdpStatus)
	}
	srv := &shimServer{ln: ln, max: limit}
	p.srv = srv
	s.goAsync(func(ctx context.Context) func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return nil
			}
			if !s.post(func() { s.accepted(p, srv, conn) }) {
				conn.Close()
				return nil
			}
		}
	})
	return nil
}

// accepted gives an incoming connection the lowest free index (seed §3.4:
// "Profile 0 is used to establish the session with the client").
func (s *shimSession) accepted(p *shimPDP, srv *shimServer, conn net.Conn) {
	idx := s.serverSlot(p, srv)
	if idx < 0 {
		conn.Close()
		return
	}
	c := s.newConn(p, idx)
	c.server = true
	s.established(c, conn)
	c.host, c.port = c.remote.Addr().String(), int(c.remote.Port())
	s.line(c.urcPrefix() + "REMOTE IP: " + c.host)
	if p.mode == 1 && s.data == nil {
		s.result("CONNECT")
		s.enterData(c)
	}
}

func (s *shimSession) serverSlot(p *shimPDP, srv *shimServer) int {
	if p.srv != srv {
		return -1
	}
	clients, free := 0, -1
	for i := range s.cfg.Profile.MaxConnections {
		c := p.conns[i]
		switch {
		case c != nil && c.server && c.state != connClosed:
			clients++
		case free < 0 && (c == nil || (c.state == connClosed && c.rxLen == 0)):
			free = i
		}
	}
	if p.mux == 0 {
		if c := p.conns[1]; c != nil && c.state != connClosed {
			return -1
		}
		return 1
	}
	if clients >= srv.max {
		return -1
	}
	return free
}

// listenUDP serves UDP clients: each new source address takes an index on
// its first datagram ("It doesn't output the following string until
// receiving the first packet from the UDP client").
func (s *shimSession) listenUDP(p *shimPDP, limit int) error {
	pc, err := p.net.ListenPacket("udp", ":"+strconv.Itoa(p.lportUDP))
	if err != nil {
		return fmt.Errorf("atcompat: shim: listen udp: %w", err)
	}
	if p.state < pdpStatus {
		s.setState(p, pdpStatus)
	}
	srv := &shimServer{pc: pc, max: limit}
	p.srv = srv
	s.goAsync(func(ctx context.Context) func() {
		buf := make([]byte, 64<<10)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return nil
			}
			data := append([]byte(nil), buf[:n]...)
			if !s.post(func() { s.datagram(p, srv, addr, data) }) {
				return nil
			}
		}
	})
	return nil
}

// datagram takes one datagram of a UDP server. UDP has no flow control:
// a datagram that does not fit the client's receive buffer is dropped.
func (s *shimSession) datagram(p *shimPDP, srv *shimServer, addr net.Addr, data []byte) {
	from, err := netip.ParseAddrPort(addr.String())
	if err != nil || p.srv != srv {
		return
	}
	c := s.udpClient(p, from)
	if c == nil {
		idx := s.serverSlot(p, srv)
		if idx < 0 {
			s.log.Debug("atcompat: shim: UDP server full", "from", from)
			return
		}
		c = s.newConn(p, idx)
		c.server, c.udp, c.state = true, true, connConnected
		c.conn = &shimUDPPeer{pc: srv.pc, to: addr}
		c.remote, c.host, c.port = from, from.Addr().String(), int(from.Port())
		if ap, err := netip.ParseAddrPort(srv.pc.LocalAddr().String()); err == nil {
			c.local = ap
		}
		c.tx = make(chan shimTx, shimTxQueue)
		s.wg.Add(1)
		go s.routineConnWrite(c)
		s.line(c.urcPrefix() + "REMOTE IP: " + c.host)
		if p.mode == 1 && s.data == nil {
			s.result("CONNECT")
			s.enterData(c)
		}
	}
	if c.rxLen+len(data) > s.cfg.Profile.RecvBuffer {
		s.log.Debug("atcompat: shim: UDP datagram dropped", "from", from, "len", len(data))
		return
	}
	c.rx = append(c.rx, data)
	c.rxLen += len(data)
	s.deliver(c)
}

func (s *shimSession) udpClient(p *shimPDP, from netip.AddrPort) *shimConn {
	for _, c := range p.conns {
		if c != nil && c.server && c.udp && c.state == connConnected && c.remote == from {
			return c
		}
	}
	return nil
}

// shimUDPPeer is the net.Conn of one UDP server client: writes go to its
// address; the server's socket reads for all clients.
type shimUDPPeer struct {
	pc net.PacketConn
	to net.Addr
}

var _ net.Conn = (*shimUDPPeer)(nil)

func (u *shimUDPPeer) Read([]byte) (int, error)         { return 0, net.ErrClosed }
func (u *shimUDPPeer) Write(b []byte) (int, error)      { return u.pc.WriteTo(b, u.to) }
func (u *shimUDPPeer) Close() error                     { return nil }
func (u *shimUDPPeer) LocalAddr() net.Addr              { return u.pc.LocalAddr() }
func (u *shimUDPPeer) RemoteAddr() net.Addr             { return u.to }
func (u *shimUDPPeer) SetDeadline(time.Time) error      { return nil }
func (u *shimUDPPeer) SetReadDeadline(time.Time) error  { return nil }
func (u *shimUDPPeer) SetWriteDeadline(time.Time) error { return nil }

func (s *shimSession) cmdQILPORT(c *shimCmd) error {
	p := s.pdp()
	switch c.Op {
	case at.Read:
		s.line("TCP: " + strconv.Itoa(p.lportTCP))
		s.line("UDP: " + strconv.Itoa(p.lportUDP))
	case at.Test:
		s.line(`+QILPORT: ("TCP","UDP"),(0-65535)`)
	case at.Set:
		port, ok := c.intArg(1, 0, 65535)
		if len(c.args) != 2 || !ok || p.srv != nil {
			return errShimParam
		}
		switch strings.ToUpper(c.args[0].val) {
		case "TCP":
			p.lportTCP = port
		case "UDP":
			p.lportUDP = port
		default:
			return errShimParam
		}
	default:
		return errShimParam
	}
	return nil
}

package shim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

// shimServer is a listening server (AT+QISERVER) of a context.
type shimServer struct {
	pdp *shimPDP
	l   *modemsock.Listener
	max int // most clients at a time
}

func (p *shimPDP) stopServer() {
	if p.srv == nil {
		return
	}
	p.srv.l.Close()
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
		if err == nil {
			err = s.listen(p, limit, udp)
		}
		if err != nil {
			s.log.Debug("shim: listen failed", "err", err)
			s.line("CONNECT FAIL")
			return
		}
		s.line("SERVER OK")
	})
	return errShimFinal
}

// listen serves TCP (or UDP) clients on AT+QILPORT's port. A UDP client
// takes an index on its first datagram ("It doesn't output the following
// string until receiving the first packet from the UDP client").
func (s *shimSession) listen(p *shimPDP, limit int, udp bool) error {
	var l *modemsock.Listener
	var err error
	if udp {
		l, err = s.socks.ListenPacket(p.network(), ":"+strconv.Itoa(p.lportUDP))
	} else {
		l, err = s.socks.Listen(p.network(), ":"+strconv.Itoa(p.lportTCP))
	}
	if err != nil {
		return fmt.Errorf("shim: %w", err)
	}
	if p.state < pdpStatus {
		s.setState(p, pdpStatus)
	}
	srv := &shimServer{pdp: p, l: l, max: limit}
	l.Data = srv
	p.srv = srv
	return nil
}

// accepted gives an incoming connection (EventAccepted) the lowest free
// index (seed §3.4: "Profile 0 is used to establish the session with the
// client"), or refuses it.
func (s *shimSession) accepted(srv *shimServer, sock *modemsock.Socket) {
	p := srv.pdp
	idx := s.serverSlot(p, srv)
	if idx < 0 {
		s.log.Debug("shim: server full", "from", sock.Remote())
		sock.Close()
		return
	}
	c := s.newConn(p, idx)
	c.server, c.udp, c.state = true, sock.UDP(), connConnected
	c.attach(sock)
	c.host, c.port = c.remote().Addr().String(), int(c.remote().Port())
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
		case free < 0 && (c == nil || (c.state == connClosed && c.buffered() == 0)):
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

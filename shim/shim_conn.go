package shim

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/modemsock"
)

type shimConnState int

const (
	connConnecting shimConnState = iota
	connConnected
	connClosed
)

// shimConn is one connection index: a client (sc 1) or an accepted server
// connection (sc 2), as the M95 shows it. Its socket in the core, sock,
// exists from the dial (or accept) on; before that the connection is
// CONNECTING while its context activates.
type shimConn struct {
	pdp    *shimPDP
	idx    int
	server bool
	udp    bool
	host   string // as the host gave it, or the client's address
	port   int
	state  shimConnState
	sock   *modemsock.Socket

	eof      bool   // the peer closed; CLOSED not yet reported
	notified bool   // +QIRDI sent since the buffer was last empty or read
	waiting  []byte // a QISEND payload waiting for room in the queue
}

// attach makes sock c's socket.
func (c *shimConn) attach(sock *modemsock.Socket) {
	c.sock, sock.Data = sock, c
}

// buffered is how many received bytes wait for the host.
func (c *shimConn) buffered() int {
	if c.sock == nil {
		return 0
	}
	return c.sock.Buffered()
}

// remote is the peer's address; zero before the connection is made.
func (c *shimConn) remote() netip.AddrPort {
	if c.sock == nil {
		return netip.AddrPort{}
	}
	return c.sock.Remote()
}

// local is the connection's own address; zero before it is made.
func (c *shimConn) local() netip.AddrPort {
	if c.sock == nil {
		return netip.AddrPort{}
	}
	return c.sock.Local()
}

func (c *shimConn) proto() string {
	if c.udp {
		return "UDP"
	}
	return "TCP"
}

func (c *shimConn) sc() int {
	if c.server {
		return 2
	}
	return 1
}

func (c *shimConn) stateWord() string {
	switch c.state {
	case connConnecting:
		return "CONNECTING"
	case connConnected:
		return "CONNECTED"
	}
	return "CLOSED"
}

// urcPrefix is "<n>, " under AT+QIMUX=1.
func (c *shimConn) urcPrefix() string {
	if c.pdp.mux == 1 {
		return strconv.Itoa(c.idx) + ", "
	}
	return ""
}

// newConn puts a connection in slot idx of p, replacing a closed one.
func (s *shimSession) newConn(p *shimPDP, idx int) *shimConn {
	c := &shimConn{pdp: p, idx: idx, state: connConnecting}
	p.conns[idx] = c
	p.ipClose = false
	return c
}

// sendWaiting queues a QISEND payload that waited for room, once a write
// has made some.
func (s *shimSession) sendWaiting(c *shimConn) {
	if c.waiting != nil && s.write(c, c.waiting, nil) {
		c.waiting = nil
		s.sendOK()
		s.resume()
	}
}

// write queues data for c; done runs on the loop once it is written.
func (s *shimSession) write(c *shimConn, data []byte, done func(error)) bool {
	return c.state == connConnected && c.sock.Write(data, done)
}

// peerClosed handles the end of c by its peer (or a failure).
func (s *shimSession) peerClosed(c *shimConn, err error) {
	if c.state != connConnected {
		return // closed locally meanwhile
	}
	s.log.Debug("shim: connection ended", "index", c.idx, "err", err)
	c.eof = true
	s.deliver(c) // in data mode: the last bytes before leaving it
	s.closeConn(c, false)
	c.pdp.ipClose = c.pdp.mux == 0
	s.deliverClosed(c)
}

// take removes up to n buffered bytes (one datagram at most for UDP).
func (s *shimSession) take(c *shimConn, n int) []byte {
	out := c.sock.Read(n)
	if c.sock.Buffered() == 0 {
		c.notified = false
	}
	return out
}

// closeConn closes c; urc reports CLOSED (a close the host did not ask
// for). Buffered data stays readable by AT+QIRD.
func (s *shimSession) closeConn(c *shimConn, urc bool) {
	if c.state == connClosed {
		return
	}
	c.state = connClosed
	if c.sock != nil {
		c.sock.Close()
	}
	if c.waiting != nil {
		c.waiting = nil
		s.line("SEND FAIL")
		s.resume()
	}
	if s.data != nil && s.data.owner == c {
		s.leaveData()
		s.data = nil
	}
	if urc {
		c.eof = false
		s.line(c.urcPrefix() + "CLOSED")
	}
}

// connFor finds the connection an AT+QISEND/QISACK/QICLOSE without an
// index means: under QIMUX=0 the client, or with AT+QISRVC=2 the accepted
// one.
func (s *shimSession) connFor(p *shimPDP) *shimConn {
	client, server := p.conns[0], p.conns[1]
	if s.ip.srvc == 2 {
		return server
	}
	// With only an accepted connection (server mode, no AT+QISRVC=2),
	// that one is meant, as the application note's transparent server
	// session shows.
	if (client == nil || client.state == connClosed) && server != nil && server.state != connClosed {
		return server
	}
	return client
}

// connArg finds the connection named by parameter k under QIMUX=1, or the
// implied one under QIMUX=0 (which takes no index).
func (s *shimSession) connArg(c *shimCmd, k int) (*shimConn, bool) {
	p := s.pdp()
	if p.mux == 0 {
		return s.connFor(p), len(c.args) <= k
	}
	i, ok := c.intArg(k, 0, s.cfg.Profile.MaxConnections-1)
	if !ok {
		return nil, false
	}
	return p.conns[i], true
}

func (s *shimSession) cmdQIOPEN(c *shimCmd) error {
	if c.Op == at.Test {
		s.line(`+QIOPEN: ("TCP","UDP"),("(0-255).(0-255).(0-255).(0-255)","DOMAIN NAME"),(1-65535)`)
		return nil
	}
	p := s.pdp()
	idx, k := 0, 0
	if p.mux == 1 {
		var ok bool
		if idx, ok = c.intArg(0, 0, s.cfg.Profile.MaxConnections-1); !ok {
			return errShimParam
		}
		k = 1
	}
	if c.Op != at.Set || len(c.args) != k+3 {
		return errShimParam
	}
	mode := strings.ToUpper(c.args[k].val)
	host := c.args[k+1].val
	port, okPort := c.intArg(k+2, 1, 65535)
	if (mode != "TCP" && mode != "UDP") || host == "" || !okPort {
		return errShimParam
	}
	if cur := p.conns[idx]; cur != nil && cur.state != connClosed {
		s.line("ALREADY CONNECT")
		return errShimFinal
	}
	// A host name with AT+QIDNSIP=0 is tolerated (checklist item 7).
	// The Chinese note allows IP INITIAL, IP STATUS and IP CLOSE; IP
	// GPRSACT (a host skipping AT+QILOCIP) and IP CONFIG (an earlier
	// QIOPEN still activating) are tolerated too.
	// An accepted connection (seed §3.2) does not stop a client.
	switch p.state {
	case pdpInitial, pdpStatus, pdpGPRSAct:
	case pdpConfig:
		if !p.px.Activating() {
			return errShimState
		}
	default:
		return errShimState
	}
	cn := s.newConn(p, idx)
	cn.udp, cn.host, cn.port = mode == "UDP", host, port
	s.result("OK")
	s.ensureActive(p, func(err error) {
		if err != nil {
			s.dialed(cn, err)
			return
		}
		if p.state < pdpStatus {
			s.setState(p, pdpStatus)
		}
		s.dial(cn, p.network())
	})
	return errShimFinal
}

func (s *shimSession) dial(c *shimConn, n Network) {
	if c.state != connConnecting {
		return // closed while its context activated
	}
	addr := net.JoinHostPort(c.host, strconv.Itoa(c.port))
	c.attach(s.socks.Dial(n, c.udp, addr, shimDialTimeout))
}

// dialed ends a connection's dial (EventConnected, EventConnectFailed) or
// its activation (a failure).
func (s *shimSession) dialed(c *shimConn, err error) {
	if c.state != connConnecting {
		return
	}
	p := c.pdp
	if err != nil {
		s.log.Debug("shim: connect failed", "index", c.idx, "err", err)
		c.state = connClosed
		if c.sock != nil {
			c.sock.Close()
		}
		p.conns[c.idx] = nil
		p.ipClose = p.mux == 0
		s.line(c.urcPrefix() + "CONNECT FAIL")
		return
	}
	c.state = connConnected
	if p.mode == 1 {
		s.result("CONNECT")
		s.enterData(c)
		return
	}
	s.line(c.urcPrefix() + "CONNECT OK")
}

func (s *shimSession) cmdQICLOSE(c *shimCmd) error {
	p := s.pdp()
	if c.Op == at.Test {
		return nil
	}
	if c.Op == at.Set {
		if p.mux == 0 || len(c.args) != 1 {
			return errShimParam
		}
		cn, ok := s.connArg(c, 0)
		if !ok || cn == nil || cn.state == connClosed {
			return errShimState
		}
		s.closeConn(cn, false)
		p.conns[cn.idx] = nil
		s.line(fmt.Sprintf("%d, CLOSE OK", cn.idx))
		return errShimFinal
	}
	if c.Op != at.Action {
		return errShimParam
	}
	if p.mux == 0 {
		if cn := s.connFor(p); cn != nil && cn.state != connClosed {
			s.closeConn(cn, false)
			p.conns[cn.idx] = nil
			p.ipClose = true
			s.line("CLOSE OK")
			return errShimFinal
		}
	}
	// The exec form closes the listener once no connection is left to
	// close; with QIMUX=1 only with AT+QISRVC=2.
	if p.srv != nil && (p.mux == 0 || s.ip.srvc == 2) {
		p.stopServer()
		s.line("CLOSE OK")
		return errShimFinal
	}
	return errShimState
}

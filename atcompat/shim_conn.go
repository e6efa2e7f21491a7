package atcompat

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
)

type shimConnState int

const (
	connConnecting shimConnState = iota
	connConnected
	connClosed
)

// shimTxQueue is how many writes a connection's writer goroutine queues.
const shimTxQueue = 16

// shimReadChunk is the most a connection's reader takes per Read.
const shimReadChunk = 4096

// shimConn is one connection index: a client (sc 1) or an accepted server
// connection (sc 2). Its fields belong to the session loop; the reader and
// writer goroutines only use conn, room, tx and done.
type shimConn struct {
	pdp    *shimPDP
	idx    int
	server bool
	udp    bool
	host   string // as the host gave it, or the client's address
	port   int
	remote netip.AddrPort
	local  netip.AddrPort
	state  shimConnState

	conn   net.Conn
	cancel context.CancelFunc
	done   <-chan struct{}
	tx     chan shimTx
	room   chan int // credit for the reader: bytes it may read

	rx       [][]byte // received, not yet given to the host
	rxLen    int
	starved  bool // the reader waits for room
	eof      bool // the peer closed; CLOSED not yet reported
	notified bool // +QIRDI sent since the buffer was last empty or read

	sent    int    // bytes the connection's Write accepted
	queued  int    // bytes queued for the writer
	waiting []byte // a QISEND payload waiting for room in the queue
}

// shimTx is one write for a connection's writer goroutine.
type shimTx struct {
	data []byte
	done func(err error) // run on the loop; may be nil
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
	ctx, cancel := context.WithCancel(s.ctx)
	c := &shimConn{pdp: p, idx: idx, cancel: cancel, done: ctx.Done(), state: connConnecting}
	p.conns[idx] = c
	p.ipClose = false
	return c
}

// established starts the goroutines of a connected connection.
func (s *shimSession) established(c *shimConn, conn net.Conn) {
	c.conn, c.state = conn, connConnected
	if ap, err := netip.ParseAddrPort(conn.RemoteAddr().String()); err == nil {
		c.remote = ap
	}
	if ap, err := netip.ParseAddrPort(conn.LocalAddr().String()); err == nil {
		c.local = ap
	}
	c.tx = make(chan shimTx, shimTxQueue)
	c.room = make(chan int, 1)
	c.room <- s.cfg.Profile.RecvBuffer
	s.wg.Add(2)
	go s.routineConnRead(c)
	go s.routineConnWrite(c)
}

// routineConnRead reads from c as far as the loop gives it room, so that a
// host that does not read stops the peer by TCP flow control.
func (s *shimSession) routineConnRead(c *shimConn) {
	defer s.wg.Done()
	size := shimReadChunk
	if c.udp {
		size = 64 << 10 // a whole datagram
	}
	buf := make([]byte, size)
	for {
		var free int
		select {
		case free = <-c.room:
		case <-c.done:
			return
		}
		n := len(buf)
		if !c.udp {
			n = min(n, free)
		}
		n, err := c.conn.Read(buf[:n])
		data := append([]byte(nil), buf[:n]...)
		if !s.post(func() { s.onRecv(c, data, err) }) || err != nil {
			return
		}
	}
}

// routineConnWrite writes what the loop queues, in order.
func (s *shimSession) routineConnWrite(c *shimConn) {
	defer s.wg.Done()
	for {
		select {
		case t := <-c.tx:
			n, err := c.conn.Write(t.data)
			if !s.post(func() { s.onWritten(c, t, n, err) }) {
				return
			}
		case <-c.done:
			return
		}
	}
}

func (s *shimSession) onWritten(c *shimConn, t shimTx, n int, err error) {
	c.sent += n
	c.queued -= len(t.data)
	if t.done != nil {
		t.done(err)
	}
	if c.waiting != nil && s.write(c, c.waiting, nil) {
		c.waiting = nil
		s.sendOK()
		s.resume()
	}
}

// write queues data for c; done runs on the loop once it is written.
func (s *shimSession) write(c *shimConn, data []byte, done func(error)) bool {
	if c.state != connConnected {
		return false
	}
	select {
	case c.tx <- shimTx{data: data, done: done}:
		c.queued += len(data)
		return true
	default:
		return false
	}
}

// onRecv takes what the reader read. err ends the connection (the peer
// closed it or it failed).
func (s *shimSession) onRecv(c *shimConn, data []byte, err error) {
	if c.state != connConnected {
		return // closed locally meanwhile
	}
	if len(data) > 0 {
		c.rx = append(c.rx, data)
		c.rxLen += len(data)
	}
	if err == nil {
		c.starved = true
		s.giveRoom(c)
		s.deliver(c)
		return
	}
	s.log.Debug("atcompat: shim: connection ended", "index", c.idx, "err", err)
	c.eof = true
	s.deliver(c) // in data mode: the last bytes before leaving it
	s.closeConn(c, false)
	c.pdp.ipClose = c.pdp.mux == 0
	s.deliverClosed(c)
}

// giveRoom lets a waiting reader read as much as the buffer has room for.
func (s *shimSession) giveRoom(c *shimConn) {
	free := s.cfg.Profile.RecvBuffer - c.rxLen
	if !c.starved || free <= 0 || c.state != connConnected {
		return
	}
	c.starved = false
	select {
	case c.room <- free:
	default:
	}
}

// take removes up to n buffered bytes (one datagram at most for UDP).
func (s *shimSession) take(c *shimConn, n int) []byte {
	var out []byte
	for len(c.rx) > 0 && len(out) < n {
		k := min(n-len(out), len(c.rx[0]))
		out = append(out, c.rx[0][:k]...)
		if c.rx[0] = c.rx[0][k:]; len(c.rx[0]) == 0 {
			c.rx = c.rx[1:]
		}
		if c.udp {
			break
		}
	}
	c.rxLen -= len(out)
	if c.rxLen == 0 {
		c.notified = false
	}
	s.giveRoom(c)
	return out
}

// closeConn closes c; urc reports CLOSED (a close the host did not ask
// for). Buffered data stays readable by AT+QIRD.
func (s *shimSession) closeConn(c *shimConn, urc bool) {
	if c.state == connClosed {
		return
	}
	c.state = connClosed
	c.cancel()
	if c.waiting != nil {
		c.waiting = nil
		s.line("SEND FAIL")
		s.resume()
	}
	if c.conn != nil {
		c.conn.Close()
	}
	if s.data != nil && s.data.conn == c {
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
		if len(p.activating) == 0 {
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
			s.dialed(cn, nil, err)
			return
		}
		if p.state < pdpStatus {
			s.setState(p, pdpStatus)
		}
		s.dial(cn, p.net)
	})
	return errShimFinal
}

func (s *shimSession) dial(c *shimConn, n Network) {
	network := "tcp"
	if c.udp {
		network = "udp"
	}
	addr := net.JoinHostPort(c.host, strconv.Itoa(c.port))
	done := c.done
	s.goAsync(func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, shimDialTimeout)
		defer cancel()
		go func() {
			select {
			case <-done:
				cancel()
			case <-ctx.Done():
			}
		}()
		conn, err := n.DialContext(ctx, network, addr)
		return func() { s.dialed(c, conn, err) }
	})
}

func (s *shimSession) dialed(c *shimConn, conn net.Conn, err error) {
	if c.state != connConnecting {
		if conn != nil {
			conn.Close()
		}
		return
	}
	p := c.pdp
	if err != nil {
		s.log.Debug("atcompat: shim: connect failed", "index", c.idx, "err", err)
		c.state = connClosed
		c.cancel()
		p.conns[c.idx] = nil
		p.ipClose = p.mux == 0
		s.line(c.urcPrefix() + "CONNECT FAIL")
		return
	}
	s.established(c, conn)
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

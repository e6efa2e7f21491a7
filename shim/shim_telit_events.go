package shim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/gprsppp/gprsppp/modemsock"
)

// telitEvent renders what the socket core reports in the Telit's words,
// on the port of the socket concerned: AT#SD's CONNECT, OK or error,
// SRING for an incoming connection or data, NO CARRIER when an online
// socket closes.
func (s *shimSession) telitEvent(ev modemsock.Event) {
	m := s.tl()
	if ev.Kind == modemsock.EventContextLost {
		s.telitContextLost(ev.Context.Data.(*telitContext))
		return
	}
	var k *telitSocket
	if ev.Kind == modemsock.EventAccepted {
		k, _ = ev.Listener.Data.(*telitSocket)
	} else {
		k, _ = ev.Socket.Data.(*telitSocket)
	}
	if k == nil || !m.socks.Holds(k.id, k) {
		if ev.Kind == modemsock.EventAccepted {
			ev.Socket.Close() // a listener closed meanwhile
		}
		return
	}
	p := k.port
	switch ev.Kind {
	case modemsock.EventConnected:
		p.telitWatchIdle(k)
		if k.online {
			p.telitOnline(k)
		} else {
			p.result("OK")
		}
		p.resume()
	case modemsock.EventConnectFailed:
		p.log.Debug("shim: connect failed", "id", k.id, "err", ev.Err)
		code := telitErrConnect
		var dnsErr *net.DNSError
		switch {
		case errors.As(ev.Err, &dnsErr):
			code = telitErrDNS
		case errors.Is(ev.Err, context.DeadlineExceeded):
			code = telitErrTimeout
		}
		p.errorResult(telitErr(code))
		p.resume()
	case modemsock.EventAccepted:
		p.telitIncoming(k, ev.Socket)
	case modemsock.EventReadable:
		if k.sock == ev.Socket {
			p.telitDeliver(k)
		}
	case modemsock.EventPeerClosed:
		if k.sock != ev.Socket {
			if k.in == ev.Socket {
				k.in = nil // gone before AT#SA: listening again
			}
			return
		}
		k.closure = 2
		if errors.Is(ev.Err, io.EOF) {
			k.closure = 1
		}
		p.telitPeerClosed(k)
	}
}

// telitIncoming takes a connection a listener accepted: SRING, or
// CONNECT with ListenAutoRsp; refused while another waits or the socket
// is connected.
func (s *shimSession) telitIncoming(k *telitSocket, c *modemsock.Socket) {
	if k.in != nil || k.sock != nil && k.sock.State() == modemsock.Connected {
		c.Close()
		return
	}
	if k.easy {
		s.telitEasyIncoming(k, c)
		return
	}
	k.in = c
	c.Data = k
	if s.tl().cfg[k.id].autoRsp == 1 && s.data == nil && !s.busy() && !s.e.InPayload() {
		s.telitAccept(k, 0)
		return
	}
	s.line(fmt.Sprintf("SRING: %d", k.id))
}

// telitPeerClosed handles the peer's close: an online socket's last data
// and NO CARRIER; a command-mode socket stays readable until drained,
// with "NO CARRIER: <connId>,<cause>" under AT#SCFGEXT2's noCarrierMode.
func (s *shimSession) telitPeerClosed(k *telitSocket) {
	if d := s.data; d != nil && d.owner == k {
		if d.active {
			n := k.sock.Buffered()
			s.dataDeliver()
			k.received += n - k.sock.Buffered()
		}
		s.leaveData()
		s.data = nil
		k.sock.Read(k.sock.Buffered())
		s.result("NO CARRIER")
		return
	}
	if s.tl().cfg[k.id].noCarrier != 0 {
		s.line(fmt.Sprintf("NO CARRIER: %d,1", k.id)) // 1: the remote closed
	}
	s.telitDeliver(k)
}

// telitDeliver gives k's data to the host: raw in online mode, else
// announced by SRING in the AT#SCFGEXT srMode, once until AT#SRECV
// drains the buffer (or leaves data, telitFlush); while a command runs
// it waits.
func (s *shimSession) telitDeliver(k *telitSocket) {
	if d := s.data; d != nil && d.owner == k {
		n := k.sock.Buffered()
		s.dataDeliver() // raw in data mode; held after +++ until AT#SO
		k.received += n - k.sock.Buffered()
		if !d.active {
			s.telitRing(k) // told while escaped
		}
		return
	}
	s.telitRing(k)
}

// telitRing announces k's buffered data by SRING in the AT#SCFGEXT
// srMode, unless it did already or the port cannot take it now.
func (s *shimSession) telitRing(k *telitSocket) {
	if s.busy() || s.e.InPayload() || s.data != nil && s.data.active || k.sock.Buffered() == 0 || k.rung {
		return
	}
	if s.telitRingLater(k) {
		return
	}
	g := s.tl().cfg[k.id]
	n := k.sock.Buffered()
	switch g.srMode {
	case 0:
		k.rung = true
		s.line(fmt.Sprintf("SRING: %d", k.id))
	case 1:
		k.rung = true
		s.line(fmt.Sprintf("SRING: %d,%d", k.id, n))
	default: // 2 data view, 3 with the peer: the data leaves the buffer
		for k.sock.Buffered() > 0 {
			data := k.sock.Read(telitMaxRecv)
			k.received += len(data)
			text := string(data)
			if g.recvMode == 1 {
				text = fmt.Sprintf("%X", data)
			}
			if g.srMode == 2 {
				s.line(fmt.Sprintf("SRING: %d,%d,%s", k.id, len(data), text))
			} else {
				r := k.sock.Remote()
				s.line(fmt.Sprintf("SRING: %s,%d,%d,%d,%d,%s", telitAddr(r), r.Port(), k.id, len(data), k.sock.Buffered(), text))
			}
		}
	}
}

// telitFlush delivers what waited for this port's command line: online
// data at once, an SRING urcGuard later.
func (s *shimSession) telitFlush() {
	for _, k := range s.tl().socks.All() {
		if k.port == s && k.sock != nil && k.sock.Buffered() > 0 {
			s.telitDeliver(k)
		}
	}
}

// telitRingLater calls telitDeliver for k once the port has been quiet
// for urcGuard; it reports false if it is quiet already.
func (s *shimSession) telitRingLater(k *telitSocket) bool {
	return s.afterQuiet(&k.ringDue, func() {
		if s.tl().socks.Holds(k.id, k) && k.port == s && k.sock != nil {
			s.telitDeliver(k)
		}
	})
}

// telitContextLost closes the sockets of a context whose network went
// away; a listener's port hears "#SL: ABORTED" ("if the socket is closed
// by the network", GM862 manual; "#SKTL: ABORTED" for AT#SKTL's, as the
// ME910C1 and ME310 manuals spell it).
func (s *shimSession) telitContextLost(x *telitContext) {
	m := s.tl()
	for _, k := range m.socks.All() {
		if m.cid(k) != x.id {
			continue
		}
		if k.lis != nil && k.sock == nil && k.in == nil {
			if k.easy {
				k.port.line("#SKTL: ABORTED")
			} else {
				k.port.line("#SL: ABORTED")
			}
		}
		s.telitRelease(k, true)
	}
	x.px.Deactivate(errShimState)
}

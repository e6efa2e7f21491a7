package shim

import (
	"context"
	"errors"
	"fmt"

	"github.com/gprsppp/gprsppp/modemsock"
)

// bg96Event renders what the socket core reports in the BG96's words:
// +QIOPEN: <id>,<err> (dialed), +QIURC: "incoming" (accepted), "recv"
// (bg96Deliver), "closed" and "pdpdeact".
func (s *shimSession) bg96Event(ev modemsock.Event) {
	if ev.Kind == modemsock.EventContextLost {
		s.bg96ContextLost(ev.Context.Data.(*bg96Context))
		return
	}
	var k *bg96Socket
	if ev.Kind == modemsock.EventAccepted {
		k, _ = ev.Listener.Data.(*bg96Socket)
	} else {
		k, _ = ev.Socket.Data.(*bg96Socket)
	}
	if k == nil || !s.bg().socks.Holds(k.id, k) {
		if ev.Kind == modemsock.EventAccepted {
			ev.Socket.Close() // a listener closed meanwhile
		}
		return // a socket the host closed
	}
	switch ev.Kind {
	case modemsock.EventConnected:
		k.state = bg96Connected
		if k.mode == bg96Transparent {
			s.result("CONNECT")
			s.enterDataBG96(k)
			s.resume()
			return
		}
		s.bg96Opened(k.id, bg96OK)
	case modemsock.EventConnectFailed:
		s.log.Debug("shim: connect failed", "id", k.id, "err", ev.Err)
		s.bg().socks.Free(k.id, k)
		code := bg96ErrConnect
		if errors.Is(ev.Err, context.DeadlineExceeded) {
			code = bg96ErrTimeout
		}
		if k.mode == bg96Transparent {
			s.bg().lastErr = code
			s.errorResult(errShimState)
			s.resume()
			return
		}
		s.bg96Opened(k.id, code)
	case modemsock.EventAccepted:
		s.bg96Accepted(k, ev.Socket)
	case modemsock.EventReadable:
		if k.typ == bg96UDPService {
			s.bg96Datagrams(k, ev.Socket)
		}
		s.bg96Deliver(k)
	case modemsock.EventPeerClosed:
		if k.typ == bg96UDPService {
			return // a peer of the service; the service stays
		}
		k.closed, k.state = true, bg96Closing
		if d := s.data; d != nil && d.owner == k {
			// Transparent: the last data, then NO CARRIER in command
			// mode.
			s.dataDeliver()
			s.leaveData()
			s.data, k.told = nil, true
			s.result("NO CARRIER")
			return
		}
		s.bg96Deliver(k)
	case modemsock.EventSendFailed:
		s.bg().lastErr = bg96ErrWrite
	}
}

// bg96Accepted gives a connection a TCP LISTENER took the lowest free
// connectID, or refuses it when none is free.
func (s *shimSession) bg96Accepted(srv *bg96Socket, sock *modemsock.Socket) {
	if srv.typ == bg96UDPService {
		sock.Data = srv // its datagrams go to the service
		return
	}
	id, ok := s.bg().socks.Lowest()
	if !ok {
		sock.Close()
		s.line(`+QIURC: "incoming full"`)
		return
	}
	k := &bg96Socket{id: id, ctx: srv.ctx, typ: bg96TCPIncoming, serverID: srv.id,
		mode: srv.mode, state: bg96Connected, sock: sock, lport: srv.lport}
	sock.Data = k
	s.bg().socks.Set(id, k)
	r := sock.Remote()
	s.line(fmt.Sprintf(`+QIURC: "incoming",%d,%d,%q,%d`, id, srv.id, r.Addr(), r.Port()))
}

// bg96Datagrams moves what a UDP SERVICE's peer socket received into the
// service's queue, with the peer's address.
func (s *shimSession) bg96Datagrams(k *bg96Socket, peer *modemsock.Socket) {
	for len(peer.Packets()) > 0 {
		data := peer.Read(len(peer.Packets()[0]))
		if k.dgramLen+len(data) > s.cfg.Profile.RecvBuffer {
			s.log.Debug("shim: UDP datagram dropped: buffer full", "id", k.id, "len", len(data))
			continue
		}
		k.dgrams = append(k.dgrams, bg96Datagram{from: peer.Remote(), data: data})
		k.dgramLen += len(data)
	}
}

// bg96Deliver tells the host of k's data, or pushes it, and then of its
// close; while a command runs it waits (bg96Flush).
func (s *shimSession) bg96Deliver(k *bg96Socket) {
	if d := s.data; d != nil && d.owner == k {
		s.dataDeliver() // raw in data mode; held after +++ until ATO
		return
	}
	if s.busy() || s.e.InPayload() {
		return
	}
	switch k.mode {
	case bg96Buffer:
		if k.buffered() > 0 && !k.notified {
			k.notified = true
			s.line(fmt.Sprintf(`+QIURC: "recv",%d`, k.id))
		}
	case bg96Push:
		s.bg96Push(k)
	}
	if k.closed && !k.told && (k.mode == bg96Buffer || k.buffered() == 0) {
		k.told = true
		s.line(fmt.Sprintf(`+QIURC: "closed",%d`, k.id))
	}
}

// bg96Push writes k's data as +QIURC: "recv",<id>,<len>[,"<ip>",<port>]
// blocks of at most bg96MaxRead octets.
func (s *shimSession) bg96Push(k *bg96Socket) {
	for k.buffered() > 0 {
		if k.typ == bg96UDPService {
			d := k.dgrams[0]
			k.dgrams, k.dgramLen = k.dgrams[1:], k.dgramLen-len(d.data)
			k.read += len(d.data)
			s.line(fmt.Sprintf(`+QIURC: "recv",%d,%d,%q,%d`, k.id, len(d.data), d.from.Addr(), d.from.Port()))
			s.raw(d.data)
		} else {
			data := k.sock.Read(bg96MaxRead)
			k.read += len(data)
			s.line(fmt.Sprintf(`+QIURC: "recv",%d,%d`, k.id, len(data)))
			s.raw(data)
		}
		s.raw([]byte("\r\n"))
	}
}

// bg96Flush delivers what waited for a command to finish.
func (s *shimSession) bg96Flush() {
	for _, k := range s.bg().socks.All() {
		if k.buffered() > 0 || k.closed && !k.told {
			s.bg96Deliver(k)
		}
	}
}

// bg96ContextLost handles the loss of a context's network: its sockets
// are closing, and the host is told +QIURC: "pdpdeact",<ctx>.
func (s *shimSession) bg96ContextLost(x *bg96Context) {
	s.log.Debug("shim: context lost", "context", x.id)
	for _, k := range s.bg().socks.All() {
		if k.ctx != x.id {
			continue
		}
		if k.sock != nil {
			k.sock.Close()
		}
		if k.lis != nil {
			k.lis.Close()
		}
		k.state, k.told = bg96Closing, true // "pdpdeact" says it for all
		if d := s.data; d != nil && d.owner == k {
			s.leaveData()
			s.data = nil
			s.result("NO CARRIER")
		}
	}
	x.px.Deactivate(errShimState)
	s.line(fmt.Sprintf(`+QIURC: "pdpdeact",%d`, x.id))
}

package modemsock

// routineRead reads as far as the embedder gives it room, so that a host
// that does not read stops the peer by TCP flow control.
func (s *Socket) routineRead() {
	defer s.core.wg.Done()
	size := readChunk
	if s.udp {
		size = 64 << 10 // a whole datagram
	}
	buf := make([]byte, size)
	for {
		var free int
		select {
		case free = <-s.room:
		case <-s.done:
			return
		}
		n := len(buf)
		if !s.udp {
			n = min(n, free)
		}
		n, err := s.conn.Read(buf[:n])
		data := append([]byte(nil), buf[:n]...)
		if !s.core.cfg.Post(func() { s.onRecv(data, err) }) || err != nil {
			return
		}
	}
}

// onRecv takes what the reader read. err ends the socket.
func (s *Socket) onRecv(data []byte, err error) {
	if s.state != Connected {
		return // closed locally meanwhile
	}
	if len(data) > 0 {
		s.rx = append(s.rx, data)
		s.rxLen += len(data)
	}
	if err == nil {
		s.starved = true
		s.giveRoom()
		s.core.emit(Event{Kind: EventReadable, Socket: s, N: s.rxLen})
		return
	}
	s.core.cfg.Logger.Debug("modemsock: connection ended", "err", err)
	s.Close()
	s.core.emit(Event{Kind: EventPeerClosed, Socket: s, N: s.rxLen, Err: err})
}

// giveRoom lets a waiting reader read as much as the buffer has room for.
func (s *Socket) giveRoom() {
	free := s.core.cfg.RecvBuffer - s.rxLen
	if !s.starved || free <= 0 || s.state != Connected {
		return
	}
	s.starved = false
	select {
	case s.room <- free:
	default:
	}
}

// Buffered is how many received bytes wait to be read.
func (s *Socket) Buffered() int { return s.rxLen }

// Packets are the received blocks waiting to be read, in order: one per
// read of a stream, one per datagram. The caller must not modify them.
func (s *Socket) Packets() [][]byte { return s.rx }

// Read removes and returns up to n buffered bytes, no more than one
// datagram on UDP, and lets the reader fill the room it made.
func (s *Socket) Read(n int) []byte {
	var out []byte
	for len(s.rx) > 0 && len(out) < n {
		k := min(n-len(out), len(s.rx[0]))
		out = append(out, s.rx[0][:k]...)
		if s.rx[0] = s.rx[0][k:]; len(s.rx[0]) == 0 {
			s.rx = s.rx[1:]
		}
		if s.udp {
			break
		}
	}
	s.rxLen -= len(out)
	s.giveRoom()
	return out
}

// Write queues data for the socket's writer; done, if not nil, runs on the
// embedder's goroutine once it is written, before EventSent or
// EventSendFailed. It reports false, queueing nothing, if the socket is not
// Connected or its queue is full; an EventSent or EventSendFailed follows
// each write that frees a place.
func (s *Socket) Write(data []byte, done func(error)) bool {
	if s.state != Connected {
		return false
	}
	select {
	case s.tx <- txItem{data: data, done: done}:
		s.queued += len(data)
		return true
	default:
		return false
	}
}

// routineWrite writes what Write queues, in order.
func (s *Socket) routineWrite() {
	defer s.core.wg.Done()
	for {
		select {
		case t := <-s.tx:
			n, err := s.conn.Write(t.data)
			if !s.core.cfg.Post(func() { s.onWritten(t, n, err) }) {
				return
			}
		case <-s.done:
			return
		}
	}
}

func (s *Socket) onWritten(t txItem, n int, err error) {
	s.sent += n
	s.queued -= len(t.data)
	if t.done != nil {
		t.done(err)
	}
	kind := EventSent
	if err != nil {
		kind = EventSendFailed
	}
	s.core.emit(Event{Kind: kind, Socket: s, N: n, Err: err})
}

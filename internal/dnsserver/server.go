// Package dnsserver is a tiny authoritative DNS responder (RFC 1035) for
// the network side of a PPP link: it answers A queries for a fixed table of
// names, as the DNS server a PPP server hands out in IPCP (RFC 1877), and
// for tests of the client side's resolver.
//
// It serves over any net.PacketConn (Serve) and net.Listener (ServeTCP,
// for clients retrying a truncated answer), so it runs equally on a
// netstack.Stack and on the host:
//
//	pc, _ := st.ListenPacket("udp", ":53")
//	l, _ := st.Listen("tcp", ":53")
//	srv := &dnsserver.Server{Records: map[string][]netip.Addr{
//		"modem.example": {netip.MustParseAddr("192.0.2.1")},
//	}}
//	go srv.Serve(pc)
//	go srv.ServeTCP(l)
//
// Serve and ServeTCP return when their socket is closed.
package dnsserver

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// tcpIdleTimeout is how long a TCP client may stay silent between queries
// (RFC 7766 §6.2.3 suggests seconds).
const tcpIdleTimeout = 10 * time.Second

// Server answers DNS queries from Records. Its zero value answers
// NXDOMAIN to everything. A Server may serve several sockets at once.
type Server struct {
	// Records maps lower-case fully qualified names without the trailing
	// dot ("modem.example") to their addresses. IPv4 addresses are served
	// as A records; other addresses are ignored. A name present with no
	// IPv4 address answers NOERROR with no records rather than NXDOMAIN.
	// Records must not change while the Server runs.
	Records map[string][]netip.Addr

	// Logger receives debug logs about failed replies. Nil means silent.
	Logger *slog.Logger
}

// Serve answers queries arriving on pc until pc is closed, then returns
// nil; any other read error is returned. Replies longer than 512 bytes are
// truncated (TC set) for the client to retry over TCP.
func (s *Server) Serve(pc net.PacketConn) error {
	buf := make([]byte, maxTCPSize)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("dnsserver: %w", err)
		}
		resp := s.answer(buf[:n], maxUDPSize)
		if resp == nil {
			s.debug("ignored message", "from", addr, "len", n)
			continue
		}
		if _, err := pc.WriteTo(resp, addr); err != nil {
			s.debug("reply failed", "to", addr, "err", err)
		}
	}
}

// ServeTCP answers length-prefixed queries (RFC 1035 §4.2.2) on each
// connection accepted from l until l is closed; it then closes the open
// connections, waits for their goroutines and returns nil. Any other
// Accept error is returned the same way.
func (s *Server) ServeTCP(l net.Listener) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
	)
	defer func() {
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("dnsserver: %w", err)
		}
		mu.Lock()
		conns[c] = struct{}{}
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.routineConn(c)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
		}()
	}
}

// routineConn answers queries on one TCP connection until the client
// goes away, stays idle too long, or sends something unanswerable.
func (s *Server) routineConn(c net.Conn) {
	defer c.Close()
	var size [2]byte
	for {
		if err := c.SetReadDeadline(time.Now().Add(tcpIdleTimeout)); err != nil {
			return
		}
		if _, err := io.ReadFull(c, size[:]); err != nil {
			return
		}
		query := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(c, query); err != nil {
			s.debug("short TCP query", "from", c.RemoteAddr(), "err", err)
			return
		}
		resp := s.answer(query, maxTCPSize)
		if resp == nil {
			s.debug("ignored TCP message", "from", c.RemoteAddr(), "len", len(query))
			return
		}
		msg := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(resp)), uint16(len(resp)))
		if _, err := c.Write(append(msg, resp...)); err != nil {
			s.debug("TCP reply failed", "to", c.RemoteAddr(), "err", err)
			return
		}
	}
}

func (s *Server) debug(msg string, args ...any) {
	if s.Logger != nil {
		s.Logger.Debug("dnsserver: "+msg, args...)
	}
}

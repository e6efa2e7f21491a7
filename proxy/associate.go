package proxy

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"

	socks5 "github.com/things-go/go-socks5"
	"github.com/things-go/go-socks5/statute"
)

const (
	// maxDatagram is the largest UDP payload (RFC 768, IPv4).
	maxDatagram = 65535
	// maxAssocTargets bounds the destinations one UDP association talks
	// to at once; datagrams to further destinations are dropped.
	maxAssocTargets = 256
)

// associator serves UDP ASSOCIATE requests (RFC 1928 §4, §7). It replaces
// the library's relay, which accepts datagrams from any source when the
// client announces 0.0.0.0:0 (as most do), so that any local process could
// use an authenticated client's association; this one only takes
// datagrams from the client's host, and from one port.
type associator struct {
	ctx context.Context // the server's; ends the dials when it stops
	d   Dialer
	log *slog.Logger
}

// handle implements the library's associate handler. It opens the relay
// socket, replies with its address, and relays until the client's TCP
// connection ends, which RFC 1928 §7 makes the end of the association.
func (a *associator) handle(_ context.Context, w io.Writer, req *socks5.Request) error {
	relay, err := listenRelay(req.LocalAddr)
	if err != nil {
		if err := socks5.SendReply(w, statute.RepServerFailure, nil); err != nil {
			return fmt.Errorf("send reply: %w", err)
		}
		return fmt.Errorf("udp associate: %w", err)
	}
	defer relay.Close()
	s := &association{
		a:       a,
		relay:   relay,
		from:    fmt.Sprint(req.RemoteAddr),
		targets: make(map[string]net.Conn),
	}
	s.wantIP, s.wantPort = expectedSource(req)
	if err := socks5.SendReply(w, statute.RepSuccess, relay.LocalAddr()); err != nil {
		return fmt.Errorf("send reply: %w", err)
	}
	a.log.Debug("socks5: udp associate", "from", s.from, "relay", relay.LocalAddr())

	done := make(chan struct{})
	go func() {
		defer close(done)
		s.routineRelay()
	}()
	// The client sends nothing more on the TCP connection; reading it
	// notices when it closes.
	_, err = io.Copy(io.Discard, req.Reader)
	relay.Close()
	<-done
	s.closeTargets()
	a.log.Debug("socks5: udp associate ended", "from", s.from)
	return err
}

// listenRelay opens the relay's UDP socket on the host address of the
// client's TCP connection, with a free port.
func listenRelay(local net.Addr) (*net.UDPConn, error) {
	tcp, ok := local.(*net.TCPAddr)
	if !ok {
		return nil, fmt.Errorf("local address %v is not TCP", local)
	}
	return net.ListenUDP("udp", &net.UDPAddr{IP: tcp.IP, Zone: tcp.Zone})
}

// expectedSource returns the address datagrams must come from: the
// address the client announced in the request, with an unspecified
// address meaning that of its TCP connection, and port 0 meaning the
// port of its first datagram.
func expectedSource(req *socks5.Request) (netip.Addr, uint16) {
	var ip netip.Addr
	if tcp, ok := req.RemoteAddr.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(tcp.IP)
	}
	var port uint16
	if d := req.DestAddr; d != nil {
		if a, ok := netip.AddrFromSlice(d.IP); ok && !a.Unmap().IsUnspecified() {
			ip = a
		}
		port = uint16(d.Port)
	}
	return ip.Unmap(), port
}

// association is one UDP ASSOCIATE: a relay socket on the host and one
// link socket per destination.
type association struct {
	a        *associator
	relay    *net.UDPConn
	from     string     // the client's TCP address, for logs
	wantIP   netip.Addr // datagrams from elsewhere are dropped
	wantPort uint16     // 0 until the first datagram fixes it

	mu      sync.Mutex
	targets map[string]net.Conn // by destination; guarded by mu
	closed  bool                // guarded by mu
	wg      sync.WaitGroup      // routineReplies goroutines
}

// routineRelay reads the client's datagrams from the relay socket and
// sends each over the link to its destination, until the relay closes.
// Datagrams from an unexpected source, malformed ones and fragments
// (FRAG other than 0, which RFC 1928 §7 lets a relay drop) are dropped.
func (s *association) routineRelay() {
	log := s.a.log
	buf := make([]byte, maxDatagram)
	for {
		n, src, err := s.relay.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
		if src.Addr() != s.wantIP || (s.wantPort != 0 && src.Port() != s.wantPort) {
			log.Debug("socks5: dropped a datagram from an unexpected source", "from", src, "client", s.from)
			continue
		}
		s.wantPort = src.Port()
		pk, err := statute.ParseDatagram(buf[:n])
		if err != nil || pk.Frag != 0 {
			log.Debug("socks5: dropped a malformed or fragmented datagram", "from", src, "err", err)
			continue
		}
		dst := pk.DstAddr.String()
		conn := s.target(dst, src)
		if conn == nil {
			continue
		}
		if _, err := conn.Write(pk.Data); err != nil {
			log.Debug("socks5: udp write over the link failed", "to", dst, "err", err)
		}
	}
}

// target returns the link socket for dst, opening it, and starting its
// replies, on first use. It returns nil if that fails.
func (s *association) target(dst string, client netip.AddrPort) net.Conn {
	s.mu.Lock()
	conn, n := s.targets[dst], len(s.targets)
	s.mu.Unlock()
	if conn != nil {
		return conn
	}
	if n >= maxAssocTargets {
		s.a.log.Debug("socks5: too many udp destinations, dropped a datagram", "to", dst, "client", s.from)
		return nil
	}
	conn, err := s.a.d.DialContext(s.a.ctx, "udp", dst)
	if err != nil {
		s.a.log.Debug("socks5: udp dial over the link failed", "to", dst, "err", err)
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		conn.Close()
		return nil
	}
	s.targets[dst] = conn
	s.wg.Add(1)
	go s.routineReplies(dst, conn, client)
	return conn
}

// routineReplies sends datagrams arriving on conn back to the client,
// each behind a header naming the address it came from (RFC 1928 §7),
// until conn closes or fails.
func (s *association) routineReplies(dst string, conn net.Conn, client netip.AddrPort) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		if s.targets[dst] == conn {
			delete(s.targets, dst)
		}
		s.mu.Unlock()
		conn.Close()
	}()
	h := replyHeader(conn.RemoteAddr())
	buf := make([]byte, len(h)+maxDatagram)
	copy(buf, h)
	for {
		n, err := conn.Read(buf[len(h):])
		if err != nil {
			return
		}
		if _, err := s.relay.WriteToUDPAddrPort(buf[:len(h)+n], client); err != nil {
			s.a.log.Debug("socks5: udp write to client failed", "client", client, "err", err)
		}
	}
}

// replyHeader returns the SOCKS UDP header (RSV, FRAG 0, ATYP, address,
// port) for datagrams from addr.
func replyHeader(addr net.Addr) []byte {
	spec := statute.AddrSpec{AddrType: statute.ATYPIPv4, IP: net.IPv4zero}
	if u, ok := addr.(*net.UDPAddr); ok {
		spec.IP, spec.Port = u.IP, u.Port
		if u.IP.To4() == nil {
			spec.AddrType = statute.ATYPIPv6
		}
	}
	d := statute.Datagram{DstAddr: spec}
	return d.Header()
}

// closeTargets closes every link socket and waits for their goroutines.
func (s *association) closeTargets() {
	s.mu.Lock()
	s.closed = true
	for _, c := range s.targets {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

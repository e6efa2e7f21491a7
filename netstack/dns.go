package netstack

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/dns/dnsmessage"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Resolver timing: every server gets dnsTries tries of dnsTryTimeout
// each, a classic stub resolver's choice that suits a link with second-long
// round trips. ctx can cut any of them short.
const (
	dnsTryTimeout = 2 * time.Second
	dnsTries      = 2
	dnsPort       = 53
)

// errTryTimeout reports that one try got no answer in dnsTryTimeout.
var errTryTimeout = errors.New("i/o timeout")

// LookupNetIP returns the addresses of host, asking the DNS servers
// (DNSServers) in order over UDP through the link and repeating a query
// over TCP when the UDP answer is truncated. host is taken as a fully
// qualified name. An IP literal is returned as it is, without a query.
// Once the stack has IPv6 (ConfigureIPv6) it asks for AAAA records
// alongside the A records, at once, and returns the IPv6 addresses
// first when it has a global IPv6 address to reach them from (RFC 6724
// in short), the IPv4 ones first otherwise.
//
// Errors are *net.DNSError values: IsNotFound is set when a server
// answered that the name does not exist or has no such records (no
// other server is asked then), IsTimeout when no server answered in
// time; when ctx ends first, errors.Is reports ctx's error.
func (s *Stack) LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	if s.closed() {
		return nil, closedDNSError(host)
	}
	if len(s.IPv6Addrs()) == 0 {
		return s.lookup(ctx, host, dnsmessage.TypeA)
	}
	var v6 []netip.Addr
	var err6 error
	done := make(chan struct{})
	go func() {
		defer close(done)
		v6, err6 = s.lookup(ctx, host, dnsmessage.TypeAAAA)
	}()
	v4, err4 := s.lookup(ctx, host, dnsmessage.TypeA)
	<-done
	switch {
	case err4 != nil && err6 != nil:
		return nil, err4
	case s.hasGlobal6():
		return append(v6, v4...), nil
	}
	return append(v4, v6...), nil
}

// lookup asks the servers for host's records of type typ (A or AAAA).
func (s *Stack) lookup(ctx context.Context, host string, typ dnsmessage.Type) ([]netip.Addr, error) {
	q, err := question(host, typ)
	if err != nil {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true, UnwrapErr: err}
	}
	servers := s.DNSServers()
	if len(servers) == 0 {
		return nil, &net.DNSError{Err: "netstack: no DNS servers configured", Name: host}
	}
	var last *net.DNSError
	for _, srv := range servers {
		server := netip.AddrPortFrom(srv.Unmap(), dnsPort)
		for range dnsTries {
			ans, err := s.tryServer(ctx, server, q)
			if ctx.Err() != nil {
				return nil, ctxDNSError(ctx.Err(), host, server)
			}
			if s.closed() {
				return nil, closedDNSError(host)
			}
			if err == nil && ans.rcode == dnsmessage.RCodeSuccess && len(ans.addrs) > 0 {
				return ans.addrs, nil
			}
			last = classify(ans, err, host, server)
			if last.IsNotFound {
				return nil, last
			}
			s.log.Debug("netstack: DNS try failed", "name", host, "server", server, "err", last.Err)
			if !last.IsTimeout {
				break // the server answered badly: asking it again will not help
			}
		}
	}
	return nil, last
}

// classify turns a failed try into a *net.DNSError.
func classify(ans dnsAnswer, err error, host string, server netip.AddrPort) *net.DNSError {
	e := &net.DNSError{Name: host, Server: server.String()}
	switch {
	case errors.Is(err, errTryTimeout):
		e.Err, e.IsTimeout, e.IsTemporary = "i/o timeout", true, true
	case err != nil:
		e.Err, e.IsTemporary, e.UnwrapErr = err.Error(), true, err
	case ans.rcode == dnsmessage.RCodeNameError,
		ans.rcode == dnsmessage.RCodeSuccess && !ans.truncated:
		e.Err, e.IsNotFound = "no such host", true
	default:
		e.Err, e.IsTemporary = fmt.Sprintf("server misbehaving (%v)", ans.rcode), true
	}
	return e
}

func closedDNSError(host string) *net.DNSError {
	return &net.DNSError{Err: net.ErrClosed.Error(), Name: host, UnwrapErr: net.ErrClosed}
}

func ctxDNSError(err error, host string, server netip.AddrPort) *net.DNSError {
	return &net.DNSError{
		Err:       err.Error(),
		Name:      host,
		Server:    server.String(),
		IsTimeout: errors.Is(err, context.DeadlineExceeded),
		UnwrapErr: err,
	}
}

// tryServer asks server once over UDP, and over TCP if the UDP reply was
// truncated, all within dnsTryTimeout.
func (s *Stack) tryServer(ctx context.Context, server netip.AddrPort, q dnsmessage.Question) (dnsAnswer, error) {
	tctx, cancel := context.WithTimeout(ctx, dnsTryTimeout)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel) // Close ends the try too
	defer stop()
	id := uint16(rand.Uint32())
	query, err := buildQuery(id, q)
	if err != nil {
		return dnsAnswer{}, err
	}
	ans, err := s.exchangeUDP(tctx, server, id, q, query)
	if err == nil && ans.truncated {
		ans, err = s.exchangeTCP(tctx, server, id, q, query)
	}
	if err != nil && tctx.Err() != nil {
		err = errTryTimeout
	}
	return ans, err
}

// exchangeUDP sends query and waits for the matching reply, ignoring
// stray datagrams, until ctx ends.
func (s *Stack) exchangeUDP(ctx context.Context, server netip.AddrPort, id uint16, q dnsmessage.Question, query []byte) (dnsAnswer, error) {
	c, err := s.dialUDP(server)
	if err != nil {
		return dnsAnswer{}, err
	}
	defer c.Close()
	// A server without a DNS service answers ICMP port unreachable,
	// which gVisor signals as EventErr; waking the Read for it lets the
	// resolver move on at once instead of waiting out the try.
	var refused atomic.Bool
	entry := waiter.NewFunctionEntry(waiter.EventErr, func(waiter.EventMask) {
		refused.Store(true)
		c.SetReadDeadline(time.Unix(1, 0))
	})
	c.wq.EventRegister(&entry)
	defer c.wq.EventUnregister(&entry)
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := c.Write(query); err != nil {
		return dnsAnswer{}, err
	}
	buf := make([]byte, 1500)
	for {
		n, err := c.Read(buf)
		if err != nil && refused.Load() {
			return dnsAnswer{}, syscall.ECONNREFUSED
		}
		if err != nil {
			return dnsAnswer{}, err
		}
		ans, err := parseAnswer(buf[:n], id, q)
		if errors.Is(err, errMismatch) {
			continue
		}
		return ans, err
	}
}

// exchangeTCP sends query over a new TCP connection with the two-byte
// length prefix of RFC 1035 §4.2.2 and reads one reply.
func (s *Stack) exchangeTCP(ctx context.Context, server netip.AddrPort, id uint16, q dnsmessage.Question, query []byte) (dnsAnswer, error) {
	c, err := s.dialTCP(ctx, netip.Addr{}, server)
	if err != nil {
		return dnsAnswer{}, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	msg := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(query)), uint16(len(query)))
	if _, err := c.Write(append(msg, query...)); err != nil {
		return dnsAnswer{}, err
	}
	var size [2]byte
	if _, err := io.ReadFull(c, size[:]); err != nil {
		return dnsAnswer{}, err
	}
	reply := make([]byte, binary.BigEndian.Uint16(size[:]))
	if _, err := io.ReadFull(c, reply); err != nil {
		return dnsAnswer{}, err
	}
	ans, err := parseAnswer(reply, id, q)
	if err == nil && ans.truncated {
		err = errMalformed
	}
	return ans, err
}

package netstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// minDialTime is the least time one address of several gets when ctx has
// a deadline, as in the net package.
const minDialTime = 2 * time.Second

// DialContext connects to address over the link, like net.Dialer's
// DialContext. network is "tcp", "tcp4", "udp" or "udp4". address is
// "host:port" with a numeric port; host is an IPv4 literal, empty for
// LocalAddr, or a name resolved with LookupNetIP, whose addresses are
// tried in order. A destination that must never leave a host (loopback,
// unspecified, reserved: see CheckDestination) fails at once, matching
// ErrLocalOnly. Errors are *net.OpError values: errors.Is reports
// syscall.ECONNREFUSED for a refused connection and ctx's error when ctx
// ends first.
func (s *Stack) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return s.dial(ctx, network, func() ([]netip.Addr, uint16, error) {
		host, port, err := splitHostPort(address)
		if err != nil {
			return nil, 0, err
		}
		addrs, err := s.dialAddrs(ctx, network, host)
		return addrs, port, err
	})
}

// DialResolved connects to port at the addresses a name resolved to
// (LookupNetIP's answer), as DialContext does after its own lookup: the
// addresses of network's family that the stack can reach, in order, the
// two families raced when both are there. It serves a caller that
// looks the name up itself, to tell the lookup from the connection.
// Errors are as DialContext's.
func (s *Stack) DialResolved(ctx context.Context, network string, addrs []netip.Addr, port uint16) (net.Conn, error) {
	return s.dial(ctx, network, func() ([]netip.Addr, uint16, error) {
		use, err := s.reachable(network, addrs)
		return use, port, err
	})
}

// dial checks network and the stack, takes the addresses and port to
// dial from dest, and dials them: in order when they are of one family,
// else the two families raced (dialParallel). Its errors are
// *net.OpError values.
func (s *Stack) dial(ctx context.Context, network string, dest func() ([]netip.Addr, uint16, error)) (net.Conn, error) {
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: network, Err: err}
	}
	if !isTCP(network) && !isUDP(network) {
		return nil, opErr(net.UnknownNetworkError(network))
	}
	if s.closed() {
		return nil, opErr(net.ErrClosed)
	}
	addrs, port, err := dest()
	if err != nil {
		return nil, opErr(err)
	}
	primaries, fallbacks := splitFamilies(addrs)
	if len(fallbacks) > 0 {
		return s.dialParallel(ctx, network, port, primaries, fallbacks, fallbackDelay)
	}
	return s.dialSerial(ctx, network, port, addrs)
}

// dialSerial tries addrs in order, as the net package does.
func (s *Stack) dialSerial(ctx context.Context, network string, port uint16, addrs []netip.Addr) (net.Conn, error) {
	var first error
	for i, ip := range addrs {
		dctx, cancel := partialDeadline(ctx, len(addrs)-i)
		c, err := s.dialOne(dctx, network, netip.AddrPortFrom(ip, port))
		cancel()
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// dialAddrs returns the addresses to try for host: of network's family,
// and of a family the stack has an address to reach them from (IPv4, or
// a global IPv6 address; link-local IPv6 destinations need only IPv6).
func (s *Stack) dialAddrs(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if host == "" {
		return []netip.Addr{s.LocalAddr()}, nil
	}
	if ip, ok, err := parseIP(host); ok {
		if err == nil && !familyOK(network, ip) {
			err = errFamily
		}
		return []netip.Addr{ip}, err
	}
	all, err := s.LookupNetIP(ctx, host)
	if err != nil {
		return nil, err
	}
	return s.reachable(network, all)
}

// reachable returns the addresses of all of network's family and of a
// family the stack has an address to reach them from, or errNoAddresses
// if none is.
func (s *Stack) reachable(network string, all []netip.Addr) ([]netip.Addr, error) {
	v4ok, v6ok := s.LocalAddr().IsValid(), s.hasGlobal6()
	var use []netip.Addr
	for _, ip := range all {
		ip = ip.Unmap()
		if familyOK(network, ip) && ((ip.Is4() && v4ok) || (ip.Is6() && v6ok)) {
			use = append(use, ip)
		}
	}
	if len(use) == 0 {
		return nil, errNoAddresses
	}
	return use, nil
}

// splitFamilies splits addrs into those of the first one's family and
// the others, as the net package does for Happy Eyeballs.
func splitFamilies(addrs []netip.Addr) (primaries, fallbacks []netip.Addr) {
	for _, a := range addrs {
		if a.Is4() == addrs[0].Is4() {
			primaries = append(primaries, a)
		} else {
			fallbacks = append(fallbacks, a)
		}
	}
	return primaries, fallbacks
}

// partialDeadline shares what is left of ctx's deadline between the
// remaining addresses, giving each at least minDialTime.
func partialDeadline(ctx context.Context, remaining int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok || remaining <= 1 {
		return context.WithCancel(ctx)
	}
	each := max(time.Until(deadline)/time.Duration(remaining), minDialTime)
	return context.WithTimeout(ctx, each)
}

func (s *Stack) dialOne(ctx context.Context, network string, ap netip.AddrPort) (net.Conn, error) {
	raddr := netAddr(network, fullAddr(ap))
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: network, Addr: raddr, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, opErr(err)
	}
	if err := CheckDestination(network, ap.Addr()); err != nil {
		return nil, opErr(err)
	}
	if isUDP(network) {
		c, err := s.dialUDP(ap)
		if err != nil {
			return nil, opErr(err)
		}
		return c, nil
	}
	c, err := s.dialTCP(ctx, netip.Addr{}, ap)
	if err != nil {
		return nil, opErr(err)
	}
	return c, nil
}

// DialTCPFrom connects to dst over the link from src, which must be one
// of the stack's own addresses (LocalAddr or one of Config.ExtraAddrs),
// with a port the stack picks; the zero src means LocalAddr, as for
// DialContext. dst must be an IPv4 address that CheckDestination
// accepts. Errors are *net.OpError values, as DialContext's.
func (s *Stack) DialTCPFrom(ctx context.Context, src netip.Addr, dst netip.AddrPort) (net.Conn, error) {
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Addr: netAddr("tcp", fullAddr(dst)), Err: err}
	}
	switch {
	case s.closed():
		return nil, opErr(net.ErrClosed)
	case !dst.Addr().Unmap().Is4() || (src.IsValid() && !src.Unmap().Is4()):
		return nil, opErr(errors.New("not an IPv4 address"))
	case ctx.Err() != nil:
		return nil, opErr(ctx.Err())
	}
	dst = netip.AddrPortFrom(dst.Addr().Unmap(), dst.Port())
	if err := CheckDestination("tcp", dst.Addr()); err != nil {
		return nil, opErr(err)
	}
	c, err := s.dialTCP(ctx, src.Unmap(), dst)
	if err != nil {
		return nil, opErr(err)
	}
	return c, nil
}

// dialTCP opens a TCP connection from src (if valid) and waits for the
// handshake, ctx or Close.
func (s *Stack) dialTCP(ctx context.Context, src netip.Addr, ap netip.AddrPort) (*tcpConn, error) {
	var wq waiter.Queue
	ep, terr := s.ipstack.NewEndpoint(tcp.ProtocolNumber, netProto(ap.Addr()), &wq)
	if terr != nil {
		return nil, convertError(terr)
	}
	if src.IsValid() {
		if terr := ep.Bind(tcpip.FullAddress{Addr: tcpip.AddrFromSlice(src.AsSlice())}); terr != nil {
			ep.Close()
			return nil, fmt.Errorf("bind %v: %w", src, convertError(terr))
		}
	}
	s.beforeHandshake(ep)
	// Register before Connect so the completion cannot be missed.
	entry, notify := waiter.NewChannelEntry(waiter.WritableEvents)
	wq.EventRegister(&entry)
	defer wq.EventUnregister(&entry)

	terr = ep.Connect(fullAddr(ap))
	if _, ok := terr.(*tcpip.ErrConnectStarted); ok {
		select {
		case <-notify:
			terr = ep.LastError()
		case <-ctx.Done():
			ep.Close()
			return nil, ctx.Err()
		case <-s.ctx.Done():
			ep.Close()
			return nil, net.ErrClosed
		}
	}
	if terr != nil {
		ep.Close()
		if s.closed() {
			return nil, net.ErrClosed
		}
		return nil, convertError(terr)
	}
	return newTCPConn(s, &wq, ep), nil
}

// dialUDP opens a connected UDP socket; no packet is sent.
func (s *Stack) dialUDP(ap netip.AddrPort) (*udpConn, error) {
	var wq waiter.Queue
	ep, terr := s.ipstack.NewEndpoint(udp.ProtocolNumber, netProto(ap.Addr()), &wq)
	if terr != nil {
		return nil, convertError(terr)
	}
	if terr := ep.Connect(fullAddr(ap)); terr != nil {
		ep.Close()
		return nil, convertError(terr)
	}
	return newUDPConn(s, &wq, ep), nil
}

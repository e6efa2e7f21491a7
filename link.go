package gprsppp

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/internal/tcpmss"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/session"
)

// Reasons a link ends, as Link.Err reports them; test with errors.Is.
var (
	ErrClosed         = session.ErrClosed
	ErrPeerTerminated = session.ErrPeerTerminated
	ErrAuthFailed     = session.ErrAuthFailed
	ErrKeepalive      = session.ErrKeepalive
	ErrLoopback       = session.ErrLoopback
	ErrNegotiation    = session.ErrNegotiation
	ErrIO             = session.ErrIO
)

// Stats counts a link's traffic and the damage it saw.
type Stats = session.Stats

// Link is an established PPP link with its own TCP/IP stack.
type Link struct {
	s         *session.Session
	st        *netstack.Stack
	rx        *netstack.Receiver // the stack's inbound packets, coalesced per read from the line
	closeOnce sync.Once
	wg        sync.WaitGroup
	hangup    func(reason error) // hangs the modem up once PPP is done; nil for Open
	modem     dialer.Connect     // what the dial script learned; zero for Open
	router    *netstack.Router   // what the network side advertises; nil for a client
	mux       *muxLink           // the multiplexer the link runs in (Config.CMUX); nil without

	mu         sync.Mutex
	renumbered chan struct{} // closed and replaced at each renumbering

	host  atomic.Pointer[func(pkt []byte)] // takes the packets the stack does not own; see hostpath.go
	clamp int                              // the TCP segments' largest packet (tcpmss.PacketSize); 0 for none
}

// Open brings PPP up in the client role on rw, a byte stream already in
// data mode, and returns once IP can flow. ctx bounds the negotiation.
// The Link owns rw and closes it when the link ends; on error rw is
// closed too.
func Open(ctx context.Context, rw io.ReadWriteCloser, cfg Config) (*Link, error) {
	return open(ctx, rw, cfg.session(), linkOptions{trackUnacked: cfg.TrackUnacked, lineRate: cfg.LineRate})
}

// OpenNetwork runs the network side of a link on rw: it assigns the
// client's address and DNS servers and authenticates it if asked to.
func OpenNetwork(ctx context.Context, rw io.ReadWriteCloser, cfg NetworkConfig) (*Link, error) {
	return open(ctx, rw, cfg.session(), linkOptions{forward: cfg.Forward, ready: cfg.Ready, extraAddrs: cfg.ExtraAddrs, router: cfg.IPv6.router(), lineRate: cfg.LineRate})
}

// linkOptions are the parts of a link beyond the session's config.
type linkOptions struct {
	// forward is NetworkConfig.Forward.
	forward func(ctx context.Context, dst netip.AddrPort) (net.Conn, error)
	// hangup runs once PPP is done, to hang a modem up; reason is why
	// the link ended.
	hangup func(reason error)
	// ready is NetworkConfig.Ready.
	ready func(*Link) error
	// extraAddrs is NetworkConfig.ExtraAddrs.
	extraAddrs []netip.Addr
	// trackUnacked is Config.TrackUnacked.
	trackUnacked bool
	// router is NetworkConfig.IPv6 turned into what the network side's
	// stack advertises; nil for a client.
	router *netstack.Router
	// lineRate is Config.LineRate or NetworkConfig.LineRate.
	lineRate int
}

func open(ctx context.Context, rw io.ReadWriteCloser, cfg session.Config, opt linkOptions) (*Link, error) {
	s := session.Start(rw, cfg)
	select {
	case <-s.Up():
	case <-s.Done():
		return nil, fmt.Errorf("gprsppp: link setup: %w", s.Err())
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("gprsppp: link setup: %w", ctx.Err())
	}
	ip := s.IPCP() // the zero value on an IPv6-only link
	for _, a := range opt.extraAddrs {
		if a == ip.PeerAddr {
			s.Close()
			return nil, fmt.Errorf("gprsppp: extra address %v is the peer's own", a)
		}
	}
	// On a slow line the link clamps the MSS option of every TCP SYN
	// that crosses it, both ways and whoever's connection it is (its
	// stack's, the host's through a TUN, the network side's), so that a
	// full segment's frame takes the line at most tcpmss.MaxFrameTime:
	// at 9600 bit/s a keystroke then waits behind a quarter of a second
	// of someone else's data rather than 1.6 s, at the cost of headers
	// taking a fifth of the line instead of a thirtieth.
	clamp := tcpmss.PacketSize(opt.lineRate, int(s.LCP().SendMRU))
	st, err := netstack.New(netstack.Config{
		LocalAddr:  ip.LocalAddr,
		ExtraAddrs: opt.extraAddrs,
		MTU:        uint32(s.LCP().SendMRU),
		Out:        writer{s, clamp},
		DNSServers: ip.DNS,
		// Forwarding needs the packets addressed to other hosts.
		Promiscuous:  opt.forward != nil,
		TrackUnacked: opt.trackUnacked,
		LineRate:     opt.lineRate,
		Logger:       cfg.Logger,
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("gprsppp: %w", err)
	}
	if opt.forward != nil {
		st.ForwardTCP(opt.forward)
	}
	l := &Link{s: s, st: st, rx: st.NewReceiver(), hangup: opt.hangup, renumbered: make(chan struct{}), router: opt.router, clamp: clamp}
	// Taken before IPv6 is configured, so that a router advertisement
	// answering the first solicitation before routineWatch runs is
	// not missed.
	changed := st.Changed()
	if err := l.configureIPv6(); err != nil {
		s.Close()
		st.Close()
		return nil, fmt.Errorf("gprsppp: %w", err)
	}
	if opt.ready != nil {
		if err := opt.ready(l); err != nil {
			s.Close()
			st.Close()
			return nil, fmt.Errorf("gprsppp: %w", err)
		}
	}
	s.SetIPFlush(l.rx.Flush)
	s.SetIPHandler(l.deliverInbound)
	l.wg.Add(1)
	go l.routineWatch(changed)
	return l, nil
}

// routineWatch moves the stack to what a renegotiation agreed on, and
// closes it as soon as the link ends, so that sockets fail promptly
// rather than time out.
func (l *Link) routineWatch(changed <-chan struct{}) {
	defer l.wg.Done()
	for done := false; !done; {
		select {
		case <-l.s.Reopened():
			l.renumber()
		case <-changed:
			// An IPv6 address or DNS server arrived (a router
			// advertisement): tell Renumbered's waiters. The next
			// channel is taken first, so no change falls between.
			changed = l.st.Changed()
			l.announce()
		case <-l.s.Done():
			done = true
		}
	}
	l.st.CloseWithError(l.s.Err())
	if l.hangup != nil {
		l.hangup(l.s.Err())
	}
}

// renumber applies a renegotiated address, DNS servers and MTU to the
// stack; a stack that cannot take them ends the link.
func (l *Link) renumber() {
	ip := l.s.IPCP()
	if err := l.st.Renumber(ip.LocalAddr, ip.DNS, uint32(l.s.LCP().SendMRU)); err != nil {
		l.s.Terminate(fmt.Errorf("%w: %w", ErrNegotiation, err))
		return
	}
	if err := l.configureIPv6(); err != nil {
		l.s.Terminate(fmt.Errorf("%w: %w", ErrNegotiation, err))
		return
	}
	l.announce()
}

// announce closes the Renumbered channel and replaces it.
func (l *Link) announce() {
	l.mu.Lock()
	close(l.renumbered)
	l.renumbered = make(chan struct{})
	l.mu.Unlock()
}

// configureIPv6 gives the stack IPv6 once IPv6CP is Opened, with the
// interface identifier it agreed on, and takes it away while IPv6CP is
// down alone, LCP staying (under an LCP renegotiation the addresses
// stay, as IPv4's do).
func (l *Link) configureIPv6() error {
	ng, up := l.s.IPv6CP()
	if !up {
		if l.s.IPv6Closed() {
			l.st.RemoveIPv6()
		}
		return nil
	}
	return l.st.ConfigureIPv6(netstack.IPv6Config{InterfaceID: uint64(ng.LocalID), Router: l.router})
}

// Renumbered returns a channel closed the next time the peer
// renegotiates the link (LCP, IPCP or IPv6CP alone) and the link's
// sockets have moved to the outcome, or an IPv6 address or DNS server
// arrives in a router advertisement: LocalAddr, DNSServers, IPv6Addrs,
// IPv6DNSServers and MTU tell it. Sockets
// bound to an address that went away fail; the others carry on. A
// program that announces its address somewhere (pppd's ip-up) waits on
// it in a loop, calling Renumbered again each time.
func (l *Link) Renumbered() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.renumbered
}

// writer hands the stack's packets to the session, clamping the MSS of
// its SYNs (Link.clamp).
type writer struct {
	s     *session.Session
	clamp int
}

func (w writer) WritePacket(pkt []byte) error {
	tcpmss.Clamp(pkt, w.clamp)
	return w.s.WritePacket(pkt)
}

// DialContext connects to address over the link ("tcp", "tcp4", "tcp6",
// "udp", "udp4", "udp6"). Names are resolved with the DNS servers
// learned through IPCP and router advertisements, queried through the
// link; with both address families, IPv6 is tried first and IPv4 300 ms
// later or as soon as IPv6 fails (Happy Eyeballs, as net.Dialer).
func (l *Link) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return l.st.DialContext(ctx, network, address)
}

// DialResolved connects to port at the addresses a name resolved to
// (LookupNetIP's answer), as DialContext does after its own lookup; for
// a caller that tells the lookup from the connection.
func (l *Link) DialResolved(ctx context.Context, network string, addrs []netip.Addr, port uint16) (net.Conn, error) {
	return l.st.DialResolved(ctx, network, addrs, port)
}

// DialTCPFrom connects to dst over the link from src, the link's own
// address or, on the network side, one of NetworkConfig.ExtraAddrs; the
// zero src means the link's own address, as for DialContext.
func (l *Link) DialTCPFrom(ctx context.Context, src netip.Addr, dst netip.AddrPort) (net.Conn, error) {
	return l.st.DialTCPFrom(ctx, src, dst)
}

// Listen accepts TCP connections on the link's address.
func (l *Link) Listen(network, address string) (net.Listener, error) {
	return l.st.Listen(network, address)
}

// ListenPacket opens a UDP socket on the link's address.
func (l *Link) ListenPacket(network, address string) (net.PacketConn, error) {
	return l.st.ListenPacket(network, address)
}

// LookupNetIP resolves host with the link's DNS servers, through the link.
func (l *Link) LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error) {
	return l.st.LookupNetIP(ctx, host)
}

// LocalAddr returns the IPv4 address IPCP gave us; invalid on an
// IPv6-only link.
func (l *Link) LocalAddr() netip.Addr { return l.s.IPCP().LocalAddr }

// IPv6Addrs returns the link's IPv6 addresses: the link-local one from
// the IPv6CP identifier first, then those formed from router
// advertisements as they arrive (see Renumbered); none without IPv6CP.
func (l *Link) IPv6Addrs() []netip.Addr { return l.st.IPv6Addrs() }

// IPv6DNSServers returns the DNS servers router advertisements gave
// (RFC 8106).
func (l *Link) IPv6DNSServers() []netip.Addr { return l.st.IPv6DNSServers() }

// IPv6PeerAddr returns the peer's link-local address from the
// identifier IPv6CP agreed; invalid while IPv6CP is not Opened.
func (l *Link) IPv6PeerAddr() netip.Addr {
	ng, up := l.s.IPv6CP()
	if !up {
		return netip.Addr{}
	}
	return ng.PeerLinkLocal()
}

// PeerAddr returns the peer's address; invalid if it never announced one.
func (l *Link) PeerAddr() netip.Addr { return l.s.IPCP().PeerAddr }

// DNSServers returns the DNS servers learned (or offered) through IPCP;
// IPv6DNSServers has those of router advertisements.
func (l *Link) DNSServers() []netip.Addr { return append([]netip.Addr(nil), l.s.IPCP().DNS...) }

// MTU returns the largest IP packet the peer accepts (its MRU).
func (l *Link) MTU() int { return int(l.s.LCP().SendMRU) }

// Stats returns the link's counters.
func (l *Link) Stats() Stats { return l.s.Stats() }

// Modem returns what the dial script learned from the modem before
// CONNECT: the speed, the signal quality (AT+CSQ) and the registration.
// It is the zero value for a link from Open or OpenNetwork.
func (l *Link) Modem() dialer.Connect { return l.modem }

// Done is closed when the link has ended.
func (l *Link) Done() <-chan struct{} { return l.s.Done() }

// Err tells why the link ended (nil while it is up): ErrClosed,
// ErrPeerTerminated, ErrAuthFailed, ErrKeepalive, ErrLoopback,
// ErrNegotiation or ErrIO, possibly wrapped with detail.
func (l *Link) Err() error { return l.s.Err() }

// Close ends the link: LCP Terminate-Request and a short wait for the
// peer's Terminate-Ack, then the line and every socket are closed. It is
// idempotent.
func (l *Link) Close() error {
	l.closeOnce.Do(func() {
		l.s.Close()
		l.wg.Wait()
	})
	return nil
}

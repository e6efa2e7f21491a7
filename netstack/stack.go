package netstack

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/internal/tcpmss"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/icmp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/tcpip/transport/udp"
)

// nicID is the only NIC of the stack: the PPP link.
const nicID tcpip.NICID = 1

// Stack is a userspace TCP/IP stack whose only interface is a PPP link.
// Its methods are safe for concurrent use.
type Stack struct {
	ipstack   *stack.Stack
	ep        *endpoint
	sndBufs   sendBuffers
	listening ports          // TCP ports with a listener
	rwc       *windowControl // nil when receive-window control is off
	mss       int            // the MSS TCP connections are clamped to (beforeHandshake); 0 for the MTU's
	wg        sync.WaitGroup // routineWindows, router discovery's goroutines
	log       *slog.Logger
	clk       clock.Clock // router discovery's timers

	mu         sync.Mutex // guards localAddr, dnsServers, v6 and changed
	localAddr  netip.Addr
	dnsServers []netip.Addr
	v6         ipv6State
	changed    chan struct{} // closed and replaced at each change (Changed)

	// ctx is cancelled when Close starts; blocking calls watch it.
	ctx        context.Context
	cancel     context.CancelFunc
	closeOnce  sync.Once
	downReason error // set by CloseWithError before ctx is cancelled
}

// New builds a stack from cfg. The stack is ready at once: packets passed
// to DeliverInbound are processed and sockets can be opened.
func New(cfg Config) (*Stack, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	mtu := cfg.MTU
	if mtu == 0 {
		mtu = defaultMTU
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real
	}
	s := &Stack{
		clk:        cfg.Clock,
		ep:         newEndpoint(cfg.Out, mtu, cfg.Logger),
		localAddr:  cfg.LocalAddr,
		dnsServers: slices.Clone(cfg.DNSServers),
		log:        cfg.Logger,
		changed:    make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	// The link clamps TCP's segments to what the line's rate allows;
	// the stack's own connections are told so (beforeHandshake).
	mss := int(mtu) - header.IPv4MinimumSize - header.TCPMinimumSize
	if size := tcpmss.PacketSize(cfg.LineRate, int(mtu)); size != 0 {
		s.mss = size - header.IPv4MinimumSize - header.TCPMinimumSize
		mss = s.mss
	}
	if cfg.LineRate > 0 && !cfg.NoWindowControl {
		s.rwc = newWindowControl(cfg.LineRate, mss, s.ep.counters.bytesIn.Load)
	}
	s.ipstack = stack.New(stack.Options{
		// IPv4, and IPv6 for when IPv6CP opens (ConfigureIPv6); it
		// has no address until then.
		NetworkProtocols: []stack.NetworkProtocolFactory{ipv4.NewProtocol, ipv6Protocol()},
		// The ipv4 protocol itself answers pings; the icmp transport
		// adds ICMP echo endpoints, for sending pings from this side
		// (link liveness checks) later.
		TransportProtocols: []stack.TransportProtocolFactory{
			tcpProtocol(cfg, s), udp.NewProtocol, icmp.NewProtocol4, icmp.NewProtocol6,
		},
		// Traffic to our own address stays inside the stack instead
		// of being sent to the peer. Not when promiscuous: gVisor then
		// treats every source address as one of ours and drops all
		// inbound packets as spoofed.
		HandleLocal: !cfg.Promiscuous,
	})
	if err := s.setup(cfg); err != nil {
		s.cancel()
		s.ipstack.Destroy()
		return nil, err
	}
	if s.rwc != nil {
		s.wg.Go(func() { s.rwc.routineWindows(s.ctx.Done()) })
	}
	return s, nil
}

// tcpProtocol is TCP, with a probe following send buffers for Unacked
// when cfg.TrackUnacked asks for it: the probe copies the endpoint's
// state after every segment, a cost the plain stack does not pay.
func tcpProtocol(cfg Config, s *Stack) stack.TransportProtocolFactory {
	if !cfg.TrackUnacked {
		return tcp.NewProtocol
	}
	s.sndBufs.enabled = true
	return tcp.NewProtocolProbe(s.sndBufs.probe)
}

// setup configures TCP, the NIC, its addresses and the default route.
func (s *Stack) setup(cfg Config) error {
	if err := setTCPOptions(s.ipstack); err != nil {
		return err
	}
	s.ep.ndp = s.handleNDP
	if err := s.ipstack.CreateNIC(nicID, s.ep); err != nil {
		return fmt.Errorf("netstack: create NIC: %w", convertError(err))
	}
	owned := map[netip.Addr]bool{}
	for _, a := range append([]netip.Addr{cfg.LocalAddr}, cfg.ExtraAddrs...) {
		if owned[a] || !a.IsValid() {
			continue
		}
		owned[a] = true
		addr := tcpip.ProtocolAddress{
			Protocol:          ipv4.ProtocolNumber,
			AddressWithPrefix: tcpip.AddrFrom4(a.As4()).WithPrefix(),
		}
		if err := s.ipstack.AddProtocolAddress(nicID, addr, stack.AddressProperties{}); err != nil {
			return fmt.Errorf("netstack: add address %v: %w", a, convertError(err))
		}
	}
	// Everything that is not our own address is across the link.
	s.ipstack.SetRouteTable([]tcpip.Route{
		{Destination: header.IPv4EmptySubnet, NIC: nicID},
		{Destination: header.IPv6EmptySubnet, NIC: nicID},
	})
	if cfg.Promiscuous {
		// Accept packets addressed to anyone, and let endpoints bind
		// and send from addresses the NIC does not own, so a
		// forwarder can impersonate the hosts its peer talks to.
		if err := s.ipstack.SetPromiscuousMode(nicID, true); err != nil {
			return fmt.Errorf("netstack: promiscuous mode: %w", convertError(err))
		}
		if err := s.ipstack.SetSpoofing(nicID, true); err != nil {
			return fmt.Errorf("netstack: spoofing: %w", convertError(err))
		}
	}
	return nil
}

// TCP buffer sizes. A GPRS or 2G link moves a few kB per second with
// round trips near a second, so a 64 KiB default window already covers its
// bandwidth-delay product without queueing much at the modem. Receive
// buffer moderation grows each connection's window up to tcpMaxBuffer
// when the reader keeps up, which is what makes fast links (and the
// in-memory links in tests) fast.
const (
	tcpMinBuffer     = 4 << 10
	tcpDefaultBuffer = 64 << 10
	tcpMaxBuffer     = 4 << 20
)

// setTCPOptions applies the stack-wide TCP settings.
func setTCPOptions(s *stack.Stack) error {
	sack := tcpip.TCPSACKEnabled(true)
	// No RACK: it causes spurious retransmissions and window collapse
	// in gVisor (tailscale/tailscale#9707); SACK-based recovery stays on.
	recovery := tcpip.TCPRecovery(0)
	// Reno, not CUBIC: at this gVisor version CUBIC stalls on a fast
	// lossy line (TestNoisyLine moves nothing for a minute; Reno takes
	// 25 s). Reno has a flaw of its own here: its congestion avoidance
	// keeps the ACK count modulo the window it has just grown, so it
	// grows a segment per ACK as in slow start until a loss. On a slow
	// line that overshoot ends at the output queue's delay bound
	// (session.MaxQueueDelay, sized with it in mind).
	cc := tcpip.CongestionControlOption("reno")
	// Grow the receive window with what the application actually reads.
	moderate := tcpip.TCPModerateReceiveBufferOption(true)
	rcv := tcpip.TCPReceiveBufferSizeRangeOption{Min: tcpMinBuffer, Default: tcpDefaultBuffer, Max: tcpMaxBuffer}
	snd := tcpip.TCPSendBufferSizeRangeOption{Min: tcpMinBuffer, Default: tcpDefaultBuffer, Max: tcpMaxBuffer}
	opts := []struct {
		name string
		opt  tcpip.SettableTransportProtocolOption
	}{
		// Selective acknowledgements: a lost frame on a lossy radio
		// link costs one retransmission instead of a window's worth.
		{"SACK", &sack},
		{"recovery", &recovery},
		{"congestion control", &cc},
		{"receive buffer moderation", &moderate},
		{"receive buffer", &rcv},
		{"send buffer", &snd},
	}
	for _, o := range opts {
		if err := s.SetTransportProtocolOption(tcp.ProtocolNumber, o.opt); err != nil {
			return fmt.Errorf("netstack: set TCP %s: %w", o.name, convertError(err))
		}
	}
	return nil
}

// DeliverInbound passes one IP packet received from the link to the
// stack, IPv4 or IPv6 by its version field. pkt is copied, so the caller
// may reuse it at once. Packets that are not well-formed IPv4 or IPv6
// are counted in Stats.DroppedIn and dropped.
//
// The packet is processed on the calling goroutine, which may call
// Config.Out to answer it (see Writer). DeliverInbound is safe to call
// from any goroutine.
func (s *Stack) DeliverInbound(pkt []byte) {
	s.ep.deliver(pkt)
}

// LocalAddr returns the stack's IPv4 address: Config.LocalAddr, or the
// address given to Renumber since; invalid on an IPv6-only link.
func (s *Stack) LocalAddr() netip.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.localAddr
}

// DNSServers returns the servers LookupNetIP asks: those of
// Config.DNSServers (or Renumber), then those router advertisements
// gave (RFC 8106).
func (s *Stack) DNSServers() []netip.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(slices.Clone(s.dnsServers), s.v6.dns...)
}

// MTU returns the largest packet the stack sends.
func (s *Stack) MTU() uint32 { return s.ep.MTU() }

// Stats returns a snapshot of the link counters.
func (s *Stack) Stats() Stats { return s.ep.stats() }

// Close shuts the stack down: open sockets fail, blocked calls return,
// the stack's goroutines exit and no further packet reaches Config.Out
// (a WritePacket call already running is not waited for). Calls to the
// stack's methods after Close fail with errors that wrap net.ErrClosed.
// Close is idempotent and always returns nil.
func (s *Stack) Close() error { return s.CloseWithError(nil) }

// CloseWithError is Close for a link that went down for reason: the
// errors of the sockets that fail because of it are *LinkDownError
// values carrying reason. Only the first Close or CloseWithError counts.
func (s *Stack) CloseWithError(reason error) error {
	s.closeOnce.Do(func() {
		s.downReason = reason
		s.cancel()
		s.mu.Lock()
		s.v6.timers.stopAll()
		s.mu.Unlock()
		s.wg.Wait()
		// Stop the link first, so aborting connections below cannot
		// block on a Writer whose link is already gone.
		s.ep.Close()
		s.ipstack.Close()
		// Connections the application already closed but that still
		// linger in FIN-WAIT, LAST-ACK or TIME-WAIT are not covered by
		// Close; without aborting them Wait would sit out their timers.
		for _, e := range s.ipstack.CleanupEndpoints() {
			e.Abort()
		}
		s.ipstack.Wait()
		s.wg.Wait()
	})
	return nil
}

// closed reports whether Close has been called.
func (s *Stack) closed() bool { return s.ctx.Err() != nil }

package session

import (
	"fmt"

	"github.com/gprsppp/gprsppp/ipv6cp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// ncpState records which network control protocols have failed in the
// current Network phase: rejected by the peer, or given up. The link
// lives on while one of those configured is left.
type ncpState struct {
	ipcpFailed, ipv6cpFailed bool
}

func (s *Session) ipv6cpConfig() ipv6cp.Config {
	c := s.cfg
	return ipv6cp.Config{
		LocalID: ipv6cp.InterfaceIdentifier(c.InterfaceID), PeerID: ipv6cp.InterfaceIdentifier(c.PeerInterfaceID),
		Restart: c.Restart, MaxConfigure: c.MaxConfigure,
		Send: s.sendFunc(ppp.ProtocolIPv6CP), NewTimer: s.timerFunc(),
		Up: s.ipv6cpUp, Down: s.ipv6cpDown, Finished: s.ipv6cpFinished,
		Logger: c.Logger,
	}
}

// IPv6CP returns the interface identifiers IPv6CP negotiated, and
// whether it is Opened.
func (s *Session) IPv6CP() (ipv6cp.Negotiated, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ipv6Neg, s.ipv6Up.Load()
}

// IPv4Up reports whether IPCP is Opened and IPv4 flows.
func (s *Session) IPv4Up() bool { return s.ipUp.Load() }

// WriteIPv6 queues one IPv6 packet for the line, as WriteIPv4 does; it
// fails with ErrNotUp unless IPv6CP is Opened.
func (s *Session) WriteIPv6(pkt []byte) error {
	if !s.ipv6Up.Load() {
		s.stats.ipDrops.Add(1)
		return ErrNotUp
	}
	return s.w.enqueue(ppp.ProtocolIPv6, pkt)
}

// versionUp reports whether the network protocol of pkt, by its version
// field, is Opened.
func (s *Session) versionUp(pkt []byte) bool {
	if len(pkt) > 0 && pkt[0]>>4 == 6 {
		return s.ipv6Up.Load()
	}
	return s.ipUp.Load()
}

func (s *Session) ipv6cpUp(ng ipv6cp.Negotiated) {
	s.mu.Lock()
	s.ipv6Neg = ng
	s.mu.Unlock()
	s.cfg.Logger.Info("IPv6 up", "local", ng.LocalLinkLocal(), "peer", ng.PeerLinkLocal())
	s.ipv6Closed.Store(false)
	s.ipv6Up.Store(true)
	s.deliverEarlyIP()
	// With IPCP still negotiating, Up waits for it: a dual-stack link
	// comes up with both families, as the peer's answers allow.
	if s.wasUp || s.cfg.NoIPv4 || s.ncps.ipcpFailed {
		s.networkUp()
	}
}

// ipv6cpDown: IPv6 stops. When IPv6CP goes down alone (the peer closed
// or renegotiates it, or rejected it late) while LCP stays Opened,
// Reopened tells the link, which takes the IPv6 addresses off its stack
// until IPv6CP opens again, as pppd's ipv6cp_down takes them off ppp0.
// Under an LCP that goes down the link keeps them, as it keeps IPv4's.
func (s *Session) ipv6cpDown() {
	s.ipv6Up.Store(false)
	if s.wasUp && s.lcp.State() == fsm.Opened {
		s.ipv6Closed.Store(true)
		s.signalReopened()
	}
}

// IPv6Closed reports whether IPv6CP went down alone, LCP staying
// Opened, and has not opened again since; not while IPv6CP is merely
// waiting for a renegotiated LCP.
func (s *Session) IPv6Closed() bool { return s.ipv6Closed.Load() }

func (s *Session) ipv6cpFinished(err error) { s.ncpFailed(ppp.ProtocolIPv6CP, err) }

// ncpFailed handles a network control protocol that gave up or that the
// peer rejected: the link carries on with the other family if that one
// is configured and has not failed too, and ends otherwise.
func (s *Session) ncpFailed(proto ppp.Protocol, err error) {
	if s.phase != ppp.PhaseNetwork {
		return
	}
	if proto == ppp.ProtocolIPCP {
		s.ncps.ipcpFailed = true
	} else {
		s.ncps.ipv6cpFailed = true
	}
	v4Left := !s.cfg.NoIPv4 && !s.ncps.ipcpFailed
	v6Left := s.ipv6cp != nil && !s.ncps.ipv6cpFailed
	if !v4Left && !v6Left {
		s.lcp.Close(fmt.Errorf("%w: %w", ErrNegotiation, err))
		return
	}
	s.cfg.Logger.Info("network protocol unavailable, carrying on without it", "protocol", proto, "err", err)
	if proto == ppp.ProtocolIPCP && s.ipv6Up.Load() && !s.wasUp {
		s.networkUp()
	}
}

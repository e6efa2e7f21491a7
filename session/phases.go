package session

import (
	"errors"
	"fmt"

	"github.com/gprsppp/gprsppp/ipcp"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

func (s *Session) timerFunc() func(f func()) ppp.Timer {
	return func(f func()) ppp.Timer { return s.newTimer(f) }
}

func (s *Session) setPhase(p ppp.Phase) {
	if p != s.phase {
		s.cfg.Logger.Debug("phase", "from", s.phase, "to", p)
		s.phase = p
	}
}

func (s *Session) lcpConfig() lcp.Config {
	c := s.cfg
	var methods []ppp.Protocol
	if c.Role == RoleClient && c.Username != "" {
		methods = []ppp.Protocol{ppp.ProtocolCHAP, ppp.ProtocolPAP}
	}
	return lcp.Config{
		MRU: c.MRU, ACCM: c.ACCM, NoPFC: c.NoPFC, NoACFC: c.NoACFC, FCS32: c.FCS32,
		AuthMethods: methods, RequireAuth: c.RequireAuth,
		EchoInterval: c.EchoInterval, EchoFailures: c.EchoFailures, EchoAdaptive: c.EchoAdaptive,
		Restart: c.Restart, MaxConfigure: c.MaxConfigure,
		Send: s.sendFunc(ppp.ProtocolLCP), NewTimer: s.timerFunc(),
		Up: s.lcpUp, Down: s.lcpDown, Finished: s.lcpFinished,
		ProtocolRejected: s.protocolRejected,
		Logger:           c.Logger,
	}
}

func (s *Session) ipcpConfig() ipcp.Config {
	c := s.cfg
	cfg := ipcp.Config{
		LocalAddr: c.LocalAddr, Restart: c.Restart, MaxConfigure: c.MaxConfigure,
		Send: s.sendFunc(ppp.ProtocolIPCP), NewTimer: s.timerFunc(),
		Up: s.ipcpUp, Down: s.ipcpDown, Finished: s.ipcpFinished,
		Logger: c.Logger,
	}
	if c.Role == RoleClient {
		cfg.RequestDNS = true
	} else {
		cfg.PeerAddr, cfg.DNS = c.PeerAddr, c.DNS
	}
	return cfg
}

// registerProtocols fills the demultiplexer: LCP always, PAP and CHAP
// from the Authenticate phase, IPCP (unless Config.NoIPv4) and IPv6CP
// (with Config.IPv6) in the Network phase. Anything else is answered
// with Protocol-Reject (pppd offers CCP, and IPv6CP).
func (s *Session) registerProtocols() {
	d := &s.demux
	d.Reject = s.lcp.SendProtocolReject
	d.Register(ppp.ProtocolLCP, s.lcp.Receive)
	for _, p := range []ppp.Protocol{ppp.ProtocolPAP, ppp.ProtocolCHAP} {
		d.Register(p, func(info []byte) {
			switch s.phase {
			case ppp.PhaseEstablish:
				s.hold(frame{p, info})
			case ppp.PhaseAuthenticate, ppp.PhaseNetwork:
				s.auth.input(p, info)
			}
		})
	}
	if !s.cfg.NoIPv4 {
		s.registerNCP(ppp.ProtocolIPCP, s.ipcp.Receive)
		d.Register(ppp.ProtocolIPv4, s.earlyIPv4)
	}
	if s.ipv6cp != nil {
		s.registerNCP(ppp.ProtocolIPv6CP, s.ipv6cp.Receive)
		d.Register(ppp.ProtocolIPv6, s.earlyIPv4)
	}
}

// registerNCP registers a network control protocol: its packets are
// held until the Network phase.
func (s *Session) registerNCP(proto ppp.Protocol, receive func([]byte)) {
	s.demux.Register(proto, func(info []byte) {
		switch s.phase {
		case ppp.PhaseEstablish, ppp.PhaseAuthenticate:
			s.hold(frame{proto, info})
		case ppp.PhaseNetwork:
			receive(info)
		}
	})
}

// receive handles one control packet on the loop.
func (s *Session) receive(f frame) {
	if f.proto != ppp.ProtocolIPv4 && f.proto != ppp.ProtocolIPv6 {
		s.logPacket("rcvd", f.proto, f.info)
	}
	s.demux.Input(f.proto, f.info)
}

// hold keeps a packet that came before its phase, as a peer a step
// ahead of us sends it, to be replayed when the phase begins. Without
// this the peer's restart timer would stall the link for seconds.
func (s *Session) hold(f frame) {
	if len(s.early) < 8 {
		s.early = append(s.early, f)
	}
}

// replay feeds held packets that now have a phase to go to.
func (s *Session) replay() {
	held := s.early
	s.early = nil
	for _, f := range held {
		s.receive(f)
	}
}

func (s *Session) lcpUp(ng lcp.Negotiated) {
	s.mu.Lock()
	s.lcpOut = ng
	s.mu.Unlock()
	s.w.negotiated(ng)
	s.setRecvFCS(true, ng.RecvFCS32)
	s.setPhase(ppp.PhaseAuthenticate)
	s.auth.start(s, ng)
	if s.auth.pending == 0 {
		s.networkPhase()
	}
	s.replay()
}

// authDone is called by each authentication exchange as it finishes.
func (s *Session) authDone(err error) {
	if err != nil {
		s.cfg.Logger.Info("authentication failed", "err", err)
		s.lcp.Close(fmt.Errorf("%w: %w", ErrAuthFailed, err))
		return
	}
	s.auth.pending--
	if s.auth.pending == 0 && s.phase == ppp.PhaseAuthenticate {
		s.networkPhase()
		s.replay()
	}
}

func (s *Session) networkPhase() {
	s.setPhase(ppp.PhaseNetwork)
	s.ncps = ncpState{}
	if !s.cfg.NoIPv4 {
		s.ipcp.Open()
	}
	if s.ipv6cp != nil {
		s.ipv6cp.Open()
	}
}

func (s *Session) lcpDown() {
	s.ipUp.Store(false)
	s.ipv6Up.Store(false)
	s.auth.stop()
	s.ipcp.LowerDown()
	if s.ipv6cp != nil {
		s.ipv6cp.LowerDown()
	}
	s.w.reset()
	s.setRecvFCS(false, false)
	s.early, s.earlyIP = nil, nil
	// Closing or Stopping: the link is going; otherwise LCP is
	// renegotiating and packets of the next phases may be held again.
	if st := s.lcp.State(); st == fsm.Closing || st == fsm.Stopping {
		s.setPhase(ppp.PhaseTerminate)
	} else {
		s.setPhase(ppp.PhaseEstablish)
	}
}

func (s *Session) lcpFinished(err error) {
	switch {
	case errors.Is(err, lcp.ErrNegotiation):
		err = fmt.Errorf("%w: %w", ErrNegotiation, err)
	case errors.Is(err, lcp.ErrAuthRefused) && errors.Is(err, ErrPeerTerminated) && s.wasUp:
		// We refused to authenticate, the peer carried on without it,
		// and ended the link later for its own reasons.
		err = ErrPeerTerminated
	case errors.Is(err, lcp.ErrAuthRefused):
		err = fmt.Errorf("%w: %w", ErrAuthFailed, err)
	}
	s.end(err)
}

func (s *Session) ipcpUp(ng ipcp.Negotiated) {
	s.mu.Lock()
	s.ipcpNeg = ng
	s.mu.Unlock()
	s.cfg.Logger.Info("network up", "local", ng.LocalAddr, "peer", ng.PeerAddr, "dns", ng.DNS)
	s.ipUp.Store(true)
	s.deliverEarlyIP()
	s.networkUp()
}

// networkUp tells that a network protocol opened: the first time Up
// closes, later Reopened fires.
func (s *Session) networkUp() {
	if !s.wasUp {
		s.wasUp = true
		close(s.up)
		return
	}
	s.signalReopened()
}

// signalReopened sends the Reopened value, unless one is waiting.
func (s *Session) signalReopened() {
	select {
	case s.reopened <- struct{}{}:
	default:
	}
}

func (s *Session) ipcpDown() { s.ipUp.Store(false) }

func (s *Session) ipcpFinished(err error) { s.ncpFailed(ppp.ProtocolIPCP, err) }

func (s *Session) protocolRejected(p ppp.Protocol) {
	s.cfg.Logger.Debug("peer rejected protocol", "protocol", p)
	switch p {
	case ppp.ProtocolIPCP, ppp.ProtocolIPv4:
		s.ipUp.Store(false)
		s.ipcp.LowerDown()
		s.ncpFailed(ppp.ProtocolIPCP, fmt.Errorf("peer rejected %v", p))
	case ppp.ProtocolIPv6CP, ppp.ProtocolIPv6:
		if s.ipv6cp != nil {
			s.ipv6Up.Store(false)
			s.ipv6cp.LowerDown()
			s.ncpFailed(ppp.ProtocolIPv6CP, fmt.Errorf("peer rejected %v", p))
		}
	}
}

// maxEarlyIP bounds the IP packets held while the network layer comes up.
const maxEarlyIP = 32

// earlyIPv4 takes an IP packet (IPv4, or IPv6 under the same rules)
// that reached the loop: one sent by a peer whose IPCP or IPv6CP opened
// before ours, or before the stack was attached.
// In the Network phase it is held for the handler (a dropped SYN would
// cost the first connection a retransmission); otherwise it is dropped.
func (s *Session) earlyIPv4(pkt []byte) {
	if h := s.handler.Load(); h != nil && s.versionUp(pkt) {
		s.stats.ipIn.Add(1)
		(*h)(pkt)
		return
	}
	if s.phase != ppp.PhaseNetwork || len(s.earlyIP) >= maxEarlyIP {
		s.stats.ipDrops.Add(1)
		return
	}
	s.earlyIP = append(s.earlyIP, pkt)
}

// deliverEarlyIP hands held packets to the handler once IP is up.
func (s *Session) deliverEarlyIP() {
	h := s.handler.Load()
	if h == nil {
		return
	}
	held := s.earlyIP[:0]
	delivered := false
	for _, pkt := range s.earlyIP {
		if !s.versionUp(pkt) {
			held = append(held, pkt)
			continue
		}
		s.stats.ipIn.Add(1)
		(*h)(pkt)
		delivered = true
	}
	if delivered {
		s.flushIP()
	}
	s.earlyIP = held
}

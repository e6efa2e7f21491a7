package ipcp

import (
	"log/slog"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// IPCP is one link's IP Control Protocol. Its methods must be called from
// the link's goroutine.
type IPCP struct {
	cfg    Config
	m      *fsm.Machine
	n      negotiation
	reason error
}

// New returns an IPCP in the Initial state.
func New(cfg Config) *IPCP {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &IPCP{cfg: cfg}
	p.n = negotiation{cfg: &p.cfg, ipcp: p}
	p.n.reset()
	p.m = fsm.New(fsm.Config{
		Protocol:     ppp.ProtocolIPCP,
		Send:         cfg.Send,
		NewTimer:     cfg.NewTimer,
		Restart:      cfg.Restart,
		MaxConfigure: cfg.MaxConfigure,
		MaxTerminate: cfg.MaxTerminate,
		MaxFailure:   cfg.MaxFailure,
		Logger:       cfg.Logger,
	}, &p.n)
	return p
}

// State returns the automaton's state.
func (p *IPCP) State() fsm.State { return p.m.State() }

// CodeRejectsIgnored counts the peer's Code-Rejects of codes IPCP can do
// without (fsm.Machine.CodeRejectsIgnored); safe from any goroutine.
func (p *IPCP) CodeRejectsIgnored() uint64 { return p.m.CodeRejectsIgnored() }

// Open starts negotiation; LCP is Opened and authentication done.
func (p *IPCP) Open() {
	p.m.Open()
	p.m.Up()
}

// Close terminates IPCP administratively.
func (p *IPCP) Close() { p.m.Close() }

// LowerDown reports that LCP left the Opened state.
func (p *IPCP) LowerDown() {
	p.m.Down()
	p.m.Stop()
}

// Stop cancels the restart timer for good, for use when the link has
// ended.
func (p *IPCP) Stop() { p.m.Stop() }

// Receive processes one IPCP packet.
func (p *IPCP) Receive(pkt []byte) {
	if err := p.m.Receive(pkt); err != nil {
		p.cfg.Logger.Debug("ipcp: malformed packet dropped", "err", err)
	}
}

func (p *IPCP) negotiated() Negotiated {
	ng := Negotiated{LocalAddr: p.n.want[TypeIPAddress], PeerAddr: p.n.his}
	if p.cfg.PeerAddr.IsValid() {
		ng.PeerAddr = p.cfg.PeerAddr
		ng.DNS = p.cfg.DNS
	}
	for _, t := range []OptionType{TypePrimaryDNS, TypeSecondaryDNS} {
		if a, ok := p.n.want[t]; ok && a.Is4() && !a.IsUnspecified() {
			ng.DNS = append(ng.DNS, a)
		}
	}
	return ng
}

func (p *IPCP) up() {
	ng := p.negotiated()
	if !ng.LocalAddr.IsValid() || ng.LocalAddr.IsUnspecified() {
		// The automaton queues this Close until the current
		// transition is complete.
		p.reason = ErrNoAddress
		p.m.Close()
		return
	}
	p.cfg.Logger.Debug("ipcp: opened", "local", ng.LocalAddr, "peer", ng.PeerAddr, "dns", ng.DNS)
	if p.cfg.Up != nil {
		p.cfg.Up(ng)
	}
}

func (p *IPCP) down() {
	if p.cfg.Down != nil {
		p.cfg.Down()
	}
}

func (p *IPCP) finished() {
	reason := p.reason
	if reason == nil {
		reason = ErrNegotiation
	}
	if p.cfg.Finished != nil {
		p.cfg.Finished(reason)
	}
}

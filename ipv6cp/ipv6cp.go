package ipv6cp

import (
	"log/slog"
	"math/rand/v2"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// IPv6CP is one link's IPv6 Control Protocol. Its methods must be called
// from the link's goroutine.
type IPv6CP struct {
	cfg Config
	m   *fsm.Machine
	n   negotiation
}

// New returns an IPv6CP in the Initial state.
func New(cfg Config) *IPv6CP {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Random == nil {
		cfg.Random = rand.Uint64
	}
	p := &IPv6CP{cfg: cfg}
	p.n = negotiation{cfg: &p.cfg, p: p}
	p.n.reset()
	p.m = fsm.New(fsm.Config{
		Protocol:     ppp.ProtocolIPv6CP,
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
func (p *IPv6CP) State() fsm.State { return p.m.State() }

// CodeRejectsIgnored counts the peer's Code-Rejects of codes IPv6CP can
// do without (fsm.Machine.CodeRejectsIgnored); safe from any goroutine.
func (p *IPv6CP) CodeRejectsIgnored() uint64 { return p.m.CodeRejectsIgnored() }

// Open starts negotiation; LCP is Opened and authentication done.
func (p *IPv6CP) Open() {
	p.m.Open()
	p.m.Up()
}

// Close terminates IPv6CP administratively.
func (p *IPv6CP) Close() { p.m.Close() }

// LowerDown reports that LCP left the Opened state, or that the peer
// rejected the protocol (RFC 1661 §5.7: the automaton stops).
func (p *IPv6CP) LowerDown() {
	p.m.Down()
	p.m.Stop()
}

// Stop cancels the restart timer for good, for use when the link has
// ended.
func (p *IPv6CP) Stop() { p.m.Stop() }

// Receive processes one IPv6CP packet.
func (p *IPv6CP) Receive(pkt []byte) {
	if err := p.m.Receive(pkt); err != nil {
		p.cfg.Logger.Debug("ipv6cp: malformed packet dropped", "err", err)
	}
}

func (p *IPv6CP) negotiated() Negotiated {
	ng := Negotiated{LocalID: p.n.want, PeerID: p.n.his}
	if ng.PeerID == 0 {
		ng.PeerID = p.cfg.PeerID
	}
	return ng
}

func (p *IPv6CP) up() {
	ng := p.negotiated()
	p.cfg.Logger.Debug("ipv6cp: opened", "local", ng.LocalLinkLocal(), "peer", ng.PeerLinkLocal())
	if p.cfg.Up != nil {
		p.cfg.Up(ng)
	}
}

func (p *IPv6CP) down() {
	if p.cfg.Down != nil {
		p.cfg.Down()
	}
}

func (p *IPv6CP) finished() {
	if p.cfg.Finished != nil {
		p.cfg.Finished(ErrNegotiation)
	}
}

package ipv6cp

import (
	"errors"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// ErrNegotiation reports that IPv6CP gave up (Max-Configure reached or
// the peer closed it).
var ErrNegotiation = errors.New("ipv6cp: negotiation failed")

// Negotiated holds the outcome of IPv6CP.
type Negotiated struct {
	// LocalID is our interface identifier: the one we proposed, or the
	// one the peer naked us with.
	LocalID InterfaceIdentifier
	// PeerID is the peer's interface identifier; zero if it never
	// announced one.
	PeerID InterfaceIdentifier
}

// LocalLinkLocal returns our link-local address fe80::<LocalID>.
func (n Negotiated) LocalLinkLocal() netip.Addr { return n.LocalID.LinkLocal() }

// PeerLinkLocal returns the peer's link-local address, invalid if it
// announced no identifier.
func (n Negotiated) PeerLinkLocal() netip.Addr {
	if n.PeerID == 0 {
		return netip.Addr{}
	}
	return n.PeerID.LinkLocal()
}

// Config configures an IPv6CP. Zero values take the defaults given.
type Config struct {
	// LocalID is the interface identifier we propose; zero picks a
	// random one. Either way a Nak from the peer replaces it.
	LocalID InterfaceIdentifier
	// PeerID (network side) is the identifier the peer must use: any
	// other it proposes is naked with this one, as a 3GPP gateway does.
	// Zero accepts the peer's own identifier unless it is zero or ours.
	PeerID InterfaceIdentifier
	// Restart, MaxConfigure, MaxTerminate and MaxFailure tune the
	// automaton; see fsm.Config.
	Restart                                time.Duration
	MaxConfigure, MaxTerminate, MaxFailure int
	// Send transmits one IPv6CP packet.
	Send func(pkt []byte)
	// NewTimer creates a timer whose function runs on the link's goroutine.
	NewTimer func(f func()) ppp.Timer
	// Random returns random identifiers; nil means math/rand/v2.
	Random func() uint64
	// Up is called when IPv6CP reaches Opened.
	Up func(Negotiated)
	// Down is called when IPv6CP leaves Opened.
	Down func()
	// Finished is called when IPv6CP gives up or is terminated.
	Finished func(err error)
	// Logger receives negotiation events at debug level; nil is silent.
	Logger *slog.Logger
}

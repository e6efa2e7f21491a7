package ipcp

import (
	"errors"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// ErrNoAddress reports that IPCP opened without giving us an address.
var ErrNoAddress = errors.New("ipcp: peer assigned no IP address")

// ErrNegotiation reports that IPCP gave up (Max-Configure reached or the
// peer closed it).
var ErrNegotiation = errors.New("ipcp: negotiation failed")

// Negotiated holds the outcome of IPCP.
type Negotiated struct {
	// LocalAddr is our address.
	LocalAddr netip.Addr
	// PeerAddr is the peer's address, invalid if it never announced one.
	PeerAddr netip.Addr
	// DNS lists the DNS servers learned (client) or offered (network).
	DNS []netip.Addr
}

// Config configures an IPCP. Zero values take the defaults given.
type Config struct {
	// LocalAddr is the address we ask for; the zero value asks the peer
	// to assign one (0.0.0.0, as pppd's noipdefault).
	LocalAddr netip.Addr
	// PeerAddr is the address we assign to the peer (network side); the
	// zero value accepts whatever address the peer announces.
	PeerAddr netip.Addr
	// RequestDNS asks the peer for DNS server addresses (RFC 1877).
	RequestDNS bool
	// DNS are the servers offered to a peer that asks (network side);
	// empty rejects such requests.
	DNS []netip.Addr
	// Restart, MaxConfigure, MaxTerminate and MaxFailure tune the
	// automaton; see fsm.Config.
	Restart                                time.Duration
	MaxConfigure, MaxTerminate, MaxFailure int

	// Send transmits one IPCP packet.
	Send func(pkt []byte)
	// NewTimer creates a timer whose function runs on the link's goroutine.
	NewTimer func(f func()) ppp.Timer
	// Up is called when IPCP reaches Opened with a usable address.
	Up func(Negotiated)
	// Down is called when IPCP leaves Opened.
	Down func()
	// Finished is called when IPCP gives up or is terminated.
	Finished func(err error)
	// Logger receives negotiation events at debug level; nil is silent.
	Logger *slog.Logger
}

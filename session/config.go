package session

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
)

// Config configures a Session. Zero values take the defaults given.
type Config struct {
	// Role selects the client or the network side; zero is the client.
	Role Role

	// Username and Password authenticate us when the network asks (PAP
	// or CHAP-MD5). Both empty: we refuse to authenticate. Never logged.
	Username, Password string
	// RequireAuth (network side) is the protocol the client must
	// authenticate with: ppp.ProtocolPAP, ppp.ProtocolCHAP or zero for none.
	RequireAuth ppp.Protocol
	// Secret (network side) returns the password of a peer name.
	Secret func(name string) (string, bool)
	// AuthName is our name in CHAP Challenges; zero means "gprsppp".
	AuthName string

	// MRU is the Maximum-Receive-Unit we announce; zero means 1500.
	MRU uint16
	// ACCM is the async map we ask the peer to use; zero means none.
	ACCM uint32
	// NoPFC and NoACFC refuse those compressions in both directions.
	NoPFC, NoACFC bool
	// FCS32 negotiates the 32-bit FCS (RFC 1570 FCS-Alternatives) in
	// both directions: we ask the peer for it and accept the peer's
	// request. False, the default, keeps the 16-bit FCS and rejects the
	// option, since pppd and most modems do not know it; a peer that
	// rejects it leaves the link on the 16-bit FCS. See lcp.Config.FCS32.
	FCS32 bool
	// EchoInterval, EchoFailures and EchoAdaptive configure the LCP echo
	// keepalive; a zero interval disables it. See lcp.Config.
	EchoInterval time.Duration
	EchoFailures int
	EchoAdaptive bool
	// Restart is the control protocols' restart timer; zero means 3 s.
	Restart time.Duration
	// MaxConfigure is how many Configure-Requests go unanswered before
	// giving up; zero means 10.
	MaxConfigure int

	// LocalAddr is our IPv4 address: zero asks the peer (client); the
	// network side must set it.
	LocalAddr netip.Addr
	// PeerAddr (network side) is the address assigned to the client.
	PeerAddr netip.Addr
	// DNS (network side) are the DNS servers offered to the client; the
	// client always asks for two (RFC 1877).
	DNS []netip.Addr

	// NoIPv4 leaves IPCP out: the peer's IPCP and IPv4 are answered with
	// Protocol-Reject, for an IPv6-only link. False (the default) runs
	// IPCP.
	NoIPv4 bool
	// IPv6 runs IPv6CP (RFC 5072) next to IPCP and carries IPv6; false
	// (the default) answers the peer's IPv6CP with Protocol-Reject. A
	// peer that rejects IPv6CP, or whose IPv6CP fails, leaves IPv4
	// working, and the reverse.
	IPv6 bool
	// InterfaceID is the IPv6CP interface identifier we propose; zero
	// picks a random one. A peer's Nak replaces it (see ipv6cp).
	InterfaceID uint64
	// PeerInterfaceID (network side) is the identifier the client must
	// use: IPv6CP naks any other, as a 3GPP gateway does. Zero accepts
	// the client's own.
	PeerInterfaceID uint64

	// LineRate is the rate, in octets a second, at which the line
	// carries this side's frames, where it is known (a serial line's:
	// 115200 bit/s carries 11520). It sizes the output queue's limits
	// (the byte queue limit on the line's driver, CoDel's target) from
	// the first frame; the writer still measures the line while its
	// queue stays backlogged and follows what it finds. Zero (the
	// default) means unknown until measured, and a sender that never
	// backlogs the queue (one kept within a receive window) leaves it
	// unknown: the line's driver then fills to its own limit.
	LineRate int

	// Trace, if set, sees every good frame received and every frame
	// sent, from the address field to the end of the information field
	// (no FCS), for packet captures. Sent frames are shown with full
	// address, control and protocol fields whatever was negotiated. It
	// runs on the reading goroutine or, with the line's write lock held,
	// the writer's: it must not keep frame nor call into the link.
	Trace func(sent bool, frame []byte)

	// Clock drives the timers; nil means the system clock.
	Clock clock.Clock
	// Logger receives the negotiation at debug level and the link's
	// progress at info level; nil is silent. Secrets are never logged.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.Clock == nil {
		c.Clock = clock.Real
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.AuthName == "" {
		c.AuthName = "gprsppp"
	}
	if c.MRU == 0 {
		c.MRU = 1500
	}
}

package netstack

import (
	"errors"
	"log/slog"
	"net/netip"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// Writer sends one IPv4 packet over the PPP link.
//
// The stack calls WritePacket synchronously from whichever goroutine
// produced the packet (a TCP processor, a socket writer, or the goroutine
// running DeliverInbound when the stack answers inline with an ICMP
// echo reply or a TCP reset), and possibly from several at once.
//
// WritePacket may block: that is the back-pressure policy, and it slows
// the stack's senders down to the speed of the link. It must not wait for
// the goroutine that calls DeliverInbound on the same stack, or the two
// can deadlock; a link that cannot keep up should queue (bounded) or drop.
// A non-nil error means the packet was dropped; the stack counts it in
// Stats.DroppedOut and carries on, leaving recovery to TCP.
//
// pkt is only valid during the call: an implementation that keeps it
// must copy it.
type Writer interface {
	WritePacket(pkt []byte) error
}

// Config configures a Stack. Only Out is required.
type Config struct {
	// LocalAddr is the stack's IPv4 address on the link, normally the
	// one IPCP negotiated. It is added as a /32; every other
	// destination is routed out over the link. The zero value is an
	// IPv6-only stack until Renumber gives it one; IPv6 comes with
	// ConfigureIPv6.
	LocalAddr netip.Addr

	// MTU is the largest IPv4 packet the stack sends, normally the
	// peer's negotiated MRU. Zero means 1500.
	MTU uint32

	// Out carries outbound packets to the link. Required.
	Out Writer

	// DNSServers are queried, in order, by LookupNetIP and by DialContext
	// for host names. The queries travel through this stack and the link.
	// Empty means names cannot be resolved; IP literals still work.
	DNSServers []netip.Addr

	// ExtraAddrs are further IPv4 addresses the stack owns besides
	// LocalAddr, each as a /32: it accepts packets for them, answers
	// pings to them, and DialTCPFrom can open connections from them, as
	// hosts behind a gateway would (the network side of a simulated link
	// uses them). Renumber leaves them alone. LocalAddr itself and
	// repeats are skipped. Empty (the default) owns LocalAddr alone.
	ExtraAddrs []netip.Addr

	// Promiscuous makes the stack accept packets for any destination
	// address and send from any source address, as the network side of a
	// slirp-like forwarder needs. Packets to LocalAddr then go out over
	// the link too, instead of looping back inside the stack. False (the
	// default) accepts only packets for LocalAddr.
	Promiscuous bool

	// TrackUnacked makes TCP connections follow how many octets the peer
	// has not acknowledged (their Unacked method), at the cost of a copy
	// of the connection's state after every segment; off by default.
	TrackUnacked bool

	// LineRate is the rate, in octets a second, at which the link
	// carries packets toward this stack, where it is known: a serial
	// line's (115200 bit/s carries 11520), a simulated line's. Zero (the
	// default) means unknown. With a rate, the stack controls the
	// receive windows of its TCP connections (see NoWindowControl).
	LineRate int

	// NoWindowControl turns receive-window control off. With it on (the
	// default, when LineRate is known), each TCP connection advertises
	// a receive window of about what the line carries in one of its
	// round trips, shared evenly among the connections receiving in
	// bulk, so that the queue in front of the line (an operator's, which
	// may hold seconds) stays short while one download still fills the
	// line (after DRWA; see windowControl). Off, gVisor's receive buffer
	// moderation grows each window with what the application reads.
	NoWindowControl bool

	// Logger receives debug logs about dropped packets and similar events.
	// Nil means silent.
	Logger *slog.Logger

	// Clock times IPv6 router discovery: router solicitations, a router
	// stack's advertisements, and the lifetimes of SLAAC addresses and
	// RDNSS servers. gVisor's own timers (TCP, and the Happy Eyeballs
	// fallback, which races real connections) keep the system clock.
	// Nil means the system clock.
	Clock clock.Clock
}

// defaultMTU is used when Config.MTU is zero: the RFC 1661 default MRU.
const defaultMTU = 1500

// minMTU is the smallest datagram every IPv4 host must accept (RFC 791).
const minMTU = 68

func (c *Config) validate() error {
	switch {
	case c.LocalAddr.IsValid() && !c.LocalAddr.Is4():
		return errors.New("netstack: Config.LocalAddr must be an IPv4 address")
	case c.Out == nil:
		return errors.New("netstack: Config.Out is required")
	case c.MTU != 0 && c.MTU < minMTU:
		return errors.New("netstack: Config.MTU is below the IPv4 minimum of 68")
	case c.LineRate < 0:
		return errors.New("netstack: Config.LineRate must not be negative")
	}
	for _, a := range c.ExtraAddrs {
		if !a.Is4() {
			return errors.New("netstack: Config.ExtraAddrs must be IPv4 addresses")
		}
	}
	for _, a := range c.DNSServers {
		if !a.IsValid() {
			return errors.New("netstack: Config.DNSServers holds an invalid address")
		}
	}
	return nil
}

// Stats counts packets crossing the boundary between the stack and the
// link. Counters only grow.
type Stats struct {
	// PacketsIn and BytesIn count packets DeliverInbound (or a
	// Receiver) handed to the stack.
	PacketsIn, BytesIn uint64
	// SegmentsJoined counts the TCP segments a Receiver joined to the
	// one before them, of those counted in PacketsIn.
	SegmentsJoined uint64
	// DroppedIn counts packets DeliverInbound discarded: too short, not
	// IPv4, a malformed header, or the stack was closed.
	DroppedIn uint64
	// PacketsOut and BytesOut count packets Out accepted.
	PacketsOut, BytesOut uint64
	// DroppedOut counts outbound packets lost because Out returned an
	// error or the stack was closed.
	DroppedOut uint64
}

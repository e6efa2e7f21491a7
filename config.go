package gprsppp

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/session"
)

// Config configures the client end of a link. Zero values take the
// defaults given.
type Config struct {
	// Username and Password are used when the network asks us to
	// authenticate (PAP or CHAP-MD5, the network chooses). Both empty
	// means we refuse to authenticate. Never logged.
	Username, Password string
	// MRU is the Maximum-Receive-Unit we announce; zero means 1500.
	MRU uint16
	// EchoInterval enables the LCP echo keepalive; zero disables it.
	EchoInterval time.Duration
	// EchoFailures is how many unanswered echoes end the link; zero
	// means 4.
	EchoFailures int
	// EchoAdaptive sends echoes only when the line was silent for an
	// interval.
	EchoAdaptive bool
	// Restart is the LCP/IPCP/PAP retransmission interval; zero means 3 s.
	Restart time.Duration
	// MaxConfigure is how many Configure-Requests go unanswered before
	// Open fails; zero means 10.
	MaxConfigure int
	// NoPFC and NoACFC refuse header compression (pppd nopcomp,
	// noaccomp).
	NoPFC, NoACFC bool
	// FCS32 negotiates the 32-bit FCS (RFC 1570 FCS-Alternatives) in
	// both directions. False, the default, keeps the 16-bit FCS and
	// rejects the option: pppd and most modems do not know it, and a
	// peer that rejects it leaves the link on the 16-bit FCS anyway.
	FCS32 bool
	// Device names the modem's port, for Dial: a serial device
	// (/dev/ttyUSB2), unix:/path or tcp://host:port (raw, as ser2net).
	Device string
	// Port holds the serial settings for Dial; zero values are 115200
	// 8N1 without flow control (see device.Options).
	Port device.Options
	// APN is the access point name set with AT+CGDCONT; empty leaves the
	// modem's context as it is.
	APN string
	// PDPType is the PDP context's type, "IP", "IPV6" or "IPV4V6": it is
	// written with the APN (AT+CGDCONT=1,"IPV4V6","apn") and chooses the
	// link's network protocols: IPCP for IP, IPv6CP for IPV6, both for
	// IPV4V6 (a peer that rejects one leaves the other working). Empty
	// means "IP", IPv4 alone, the peer's IPv6CP rejected.
	PDPType string
	// PIN unlocks the SIM when the modem asks. Never logged. A PIN the
	// SIM rejected is never sent again in this process, and the last
	// attempt is left to a person (see dialer.Dial).
	PIN string
	// DialString replaces "*99***<ContextID>#"; ContextID is the PDP
	// context, zero meaning 1.
	DialString string
	ContextID  int
	// RegistrationTimeout bounds the wait for network registration; zero
	// means 60 s.
	RegistrationTimeout time.Duration
	// GuardTime is the modem's escape guard time (V.250 S12) for the +++
	// that hangs up, and that brings back a modem left in data mode
	// before a dial; zero means 1 s.
	GuardTime time.Duration
	// Script replaces the default dial script (see
	// dialer.ParseChatScript).
	Script *dialer.Script
	// CarrierPoll is how often Data Carrier Detect is checked on ports
	// that report it; zero means 1 s.
	CarrierPoll time.Duration
	// CMUX has Dial run a 3GPP TS 27.010 multiplexer on the port: after
	// the AT sync it sends AT+CMUX=0 (see dialer.EnterCMUX), runs the
	// dial script and PPP on the data channel (DLCI 2) and watches the
	// modem on the AT channel (DLCI 1) with a dialer.Monitor, whose
	// findings Link.ModemStatus returns and through which
	// Link.ModemCommand sends commands. Before the AT sync it closes a
	// multiplexer a previous run may have left open. False, the default,
	// dials on the port itself.
	CMUX bool
	// CMUXFrameSize is the multiplexer's N1, the longest information
	// field of a frame, given to the modem with AT+CMUX; zero means 127,
	// as Linux n_gsm and most modules use.
	CMUXFrameSize int
	// CMUXKeepAlive is how long the multiplexer may stay silent before a
	// Test command checks the modem is there; unanswered, the link ends
	// with cmux.ErrPeerSilent. Zero means 10 s; negative sends none.
	CMUXKeepAlive time.Duration
	// StatusInterval is how often the AT channel's monitor polls the
	// signal, registration and operator (with CMUX); zero means 30 s.
	StatusInterval time.Duration

	// TrackUnacked makes the link's TCP connections report how many
	// octets the peer has not acknowledged (an Unacked method), which
	// the QI* shim's AT+QISACK needs; it costs a little per segment.
	TrackUnacked bool

	// LineRate is the rate, in octets a second, at which the line
	// carries data toward this host, where it is known (the radio's, or
	// a serial line's when that is slower: 115200 bit/s carries 11520).
	// With it the link's TCP connections keep the queue toward this host
	// short by their receive windows (see netstack.Config.LineRate). A
	// serial line carries the same rate both ways, so it is also taken
	// as the rate at which the line carries this host's frames, which
	// bounds what waits in the line's driver from the first frame (see
	// session.Config.LineRate); a slower uplink is found by measuring.
	// Zero (the default) means unknown, and no such control.
	LineRate int

	// Trace, if set, sees every PPP frame received (sent false) and sent
	// (sent true), without FCS, for packet captures; see package pcap.
	Trace func(sent bool, frame []byte)
	// Logger receives the link's progress; at debug level, every control
	// packet in pppd's style. Nil is silent.
	Logger *slog.Logger
	// ModemLogger receives Dial's AT dialogue with the modem (the dial
	// script, the hang-up), so that it can be told from the link's; nil
	// means Logger.
	ModemLogger *slog.Logger
}

func (c Config) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

func (c Config) modemLogger() *slog.Logger {
	if c.ModemLogger != nil {
		return c.ModemLogger
	}
	return c.logger()
}

func (c Config) carrierPoll() time.Duration {
	if c.CarrierPoll > 0 {
		return c.CarrierPoll
	}
	return time.Second
}

func (c Config) session() session.Config {
	v4, v6 := pdpFamilies(c.PDPType)
	return session.Config{
		NoIPv4: !v4, IPv6: v6,
		Role:     session.RoleClient,
		Username: c.Username, Password: c.Password,
		MRU: c.MRU, NoPFC: c.NoPFC, NoACFC: c.NoACFC, FCS32: c.FCS32,
		EchoInterval: c.EchoInterval, EchoFailures: c.EchoFailures, EchoAdaptive: c.EchoAdaptive,
		Restart: c.Restart, MaxConfigure: c.MaxConfigure,
		LineRate: c.LineRate,
		Trace:    c.Trace, Logger: c.Logger,
	}
}

// NetworkConfig configures the network end of a link, as an operator's
// gateway. Zero values take the defaults given.
type NetworkConfig struct {
	// LocalAddr is the gateway's own address; zero means 10.64.64.1.
	LocalAddr netip.Addr
	// PeerAddr is the address given to the client; zero means 10.64.64.2.
	PeerAddr netip.Addr
	// DNS are the DNS servers offered to the client; empty offers none.
	DNS []netip.Addr
	// ExtraAddrs are further IPv4 addresses the network side owns
	// besides LocalAddr, as hosts of the operator's network behind the
	// gateway: its stack accepts packets for them, and Link.DialTCPFrom
	// opens connections from them toward the client. None may be the
	// client's address. Empty (the default) owns LocalAddr alone.
	ExtraAddrs []netip.Addr
	// Auth is the protocol the client must authenticate with:
	// ppp.ProtocolPAP, ppp.ProtocolCHAP, or zero for none.
	Auth ppp.Protocol
	// Secrets maps client names to passwords for Auth.
	Secrets map[string]string
	// MRU, EchoInterval, EchoFailures, Restart, MaxConfigure and FCS32
	// are as in Config.
	MRU          uint16
	EchoInterval time.Duration
	EchoFailures int
	Restart      time.Duration
	MaxConfigure int
	FCS32        bool
	// IPv6, if set, offers IPv6 too: IPv6CP assigning the client its
	// interface identifier, and router advertisements. Nil offers IPv4
	// alone and rejects the client's IPv6CP.
	IPv6 *NetworkIPv6
	// NoIPv4 offers no IPv4: the client's IPCP is rejected, as for an
	// IPV6 PDP context. False (the default) offers it.
	NoIPv4 bool
	// LineRate is the rate, in octets a second, at which the line
	// carries data from the client toward this side, where it is known
	// (a simulator's paced line). With it the network side's TCP
	// connections keep the client's uploads in flight to about what the
	// line carries in a round trip by their receive windows, so that the
	// client's own output queue stays short (see
	// netstack.Config.LineRate). Zero (the default) means unknown, and no
	// such control.
	LineRate int
	// Forward, if set, receives the TCP connections the client opens to
	// addresses and ports where the network side has no listener: it
	// returns the connection to relay each to, or an error to refuse it
	// with a reset. This is how a simulator lets the client reach
	// services on the host (slirp-like). Nil refuses them all.
	Forward func(ctx context.Context, dst netip.AddrPort) (net.Conn, error)
	// Ready, if set, runs once the link's stack exists and before any IP
	// packet reaches it: the place to start the services the client will
	// connect to, so that its first connection finds them listening. An
	// error ends the link.
	Ready func(*Link) error
	// Trace and Logger as in Config.
	Trace  func(sent bool, frame []byte)
	Logger *slog.Logger
}

func (c NetworkConfig) session() session.Config {
	local, peer := c.LocalAddr, c.PeerAddr
	if !local.IsValid() {
		local = netip.MustParseAddr("10.64.64.1")
	}
	if !peer.IsValid() {
		peer = netip.MustParseAddr("10.64.64.2")
	}
	secrets := c.Secrets
	return session.Config{
		Role:        session.RoleNetwork,
		RequireAuth: c.Auth,
		Secret: func(name string) (string, bool) {
			p, ok := secrets[name]
			return p, ok
		},
		MRU: c.MRU, EchoInterval: c.EchoInterval, EchoFailures: c.EchoFailures,
		Restart: c.Restart, MaxConfigure: c.MaxConfigure, FCS32: c.FCS32,
		LocalAddr: local, PeerAddr: peer, DNS: c.DNS,
		NoIPv4: c.NoIPv4, IPv6: c.IPv6 != nil,
		InterfaceID: c.IPv6.localID(), PeerInterfaceID: c.IPv6.peerID(),
		Trace: c.Trace, Logger: c.Logger,
	}
}

package lcp

import (
	"errors"
	"log/slog"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// Errors that end a link, reported through Config.Finished.
var (
	// ErrLoopback: the line returns our own requests (RFC 1661 §6.4),
	// typically a modem still in command mode with echo on.
	ErrLoopback = errors.New("lcp: line is looped back")
	// ErrPeerTerminated: the peer sent Terminate-Request.
	ErrPeerTerminated = errors.New("lcp: terminated by peer")
	// ErrNegotiation: Configure-Requests went unanswered or the peer
	// would not agree (Max-Configure reached).
	ErrNegotiation = errors.New("lcp: negotiation failed")
	// ErrKeepalive: the peer stopped answering Echo-Requests.
	ErrKeepalive = errors.New("lcp: peer not answering echo requests")
	// ErrAuthRefused: the peer requires an authentication method we
	// cannot perform (no credentials), or, as authenticator, the peer
	// refused the one we require.
	ErrAuthRefused = errors.New("lcp: authentication protocol refused")
)

// Negotiated holds the parameters agreed for the link once LCP is Opened.
type Negotiated struct {
	// SendMRU is the largest information field the peer accepts.
	SendMRU uint16
	// RecvMRU is the largest information field we announced.
	RecvMRU uint16
	// SendACCM is the map of control characters we must escape.
	SendACCM uint32
	// SendPFC and SendACFC tell whether we may compress those fields.
	SendPFC, SendACFC bool
	// SendFCS32 tells that the peer asked to receive the 32-bit FCS and
	// RecvFCS32 that it agreed to send it (RFC 1570 §2.1); otherwise that
	// direction keeps the 16-bit FCS. They apply from the Opened state
	// until LCP leaves it, when both directions return to the 16-bit FCS.
	SendFCS32, RecvFCS32 bool
	// AuthSelf is the protocol the peer requires us to authenticate with
	// (0 for none); AuthPeer the one we require of the peer.
	AuthSelf, AuthPeer ppp.Protocol
	// LocalMagic and PeerMagic are the magic numbers (0 if unused).
	LocalMagic, PeerMagic uint32
}

// Config configures an LCP. Zero values take the defaults given.
type Config struct {
	// MRU is the Maximum-Receive-Unit to announce; zero means 1500, which
	// is the default and so is not sent.
	MRU uint16
	// ACCM is the control character map we ask the peer to use; zero asks
	// for no escaping, as pppd does by default.
	ACCM uint32
	// NoPFC and NoACFC refuse Protocol-Field- and
	// Address-and-Control-Field-Compression in both directions.
	NoPFC, NoACFC bool
	// NoMagic disables the Magic-Number option (and loopback detection).
	NoMagic bool
	// FCS32 asks the peer to send the 32-bit FCS, with the
	// FCS-Alternatives option of RFC 1570 §2.1, and accepts the peer's
	// request to receive it. False, the default, neither asks nor
	// accepts: pppd and most modems do not know the option and reject
	// it. A peer's Reject leaves the link on the 16-bit FCS.
	FCS32 bool
	// AuthMethods lists the protocols we can authenticate ourselves with
	// when the peer asks (PAP, CHAP); empty means we refuse to
	// authenticate.
	AuthMethods []ppp.Protocol
	// RequireAuth is the protocol the peer must authenticate with (the
	// network side); zero requires none.
	RequireAuth ppp.Protocol
	// Magic returns random magic numbers; nil uses math/rand/v2.
	Magic func() uint32
	// LoopbackFail is how many times our magic number may come back
	// before the line is declared looped back; zero means 5.
	LoopbackFail int
	// EchoInterval enables the echo keepalive: an Echo-Request every
	// interval while Opened; zero disables it.
	EchoInterval time.Duration
	// EchoFailures is how many unanswered Echo-Requests end the link;
	// zero means 4.
	EchoFailures int
	// EchoAdaptive sends Echo-Requests only when nothing was received
	// during the last interval (pppd lcp-echo-adaptive).
	EchoAdaptive bool
	// Restart, MaxConfigure, MaxTerminate and MaxFailure tune the
	// automaton; see fsm.Config.
	Restart                                time.Duration
	MaxConfigure, MaxTerminate, MaxFailure int

	// Send transmits one LCP packet. The link frames it with the default
	// ACCM and no compression, as RFC 1661 §6.5 and §6.6 require.
	Send func(pkt []byte)
	// NewTimer creates a timer whose function runs on the link's goroutine.
	NewTimer func(f func()) ppp.Timer
	// Up is called when LCP reaches Opened.
	Up func(Negotiated)
	// Down is called when LCP leaves Opened.
	Down func()
	// Finished is called when LCP gives up or terminates, with the reason.
	Finished func(err error)
	// ProtocolRejected is called for a Protocol-Reject from the peer.
	ProtocolRejected func(p ppp.Protocol)
	// Logger receives negotiation events at debug level; nil is silent.
	Logger *slog.Logger
}

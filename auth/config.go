package auth

import (
	"crypto/rand"
	"io"
	"log/slog"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// Defaults for the zero values of Restart and MaxRequests, as pppd's
// pap-restart/chap-restart and pap-max-authreq/chap-max-challenge.
const (
	defaultRestart     = 3 * time.Second
	defaultMaxRequests = 10
)

// ClientConfig configures the side that authenticates itself to the peer.
type ClientConfig struct {
	// Username is the PAP Peer-ID or the CHAP Name. If it is empty, Start
	// reports ErrNoCredentials. It is never logged.
	Username string

	// Password is the PAP Password or the CHAP secret. It may be empty,
	// as many APNs use one. It is never logged.
	Password string

	// Send transmits one packet of this method's protocol. The client
	// does not touch pkt after Send returns. Required.
	Send func(pkt []byte)

	// NewTimer creates the client's timer; f must run on the link's
	// goroutine. It is called once, by the constructor. Required.
	NewTimer func(f func()) ppp.Timer

	// Done reports the outcome: nil once the peer has accepted us, or an
	// error wrapping ErrRejected, ErrTimeout or ErrNoCredentials. It is
	// called at most once, and never after Stop. Nil means no report.
	Done func(err error)

	// Restart is the interval between PAP Authenticate-Requests. A CHAP
	// client waits Restart*MaxRequests in total for the authenticator to
	// finish. Zero means 3 s.
	Restart time.Duration

	// MaxRequests is how many PAP Authenticate-Requests are sent before
	// giving up with ErrTimeout. Zero means 10.
	MaxRequests int

	// Logger receives protocol events. Nil means silent.
	Logger *slog.Logger
}

func (c ClientConfig) withDefaults() ClientConfig {
	c.Restart, c.MaxRequests = timing(c.Restart, c.MaxRequests)
	if c.Done == nil {
		c.Done = func(error) {}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// ServerConfig configures the authenticator.
type ServerConfig struct {
	// Secret returns the password or CHAP secret of the named peer, and
	// false if the peer is unknown. Nil means every peer is unknown.
	Secret func(peerID string) (secret string, ok bool)

	// Name is the authenticator's name sent in CHAP Challenges. It may be
	// empty.
	Name string

	// Send transmits one packet of this method's protocol. The server
	// does not touch pkt after Send returns. Required.
	Send func(pkt []byte)

	// NewTimer creates the server's timer; f must run on the link's
	// goroutine. It is called once, by the constructor. Required.
	NewTimer func(f func()) ppp.Timer

	// Done reports the outcome with the name the peer gave: a nil error
	// once the peer is authenticated, or an error wrapping ErrAuthFailed
	// or ErrTimeout. It is called at most once, and never after Stop.
	// Nil means no report.
	Done func(peerID string, err error)

	// Restart is the CHAP Challenge retransmission interval. A PAP server
	// waits Restart*MaxRequests in total for an Authenticate-Request.
	// Zero means 3 s.
	Restart time.Duration

	// MaxRequests is how many CHAP Challenges are sent before giving up
	// with ErrTimeout. Zero means 10.
	MaxRequests int

	// Rand is the source of CHAP challenges and initial Identifiers. Nil
	// means crypto/rand.
	Rand io.Reader

	// Logger receives protocol events. Nil means silent.
	Logger *slog.Logger
}

func (c ServerConfig) withDefaults() ServerConfig {
	c.Restart, c.MaxRequests = timing(c.Restart, c.MaxRequests)
	if c.Secret == nil {
		c.Secret = func(string) (string, bool) { return "", false }
	}
	if c.Done == nil {
		c.Done = func(string, error) {}
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func timing(restart time.Duration, max int) (time.Duration, int) {
	if restart <= 0 {
		restart = defaultRestart
	}
	if max <= 0 {
		max = defaultMaxRequests
	}
	return restart, max
}

// Client authenticates this end of the link to the peer. All methods must
// be called on the link's goroutine.
type Client interface {
	// Start begins authentication. Later calls do nothing.
	Start()
	// Input handles the information field of one received packet of
	// this method's protocol. Malformed and unexpected packets are
	// dropped.
	Input(pkt []byte)
	// Stop cancels the timer; nothing is sent or reported afterwards.
	Stop()
}

// Server authenticates the peer. All methods must be called on the link's
// goroutine.
type Server interface {
	// Start begins authentication. Later calls do nothing.
	Start()
	// Input handles the information field of one received packet of
	// this method's protocol. Malformed and unexpected packets are
	// dropped.
	Input(pkt []byte)
	// Stop cancels the timer; nothing is sent or reported afterwards.
	Stop()
}

package auth

import (
	"fmt"

	"github.com/gprsppp/gprsppp/ppp"
)

// papClient sends Authenticate-Requests until the authenticator answers
// (RFC 1334 §2.1), changing the Identifier on every transmission as
// §2.2.1 requires, and accepts only the reply to the latest one.
type papClient struct {
	machine
	cfg   ClientConfig
	timer ppp.Timer
	id    uint8 // Identifier of the latest request
	sent  int   // requests sent so far
}

// NewPAPClient returns a client that authenticates with PAP.
func NewPAPClient(cfg ClientConfig) Client {
	cfg = cfg.withDefaults()
	c := &papClient{
		machine: machine{log: cfg.Logger.With("protocol", "PAP", "role", "client")},
		cfg:     cfg,
	}
	c.timer = cfg.NewTimer(c.timeout)
	return c
}

func (c *papClient) Start() {
	if c.state != stateInitial {
		return
	}
	if c.cfg.Username == "" {
		c.fail("Start", fmt.Errorf("%w for PAP", ErrNoCredentials))
		return
	}
	if len(c.cfg.Username) > 0xff || len(c.cfg.Password) > 0xff {
		c.fail("Start", fmt.Errorf("auth: PAP username of %d or password of %d octets: %w",
			len(c.cfg.Username), len(c.cfg.Password), errFieldLength))
		return
	}
	c.enter(stateAuthenticating, "Start")
	c.transmit()
}

// transmit sends a new Authenticate-Request. State is settled before Send,
// which may deliver the reply before it returns.
func (c *papClient) transmit() {
	c.id++
	c.sent++
	req := AuthenticateRequest{Identifier: c.id, PeerID: []byte(c.cfg.Username), Password: []byte(c.cfg.Password)}
	pkt, err := req.MarshalBinary() // lengths were checked by Start
	if err != nil {
		c.fail("marshal", err)
		return
	}
	c.timer.Reset(c.cfg.Restart)
	c.log.Debug("sending Authenticate-Request", "id", c.id, "attempt", c.sent)
	c.cfg.Send(pkt)
}

func (c *papClient) timeout() {
	if c.state != stateAuthenticating {
		return
	}
	if c.sent >= c.cfg.MaxRequests {
		c.fail("timeout", fmt.Errorf("%w after %d PAP Authenticate-Requests", ErrTimeout, c.sent))
		return
	}
	c.transmit()
}

func (c *papClient) Input(pkt []byte) {
	if c.state != stateAuthenticating {
		c.drop("not authenticating", nil)
		return
	}
	var r AuthenticateReply
	if err := r.UnmarshalBinary(pkt); err != nil {
		c.drop("malformed", err)
		return
	}
	if r.Identifier != c.id {
		c.log.Debug("dropped packet", "reason", "identifier mismatch", "code", r.Code, "id", r.Identifier, "want", c.id)
		return
	}
	c.timer.Stop()
	msg := sanitize(r.Message)
	if r.Code == CodeAuthenticateNak {
		c.log.Info("peer rejected credentials", "message", msg)
		c.fail("Authenticate-Nak", fmt.Errorf("%w: PAP Authenticate-Nak %q", ErrRejected, msg))
		return
	}
	c.log.Info("authenticated", "message", msg)
	c.enter(stateSucceeded, "Authenticate-Ack")
	c.cfg.Done(nil)
}

func (c *papClient) Stop() {
	c.timer.Stop()
	if c.state != stateStopped {
		c.enter(stateStopped, "Stop")
	}
}

func (c *papClient) fail(event string, err error) {
	c.timer.Stop()
	c.enter(stateFailed, event)
	c.cfg.Done(err)
}

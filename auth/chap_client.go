package auth

import (
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// chapClient answers Challenges (RFC 1994 §4.1) with MD5 responses. It does
// not retransmit: the authenticator does, and every Challenge, including a
// retransmitted one or a rechallenge after Success, gets a Response.
type chapClient struct {
	machine
	cfg      ClientConfig
	timer    ppp.Timer
	id       uint8 // Identifier of the latest Response
	answered bool  // a Response has been sent
}

// NewCHAPClient returns a client that authenticates with CHAP using MD5
// (algorithm 5). The link must have negotiated that algorithm in LCP.
func NewCHAPClient(cfg ClientConfig) Client {
	cfg = cfg.withDefaults()
	c := &chapClient{
		machine: machine{log: cfg.Logger.With("protocol", "CHAP", "role", "client")},
		cfg:     cfg,
	}
	c.timer = cfg.NewTimer(c.timeout)
	return c
}

func (c *chapClient) Start() {
	if c.state != stateInitial {
		return
	}
	if c.cfg.Username == "" {
		c.fail("Start", fmt.Errorf("%w for CHAP", ErrNoCredentials))
		return
	}
	c.enter(stateAuthenticating, "Start")
	c.timer.Reset(c.cfg.Restart * time.Duration(c.cfg.MaxRequests))
}

func (c *chapClient) timeout() {
	if c.state != stateAuthenticating {
		return
	}
	c.fail("timeout", fmt.Errorf("%w: CHAP not finished in %v", ErrTimeout,
		c.cfg.Restart*time.Duration(c.cfg.MaxRequests)))
}

func (c *chapClient) Input(pkt []byte) {
	if !c.active() {
		c.drop("not authenticating", nil)
		return
	}
	if len(pkt) == 0 {
		c.drop("empty", nil)
		return
	}
	switch CHAPCode(pkt[0]) {
	case CodeChallenge:
		c.challenge(pkt)
	case CodeSuccess, CodeFailure:
		c.result(pkt)
	default:
		c.log.Debug("dropped packet", "reason", "unexpected code", "code", CHAPCode(pkt[0]))
	}
}

func (c *chapClient) challenge(pkt []byte) {
	var ch Challenge
	if err := ch.UnmarshalBinary(pkt); err != nil {
		c.drop("malformed", err)
		return
	}
	resp := Challenge{
		Code:       CodeResponse,
		Identifier: ch.Identifier,
		Value:      MD5Response(ch.Identifier, []byte(c.cfg.Password), ch.Value),
		Name:       []byte(c.cfg.Username),
	}
	out, err := resp.MarshalBinary()
	if err != nil { // a username too long for one packet
		c.fail("marshal", fmt.Errorf("auth: CHAP username of %d octets: %w", len(c.cfg.Username), errFieldLength))
		return
	}
	c.id, c.answered = ch.Identifier, true
	c.log.Debug("answering Challenge", "id", ch.Identifier, "peer", sanitize(ch.Name))
	c.cfg.Send(out)
}

func (c *chapClient) result(pkt []byte) {
	var r Result
	if err := r.UnmarshalBinary(pkt); err != nil {
		c.drop("malformed", err)
		return
	}
	if !c.answered || r.Identifier != c.id {
		c.log.Debug("dropped packet", "reason", "identifier mismatch", "code", r.Code, "id", r.Identifier)
		return
	}
	msg := sanitize(r.Message)
	switch {
	case r.Code == CodeSuccess && c.state == stateSucceeded:
		c.log.Debug("repeated Success", "id", r.Identifier)
	case r.Code == CodeSuccess:
		c.log.Info("authenticated", "message", msg)
		c.timer.Stop()
		c.enter(stateSucceeded, "Success")
		c.cfg.Done(nil)
	case c.state == stateSucceeded:
		// A rechallenge failed. Done has been called; the authenticator
		// terminates the link (RFC 1994 §4.2).
		c.log.Info("peer rejected rechallenge response", "message", msg)
		c.enter(stateFailed, "Failure")
	default:
		c.log.Info("peer rejected credentials", "message", msg)
		c.fail("Failure", fmt.Errorf("%w: CHAP Failure %q", ErrRejected, msg))
	}
}

func (c *chapClient) Stop() {
	c.timer.Stop()
	if c.state != stateStopped {
		c.enter(stateStopped, "Stop")
	}
}

func (c *chapClient) fail(event string, err error) {
	c.timer.Stop()
	c.enter(stateFailed, event)
	c.cfg.Done(err)
}

package auth

import (
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/gprsppp/gprsppp/ppp"
)

// challengeLen is the size of the challenges we send.
const challengeLen = 16

// CHAP result messages, as pppd sends them.
var (
	chapSuccessMessage = []byte("Access granted")
	chapFailureMessage = []byte("Access denied")
)

// chapServer challenges the peer and checks its Response (RFC 1994 §4.1).
// It retransmits the same Challenge, Identifier included, until a Response
// arrives, and repeats its Success for a retransmitted Response.
type chapServer struct {
	machine
	cfg       ServerConfig
	timer     ppp.Timer
	id        uint8
	challenge []byte // Value of the outstanding Challenge
	pkt       []byte // the encoded Challenge, for retransmission
	sent      int    // Challenges sent so far
	success   []byte // the encoded Success, for repeats
}

// NewCHAPServer returns an authenticator that challenges the peer with
// CHAP using MD5 and checks the response against cfg.Secret.
func NewCHAPServer(cfg ServerConfig) Server {
	cfg = cfg.withDefaults()
	s := &chapServer{
		machine: machine{log: cfg.Logger.With("protocol", "CHAP", "role", "server")},
		cfg:     cfg,
	}
	s.timer = cfg.NewTimer(s.timeout)
	return s
}

func (s *chapServer) Start() {
	if s.state != stateInitial {
		return
	}
	buf := make([]byte, 1+challengeLen)
	if _, err := io.ReadFull(s.cfg.Rand, buf); err != nil {
		s.fail("Start", "", fmt.Errorf("auth: CHAP challenge: %w", err))
		return
	}
	s.id, s.challenge = buf[0], buf[1:]
	ch := Challenge{Code: CodeChallenge, Identifier: s.id, Value: s.challenge, Name: []byte(s.cfg.Name)}
	pkt, err := ch.MarshalBinary()
	if err != nil {
		s.fail("Start", "", err)
		return
	}
	s.pkt = pkt
	s.enter(stateAuthenticating, "Start")
	s.transmit()
}

// transmit sends the Challenge. State is settled before Send, which may
// deliver the Response before it returns.
func (s *chapServer) transmit() {
	s.sent++
	s.timer.Reset(s.cfg.Restart)
	s.log.Debug("sending Challenge", "id", s.id, "attempt", s.sent)
	s.cfg.Send(s.pkt)
}

func (s *chapServer) timeout() {
	if s.state != stateAuthenticating {
		return
	}
	if s.sent >= s.cfg.MaxRequests {
		s.fail("timeout", "", fmt.Errorf("%w after %d CHAP Challenges", ErrTimeout, s.sent))
		return
	}
	s.transmit()
}

func (s *chapServer) Input(pkt []byte) {
	if !s.active() {
		s.drop("not authenticating", nil)
		return
	}
	var resp Challenge
	if err := resp.UnmarshalBinary(pkt); err != nil {
		s.drop("malformed", err)
		return
	}
	if resp.Code != CodeResponse {
		s.drop("unexpected Challenge", nil)
		return
	}
	if resp.Identifier != s.id {
		s.log.Debug("dropped packet", "reason", "identifier mismatch", "id", resp.Identifier, "want", s.id)
		return
	}
	if s.state == stateSucceeded {
		s.log.Debug("repeating Success", "id", s.id)
		s.cfg.Send(s.success)
		return
	}
	s.verify(resp)
}

// verify checks a Response to the outstanding Challenge and answers it.
func (s *chapServer) verify(resp Challenge) {
	s.timer.Stop()
	peerID := string(resp.Name)
	log := s.log.With("peer", sanitize(resp.Name), "id", resp.Identifier)
	secret, known := s.cfg.Secret(peerID)
	want := MD5Response(s.id, []byte(secret), s.challenge)
	if known && subtle.ConstantTimeCompare(want, resp.Value) == 1 {
		log.Info("peer authenticated")
		s.success = s.result(CodeSuccess, chapSuccessMessage)
		s.enter(stateSucceeded, "good Response")
		s.cfg.Send(s.success)
		s.done(peerID, nil)
		return
	}
	reason := "wrong response"
	if !known {
		reason = "unknown peer"
	}
	log.Info("peer failed authentication", "reason", reason)
	s.enter(stateFailed, "bad Response")
	s.cfg.Send(s.result(CodeFailure, chapFailureMessage))
	s.done(peerID, fmt.Errorf("%w: CHAP: %s", ErrAuthFailed, reason))
}

func (s *chapServer) result(code CHAPCode, msg []byte) []byte {
	pkt, _ := Result{Code: code, Identifier: s.id, Message: msg}.MarshalBinary() // ours: cannot fail
	return pkt
}

func (s *chapServer) Stop() {
	s.timer.Stop()
	if s.state != stateStopped {
		s.enter(stateStopped, "Stop")
	}
}

func (s *chapServer) fail(event, peerID string, err error) {
	s.timer.Stop()
	s.enter(stateFailed, event)
	s.cfg.Done(peerID, err)
}

// done reports the verdict unless the reply's Send led to Stop.
func (s *chapServer) done(peerID string, err error) {
	if s.state != stateStopped {
		s.cfg.Done(peerID, err)
	}
}

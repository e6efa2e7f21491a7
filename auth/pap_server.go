package auth

import (
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// PAP reply messages, as pppd sends them.
var (
	papAckMessage = []byte("Login ok")
	papNakMessage = []byte("Login incorrect")
)

// papServer waits for an Authenticate-Request and answers it (RFC 1334
// §2.1). After an Ack it acks retransmissions of the same credentials,
// since the peer may have lost the first Ack.
type papServer struct {
	machine
	cfg    ServerConfig
	timer  ppp.Timer
	peerID string // the authenticated peer
}

// NewPAPServer returns an authenticator that checks PAP credentials
// against cfg.Secret.
func NewPAPServer(cfg ServerConfig) Server {
	cfg = cfg.withDefaults()
	s := &papServer{
		machine: machine{log: cfg.Logger.With("protocol", "PAP", "role", "server")},
		cfg:     cfg,
	}
	s.timer = cfg.NewTimer(s.timeout)
	return s
}

func (s *papServer) Start() {
	if s.state != stateInitial {
		return
	}
	s.enter(stateAuthenticating, "Start")
	s.timer.Reset(s.cfg.Restart * time.Duration(s.cfg.MaxRequests))
}

func (s *papServer) timeout() {
	if s.state != stateAuthenticating {
		return
	}
	s.enter(stateFailed, "timeout")
	s.cfg.Done("", fmt.Errorf("%w: no PAP Authenticate-Request in %v", ErrTimeout,
		s.cfg.Restart*time.Duration(s.cfg.MaxRequests)))
}

func (s *papServer) Input(pkt []byte) {
	if !s.active() {
		s.drop("not authenticating", nil)
		return
	}
	var req AuthenticateRequest
	if err := req.UnmarshalBinary(pkt); err != nil {
		s.drop("malformed", err)
		return
	}
	peerID := string(req.PeerID)
	known, ok := s.verify(peerID, req.Password)
	if s.state == stateSucceeded {
		if !ok || peerID != s.peerID {
			s.log.Debug("dropped packet", "reason", "new credentials after success", "id", req.Identifier)
			return
		}
		s.log.Debug("repeating Authenticate-Ack", "id", req.Identifier)
		s.reply(CodeAuthenticateAck, req.Identifier)
		return
	}
	s.timer.Stop()
	log := s.log.With("peer", sanitize(req.PeerID), "id", req.Identifier)
	if ok {
		log.Info("peer authenticated")
		s.peerID = peerID
		s.enter(stateSucceeded, "good Authenticate-Request")
		s.reply(CodeAuthenticateAck, req.Identifier)
		s.done(peerID, nil)
		return
	}
	reason := "wrong password"
	if !known {
		reason = "unknown peer"
	}
	log.Info("peer failed authentication", "reason", reason)
	s.enter(stateFailed, "bad Authenticate-Request")
	s.reply(CodeAuthenticateNak, req.Identifier)
	s.done(peerID, fmt.Errorf("%w: PAP: %s", ErrAuthFailed, reason))
}

// verify reports whether the peer is known and whether its password is
// right, comparing in constant time.
func (s *papServer) verify(peerID string, password []byte) (known, ok bool) {
	secret, known := s.cfg.Secret(peerID)
	if !known {
		return false, false
	}
	return true, subtle.ConstantTimeCompare([]byte(secret), password) == 1
}

func (s *papServer) reply(code PAPCode, id uint8) {
	msg := papAckMessage
	if code == CodeAuthenticateNak {
		msg = papNakMessage
	}
	pkt, err := AuthenticateReply{Code: code, Identifier: id, Message: msg}.MarshalBinary()
	if err != nil { // cannot happen: the code and message are ours
		s.log.Error("marshal reply", "err", err)
		return
	}
	s.cfg.Send(pkt)
}

// done reports the verdict unless the reply's Send led to Stop.
func (s *papServer) done(peerID string, err error) {
	if s.state != stateStopped {
		s.cfg.Done(peerID, err)
	}
}

func (s *papServer) Stop() {
	s.timer.Stop()
	if s.state != stateStopped {
		s.enter(stateStopped, "Stop")
	}
}

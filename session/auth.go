package session

import (
	"github.com/gprsppp/gprsppp/auth"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
)

// authState runs the Authenticate phase: at most one exchange in each
// direction, counted by pending.
type authState struct {
	self      auth.Client // we authenticate ourselves
	selfProto ppp.Protocol
	peer      auth.Server // we authenticate the peer
	peerProto ppp.Protocol
	pending   int
}

// start begins the exchanges LCP agreed on.
func (a *authState) start(s *Session, ng lcp.Negotiated) {
	*a = authState{}
	if p := ng.AuthSelf; p != 0 {
		cfg := auth.ClientConfig{
			Username: s.cfg.Username, Password: s.cfg.Password,
			Send: s.sendFunc(p), NewTimer: s.timerFunc(),
			Done: s.authDone, Restart: s.cfg.Restart, Logger: s.cfg.Logger,
		}
		newClient := auth.NewPAPClient
		if p == ppp.ProtocolCHAP {
			newClient = auth.NewCHAPClient
		}
		a.self, a.selfProto = newClient(cfg), p
		a.pending++
	}
	if p := ng.AuthPeer; p != 0 {
		cfg := auth.ServerConfig{
			Secret: s.cfg.Secret, Name: s.cfg.AuthName,
			Send: s.sendFunc(p), NewTimer: s.timerFunc(),
			Done:    func(name string, err error) { s.peerAuthDone(name, err) },
			Restart: s.cfg.Restart, Logger: s.cfg.Logger,
		}
		newServer := auth.NewPAPServer
		if p == ppp.ProtocolCHAP {
			newServer = auth.NewCHAPServer
		}
		a.peer, a.peerProto = newServer(cfg), p
		a.pending++
	}
	if a.self != nil {
		a.self.Start()
	}
	if a.peer != nil {
		a.peer.Start()
	}
}

// input routes a PAP or CHAP packet to the exchange of that protocol.
// A node plays one role, so the protocol alone tells which.
func (a *authState) input(p ppp.Protocol, pkt []byte) {
	switch {
	case a.self != nil && p == a.selfProto:
		a.self.Input(pkt)
	case a.peer != nil && p == a.peerProto:
		a.peer.Input(pkt)
	}
}

func (a *authState) stop() {
	if a.self != nil {
		a.self.Stop()
	}
	if a.peer != nil {
		a.peer.Stop()
	}
}

func (s *Session) peerAuthDone(name string, err error) {
	if err == nil {
		s.cfg.Logger.Info("peer authenticated", "name", name)
	}
	s.authDone(err)
}

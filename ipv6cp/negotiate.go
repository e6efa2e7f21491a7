package ipv6cp

import (
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// negotiation holds IPv6CP's option state: want is the identifier we
// propose (and, once acknowledged, the one we got), asking whether we
// still send it, his the peer's acknowledged identifier. It implements
// fsm.Callbacks.
type negotiation struct {
	cfg    *Config
	p      *IPv6CP
	want   InterfaceIdentifier
	asking bool
	his    InterfaceIdentifier
}

func (n *negotiation) reset() {
	n.want = n.cfg.LocalID
	if n.want == 0 {
		n.want = n.fresh(0)
	}
	n.asking = true
	n.his = 0
}

// fresh returns a random identifier that is neither zero nor avoid.
func (n *negotiation) fresh(avoid InterfaceIdentifier) InterfaceIdentifier {
	for {
		if id := InterfaceIdentifier(n.cfg.Random()); id != 0 && id != avoid {
			return id
		}
	}
}

// AppendRequest implements fsm.Callbacks.
func (n *negotiation) AppendRequest(b []byte) []byte {
	if !n.asking {
		return b
	}
	return AppendOptions(b, n.want)
}

// ReceiveAck implements fsm.Callbacks.
func (n *negotiation) ReceiveAck([]byte) bool { return true }

// ReceiveNak implements fsm.Callbacks: adopt the identifier the peer
// suggests (RFC 5072 §4.1), unless it is zero or the peer's own, when a
// fresh one is proposed instead.
func (n *negotiation) ReceiveNak(b []byte) bool {
	opts, err := ParseOptions(b)
	if err != nil {
		return false
	}
	for _, o := range opts {
		id, ok := o.(InterfaceIdentifier)
		if !ok {
			continue
		}
		if id == 0 || (id == n.his && n.his != 0) {
			id = n.fresh(n.his)
		}
		n.cfg.Logger.Debug("ipv6cp: peer suggests our identifier", "old", n.want, "new", id)
		n.want = id
		n.asking = true
	}
	return true
}

// ReceiveReject implements fsm.Callbacks: stop proposing an identifier;
// ours stays our link-local address.
func (n *negotiation) ReceiveReject(b []byte) bool {
	opts, err := ParseOptions(b)
	if err != nil {
		return false
	}
	for _, o := range opts {
		if o.Type() != TypeInterfaceIdentifier || !n.asking {
			return false
		}
	}
	n.asking = false
	return true
}

// ReceiveRequest implements fsm.Callbacks.
func (n *negotiation) ReceiveRequest(b, reply []byte, rejectOnly bool) (fsm.Code, []byte) {
	raw, err := fsm.ParseOptions(b)
	if err != nil {
		return fsm.ConfigureReject, append(reply, b...)
	}
	var naks, rejs []byte
	sawID := false
	n.his = 0
	for _, r := range raw {
		o := decodeOption(OptionType(r.Type), r.Data)
		id, isID := o.(InterfaceIdentifier)
		if !isID {
			rejs = r.Append(rejs) // compression and unknown options
			continue
		}
		sawID = true
		suggest, ok := n.checkPeer(id)
		switch {
		case ok:
			n.his = id
		case suggest != 0 && !rejectOnly:
			naks = AppendOptions(naks, suggest)
		default:
			rejs = r.Append(rejs)
		}
	}
	// A peer that proposes no identifier is given the one configured
	// for it, as pppd does (RFC 5072 §4.1 lets a Nak carry it).
	if !sawID && n.cfg.PeerID != 0 && !rejectOnly && len(rejs) == 0 {
		naks = AppendOptions(naks, n.cfg.PeerID)
	}
	switch {
	case len(rejs) > 0:
		return fsm.ConfigureReject, append(reply, rejs...)
	case len(naks) > 0:
		return fsm.ConfigureNak, append(reply, naks...)
	}
	return fsm.ConfigureAck, append(reply, b...)
}

// checkPeer judges the peer's identifier: ok accepts it; a non-zero
// suggestion naks it; neither rejects it.
func (n *negotiation) checkPeer(id InterfaceIdentifier) (suggest InterfaceIdentifier, ok bool) {
	assigned := n.cfg.PeerID
	switch {
	case assigned != 0 && id != assigned:
		return assigned, false
	case assigned != 0:
		return 0, true
	case id == 0 && !n.asking:
		// Both without an identifier: nothing to agree on (RFC 5072 §4.1).
		return 0, false
	case id == 0:
		return n.fresh(n.want), false
	case id == n.want:
		// A collision (RFC 5072 §4.1): suggest the peer a different
		// identifier and, unless ours is configured, change ours too.
		if n.cfg.LocalID == 0 {
			n.want = n.fresh(id)
		}
		return n.fresh(n.want), false
	}
	return 0, true
}

// Up implements fsm.Callbacks (tlu).
func (n *negotiation) Up() { n.p.up() }

// Down implements fsm.Callbacks (tld).
func (n *negotiation) Down() { n.p.down() }

// Started implements fsm.Callbacks (tls).
func (n *negotiation) Started() {}

// Finished implements fsm.Callbacks (tlf).
func (n *negotiation) Finished() { n.p.finished() }

// ReceiveOther implements fsm.Callbacks: IPv6CP has no codes beyond 7.
func (n *negotiation) ReceiveOther(fsm.Code, uint8, []byte) bool { return false }

// CodeRejectFatal implements fsm.Callbacks: IPv6CP sends no codes beyond
// 7, so a reject of any other code names one it can do without.
func (n *negotiation) CodeRejectFatal(fsm.Code) bool { return false }

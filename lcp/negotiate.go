package lcp

import (
	"maps"
	"slices"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// options is one side's set of LCP options; neg marks those in use.
type options struct {
	mru   uint16
	accm  uint32
	auth  ppp.Protocol
	magic uint32
	pfc   bool
	acfc  bool
	fcs   FCSAlternatives
	neg   map[OptionType]bool
}

func (o options) clone() options {
	o.neg = maps.Clone(o.neg)
	return o
}

// verdict is what checkPeer decides about one option of the peer's
// request: accept it, nak it with a suggestion, or reject it.
type verdict struct {
	code    fsm.Code
	suggest Option
}

var ack = verdict{code: fsm.ConfigureAck}
var reject = verdict{code: fsm.ConfigureReject}

func nak(o Option) verdict { return verdict{code: fsm.ConfigureNak, suggest: o} }

// optionInfo is the per-option behaviour (RFC 1661 §6): add appends our
// request, onNak and onReject adjust what we want, checkPeer judges the
// peer's value and records it in his.
type optionInfo struct {
	add       func(n *negotiation) Option
	onNak     func(n *negotiation, o Option)
	onReject  func(n *negotiation)
	checkPeer func(n *negotiation, o Option) verdict
}

// optionOrder lists the options we understand, in the order we send them.
var optionOrder = []OptionType{TypeMRU, TypeACCM, TypeAuthenticationProtocol, TypeMagicNumber, TypePFC, TypeACFC,
	TypeFCSAlternatives}

// optionTable holds each option's behaviour.
var optionTable = map[OptionType]optionInfo{
	TypeMRU: {
		add: func(n *negotiation) Option { return MRU(n.want.mru) },
		// Take a smaller MRU the peer suggests, never one above what we
		// can receive.
		onNak: func(n *negotiation, o Option) {
			n.want.mru = min(max(uint16(o.(MRU)), minMRU), max(n.cfg.MRU, defaultMRU))
		},
		checkPeer: func(n *negotiation, o Option) verdict {
			if uint16(o.(MRU)) < minMRU {
				return nak(MRU(minMRU))
			}
			n.his.mru = uint16(o.(MRU))
			return ack
		},
	},
	TypeACCM: {
		add:   func(n *negotiation) Option { return ACCM(n.want.accm) },
		onNak: func(n *negotiation, o Option) { n.want.accm |= uint32(o.(ACCM)) },
		onReject: func(n *negotiation) {
			n.want.accm = 0xffffffff
		},
		checkPeer: func(n *negotiation, o Option) verdict {
			n.his.accm = uint32(o.(ACCM))
			return ack
		},
	},
	TypeAuthenticationProtocol: {
		add:       func(n *negotiation) Option { return authOption(n.want.auth) },
		onNak:     func(n *negotiation, o Option) {}, // we insist; the peer gives up or complies
		checkPeer: (*negotiation).checkAuth,
	},
	TypeMagicNumber: {
		add: func(n *negotiation) Option { return MagicNumber(n.want.magic) },
		onNak: func(n *negotiation, o Option) {
			n.loops++
			n.want.magic = n.newMagic()
		},
		checkPeer: func(n *negotiation, o Option) verdict {
			m := uint32(o.(MagicNumber))
			if m == 0 {
				return nak(MagicNumber(n.newMagic())) // RFC 1661 §6.4: zero is not a magic number
			}
			if n.want.neg[TypeMagicNumber] && m == n.want.magic {
				n.loops++
				return nak(MagicNumber(n.newMagic()))
			}
			n.his.magic = m
			return ack
		},
	},
	TypePFC: {
		add: func(n *negotiation) Option { return PFC{} },
		checkPeer: func(n *negotiation, o Option) verdict {
			if n.cfg.NoPFC {
				return reject
			}
			n.his.pfc = true
			return ack
		},
	},
	TypeACFC: {
		add: func(n *negotiation) Option { return ACFC{} },
		checkPeer: func(n *negotiation, o Option) verdict {
			if n.cfg.NoACFC {
				return reject
			}
			n.his.acfc = true
			return ack
		},
	},
	TypeFCSAlternatives: {
		add: func(n *negotiation) Option { return n.want.fcs },
		// Keep asking for what the peer also offers; once nothing is
		// left, stop asking, which leaves the 16-bit FCS. A Reject
		// does the same through want.neg.
		onNak: func(n *negotiation, o Option) {
			if n.want.fcs &= o.(FCSAlternatives); n.want.fcs == 0 {
				n.want.neg[TypeFCSAlternatives] = false
			}
		},
		checkPeer: (*negotiation).checkFCS,
	},
}

const (
	defaultMRU = 1500
	minMRU     = 128
)

func authOption(p ppp.Protocol) Option {
	if p == ppp.ProtocolCHAP {
		return AuthenticationProtocol{Protocol: p, Data: []byte{CHAPMD5}}
	}
	return AuthenticationProtocol{Protocol: p}
}

// checkAuth accepts an authentication protocol we can perform: PAP, or
// CHAP with MD5. Anything else is naked with the best one we have, and
// without credentials the option is rejected (RFC 1661 §6.2).
func (n *negotiation) checkAuth(o Option) verdict {
	a := o.(AuthenticationProtocol)
	methods := n.cfg.AuthMethods
	if len(methods) == 0 {
		n.authRefused = true
		return reject
	}
	switch {
	case a.Protocol == ppp.ProtocolPAP && len(a.Data) == 0 && slices.Contains(methods, ppp.ProtocolPAP),
		a.Protocol == ppp.ProtocolCHAP && string(a.Data) == string([]byte{CHAPMD5}) && slices.Contains(methods, ppp.ProtocolCHAP):
		n.his.auth = a.Protocol
		return ack
	case slices.Contains(methods, ppp.ProtocolCHAP):
		return nak(authOption(ppp.ProtocolCHAP))
	default:
		return nak(authOption(methods[0]))
	}
}

// checkFCS judges the peer's FCS-Alternatives (RFC 1570 §2.1), which
// lists the FCSs it can receive: a list of the 16-bit or 32-bit FCS, or
// both, is acknowledged, and we send the 32-bit one if it is there. We
// never omit the FCS, so a list with the Null FCS, or with bits we do
// not know, is naked with what it has that we can send, or with both if
// it has neither. Unless Config.FCS32 allows it, the option is rejected
// as it was before this package knew it.
func (n *negotiation) checkFCS(o Option) verdict {
	const can = FCS16Bit | FCS32Bit
	f := o.(FCSAlternatives)
	switch {
	case !n.cfg.FCS32:
		return reject
	case f&can == 0:
		return nak(can)
	case f&^can != 0:
		return nak(f & can)
	}
	n.his.fcs = f
	return ack
}

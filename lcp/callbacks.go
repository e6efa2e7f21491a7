package lcp

import (
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// negotiation holds LCP's option state, after pppd: want is what we ask
// for, got what the peer acknowledged, his what we acknowledged of the
// peer's request. It implements fsm.Callbacks.
type negotiation struct {
	cfg         *Config
	lcp         *LCP
	want, got   options
	his         options
	loops       int  // times our magic number came back
	authRefused bool // an authentication requirement could not be met
}

func (n *negotiation) newMagic() uint32 {
	for {
		if m := n.cfg.Magic(); m != 0 {
			return m
		}
	}
}

// reset prepares a fresh negotiation (RFC 1661 §4.6, on Up or restart).
func (n *negotiation) reset() {
	c := n.cfg
	n.want = options{mru: defaultMRU, accm: c.ACCM, auth: c.RequireAuth, neg: map[OptionType]bool{}}
	n.want.neg[TypeMRU] = c.MRU != 0 && c.MRU != defaultMRU
	if n.want.neg[TypeMRU] {
		n.want.mru = c.MRU
	}
	n.want.neg[TypeACCM] = true
	n.want.neg[TypeAuthenticationProtocol] = c.RequireAuth != 0
	n.want.neg[TypeMagicNumber] = !c.NoMagic
	n.want.magic = n.newMagic()
	n.want.neg[TypePFC] = !c.NoPFC
	n.want.neg[TypeACFC] = !c.NoACFC
	n.want.fcs = FCS32Bit
	n.want.neg[TypeFCSAlternatives] = c.FCS32
	n.loops = 0
	n.authRefused = false
}

// AppendRequest implements fsm.Callbacks.
func (n *negotiation) AppendRequest(b []byte) []byte {
	for _, t := range optionOrder {
		if n.want.neg[t] {
			b = AppendOptions(b, optionTable[t].add(n))
		}
	}
	return b
}

// ReceiveAck implements fsm.Callbacks.
func (n *negotiation) ReceiveAck([]byte) bool {
	n.got = n.want.clone()
	return true
}

// ReceiveNak implements fsm.Callbacks.
func (n *negotiation) ReceiveNak(b []byte) bool {
	opts, err := ParseOptions(b)
	if err != nil {
		return false
	}
	for _, o := range opts {
		info, known := optionTable[o.Type()]
		if _, raw := o.(RawOption); raw || !known || !n.want.neg[o.Type()] {
			continue // a suggestion for an option we did not ask for
		}
		if info.onNak != nil {
			info.onNak(n, o)
		}
	}
	n.checkLoopback()
	return true
}

// ReceiveReject implements fsm.Callbacks.
func (n *negotiation) ReceiveReject(b []byte) bool {
	opts, err := ParseOptions(b)
	if err != nil {
		return false
	}
	for _, o := range opts {
		if !n.want.neg[o.Type()] {
			return false // rejects what we did not ask for
		}
	}
	for _, o := range opts {
		if o.Type() == TypeAuthenticationProtocol && n.cfg.RequireAuth != 0 {
			// The peer refuses to authenticate: no new request, the
			// link ends.
			n.authRefused = true
			n.lcp.fail(ErrAuthRefused)
			return false
		}
	}
	for _, o := range opts {
		n.want.neg[o.Type()] = false
		if f := optionTable[o.Type()].onReject; f != nil {
			f(n)
		}
	}
	return true
}

// ReceiveRequest implements fsm.Callbacks.
func (n *negotiation) ReceiveRequest(b, reply []byte, rejectOnly bool) (fsm.Code, []byte) {
	raw, err := fsm.ParseOptions(b)
	if err != nil {
		return fsm.ConfigureReject, append(reply, b...)
	}
	n.his = options{mru: defaultMRU, accm: 0xffffffff, neg: map[OptionType]bool{}}
	code := fsm.ConfigureAck
	var naks, rejs []byte
	for _, r := range raw {
		t := OptionType(r.Type)
		o := decodeOption(t, r.Data)
		v := reject
		if _, isRaw := o.(RawOption); !isRaw {
			if info, ok := optionTable[t]; ok {
				v = info.checkPeer(n, o)
			}
		}
		if v.code == fsm.ConfigureNak && rejectOnly {
			v = reject
		}
		switch v.code {
		case fsm.ConfigureAck:
			n.his.neg[t] = true
		case fsm.ConfigureNak:
			naks = AppendOptions(naks, v.suggest)
		case fsm.ConfigureReject:
			rejs = r.Append(rejs)
		}
	}
	n.checkLoopback()
	switch {
	case len(rejs) > 0:
		code, reply = fsm.ConfigureReject, append(reply, rejs...)
	case len(naks) > 0:
		code, reply = fsm.ConfigureNak, append(reply, naks...)
	default:
		reply = append(reply, b...)
	}
	return code, reply
}

// checkLoopback ends the link once our magic number has come back
// LoopbackFail times (RFC 1661 §6.4): a looped-back line must not
// become an endless Nak loop.
func (n *negotiation) checkLoopback() {
	if n.loops >= n.cfg.LoopbackFail {
		n.lcp.fail(ErrLoopback)
	}
}

// Up implements fsm.Callbacks (tlu).
func (n *negotiation) Up() { n.lcp.up() }

// Down implements fsm.Callbacks (tld).
func (n *negotiation) Down() { n.lcp.down() }

// Started implements fsm.Callbacks (tls); the line is already up.
func (n *negotiation) Started() {}

// Finished implements fsm.Callbacks (tlf).
func (n *negotiation) Finished() { n.lcp.finished() }

// ReceiveOther implements fsm.Callbacks for codes 8 to 11.
func (n *negotiation) ReceiveOther(code fsm.Code, id uint8, data []byte) bool {
	return n.lcp.receiveOther(code, id, data)
}

// CodeRejectFatal implements fsm.Callbacks: a peer may reject LCP's
// extension codes and the link goes on (RFC 1661 §5.6), without the
// keepalive if it rejected an Echo-Request we had sent. A reject of an
// Echo-Request while none is awaiting its reply names one we never sent
// and leaves the keepalive running.
func (n *negotiation) CodeRejectFatal(c fsm.Code) bool {
	if c == fsm.EchoRequest && n.lcp.echo.pending > 0 {
		n.lcp.echo.disable()
	}
	return false
}

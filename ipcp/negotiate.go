package ipcp

import (
	"net/netip"

	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// requested lists the address options we may ask for, in sending order.
var requested = []OptionType{TypeIPAddress, TypePrimaryDNS, TypeSecondaryDNS}

// negotiation holds IPCP's option state: want is what we ask for (and,
// once acknowledged, what we got), his the peer's acknowledged address.
// It implements fsm.Callbacks.
type negotiation struct {
	cfg  *Config
	ipcp *IPCP
	want map[OptionType]netip.Addr // absent: not asked for
	his  netip.Addr
}

func (n *negotiation) reset() {
	n.want = map[OptionType]netip.Addr{TypeIPAddress: n.cfg.LocalAddr}
	if !n.cfg.LocalAddr.IsValid() {
		n.want[TypeIPAddress] = netip.IPv4Unspecified()
	}
	if n.cfg.RequestDNS {
		n.want[TypePrimaryDNS] = netip.IPv4Unspecified()
		n.want[TypeSecondaryDNS] = netip.IPv4Unspecified()
	}
	n.his = netip.Addr{}
}

// AppendRequest implements fsm.Callbacks.
func (n *negotiation) AppendRequest(b []byte) []byte {
	for _, t := range requested {
		if a, ok := n.want[t]; ok {
			b = AppendOptions(b, addrOption(t, a))
		}
	}
	return b
}

// ReceiveAck implements fsm.Callbacks.
func (n *negotiation) ReceiveAck([]byte) bool { return true }

// ReceiveNak implements fsm.Callbacks: take the addresses the peer
// suggests for what we asked (RFC 1332 §3.3, RFC 1877 §1).
func (n *negotiation) ReceiveNak(b []byte) bool {
	opts, err := ParseOptions(b)
	if err != nil {
		return false
	}
	for _, o := range opts {
		a, isAddr := addrOf(o)
		_, asked := n.want[o.Type()]
		switch {
		case !isAddr || !asked || !a.Is4():
		case a.IsUnspecified() && o.Type() != TypeIPAddress:
			// Some networks Nak the DNS options with 0.0.0.0 when they
			// have none to give: that means no.
			delete(n.want, o.Type())
		default:
			n.want[o.Type()] = a
		}
	}
	return true
}

// ReceiveReject implements fsm.Callbacks: stop asking for those.
func (n *negotiation) ReceiveReject(b []byte) bool {
	opts, err := ParseOptions(b)
	if err != nil {
		return false
	}
	for _, o := range opts {
		if _, asked := n.want[o.Type()]; !asked {
			return false
		}
	}
	for _, o := range opts {
		delete(n.want, o.Type())
	}
	return true
}

// ReceiveRequest implements fsm.Callbacks.
func (n *negotiation) ReceiveRequest(b, reply []byte, rejectOnly bool) (fsm.Code, []byte) {
	raw, err := fsm.ParseOptions(b)
	if err != nil {
		return fsm.ConfigureReject, append(reply, b...)
	}
	var naks, rejs []byte
	sawAddr := false
	n.his = netip.Addr{}
	for _, r := range raw {
		o := decodeOption(OptionType(r.Type), r.Data)
		suggest, ok := n.checkPeer(o)
		a, isAddr := o.(IPAddress)
		sawAddr = sawAddr || isAddr
		switch {
		case ok:
			if isAddr {
				n.his = netip.Addr(a)
			}
		case suggest != nil && !rejectOnly:
			naks = AppendOptions(naks, suggest)
		default:
			rejs = r.Append(rejs)
		}
	}
	// A peer that does not announce an address is given one when we
	// have one for it (RFC 1332 §3.3 lets a Nak carry it).
	if !sawAddr && n.cfg.PeerAddr.IsValid() && !rejectOnly && len(rejs) == 0 {
		naks = AppendOptions(naks, IPAddress(n.cfg.PeerAddr))
	}
	switch {
	case len(rejs) > 0:
		return fsm.ConfigureReject, append(reply, rejs...)
	case len(naks) > 0:
		return fsm.ConfigureNak, append(reply, naks...)
	}
	return fsm.ConfigureAck, append(reply, b...)
}

// checkPeer judges one option of the peer's request: ok accepts it; a
// suggestion naks it; neither rejects it.
func (n *negotiation) checkPeer(o Option) (suggest Option, ok bool) {
	switch o := o.(type) {
	case IPAddress:
		a := netip.Addr(o)
		want := n.cfg.PeerAddr
		switch {
		case want.IsValid() && a != want:
			return IPAddress(want), false
		case !want.IsValid() && a.IsUnspecified():
			return nil, false // we have no address to give
		}
		return nil, true
	case PrimaryDNS, SecondaryDNS:
		i := 0
		if o.Type() == TypeSecondaryDNS {
			i = 1
		}
		if i >= len(n.cfg.DNS) {
			return nil, false
		}
		offer := n.cfg.DNS[i]
		if a, _ := addrOf(o); a == offer {
			return nil, true
		}
		return addrOption(o.Type(), offer), false
	}
	return nil, false // VJ compression, NBNS and unknown options
}

// Up implements fsm.Callbacks (tlu).
func (n *negotiation) Up() { n.ipcp.up() }

// Down implements fsm.Callbacks (tld).
func (n *negotiation) Down() { n.ipcp.down() }

// Started implements fsm.Callbacks (tls).
func (n *negotiation) Started() {}

// Finished implements fsm.Callbacks (tlf).
func (n *negotiation) Finished() { n.ipcp.finished() }

// ReceiveOther implements fsm.Callbacks: IPCP has no codes beyond 7.
func (n *negotiation) ReceiveOther(fsm.Code, uint8, []byte) bool { return false }

// CodeRejectFatal implements fsm.Callbacks: IPCP sends no codes beyond
// 7, so a reject of any other code names one it can do without.
func (n *negotiation) CodeRejectFatal(fsm.Code) bool { return false }

package session

import (
	"fmt"
	"strings"

	"github.com/gprsppp/gprsppp/auth"
	"github.com/gprsppp/gprsppp/ipcp"
	"github.com/gprsppp/gprsppp/ipv6cp"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// describe renders a control packet as pppd logs it, for example
// "LCP ConfReq id=0x1 <asyncmap 0x0> <magic 0x5b1e8a3c>". Passwords and
// CHAP values are never shown.
func describe(proto ppp.Protocol, pkt []byte) string {
	var p ppp.ControlPacket
	if err := p.Parse(pkt); err != nil {
		return fmt.Sprintf("%v malformed %d octets", proto, len(pkt))
	}
	var b strings.Builder
	switch proto {
	case ppp.ProtocolLCP, ppp.ProtocolIPCP, ppp.ProtocolIPv6CP:
		fmt.Fprintf(&b, "%v %v id=%#x", proto, fsm.Code(p.Code), p.Identifier)
		describeFSM(&b, proto, fsm.Code(p.Code), p.Data)
	case ppp.ProtocolPAP:
		fmt.Fprintf(&b, "PAP %v id=%#x", auth.PAPCode(p.Code), p.Identifier)
	case ppp.ProtocolCHAP:
		fmt.Fprintf(&b, "CHAP %v id=%#x", auth.CHAPCode(p.Code), p.Identifier)
	default:
		fmt.Fprintf(&b, "%v code=%d id=%#x len=%d", proto, p.Code, p.Identifier, len(p.Data))
	}
	return b.String()
}

func describeFSM(b *strings.Builder, proto ppp.Protocol, code fsm.Code, data []byte) {
	switch code {
	case fsm.ConfigureRequest, fsm.ConfigureAck, fsm.ConfigureNak, fsm.ConfigureReject:
		if proto == ppp.ProtocolLCP {
			opts, err := lcp.ParseOptions(data)
			for _, o := range opts {
				fmt.Fprintf(b, " <%v>", lcp.Format(o))
			}
			if err != nil {
				b.WriteString(" <malformed>")
			}
			return
		}
		if proto == ppp.ProtocolIPv6CP {
			opts, err := ipv6cp.ParseOptions(data)
			for _, o := range opts {
				fmt.Fprintf(b, " <%v>", ipv6cp.Format(o))
			}
			if err != nil {
				b.WriteString(" <malformed>")
			}
			return
		}
		opts, err := ipcp.ParseOptions(data)
		for _, o := range opts {
			fmt.Fprintf(b, " <%v>", ipcp.Format(o))
		}
		if err != nil {
			b.WriteString(" <malformed>")
		}
	case fsm.EchoRequest, fsm.EchoReply, fsm.DiscardRequest:
		if len(data) >= 4 {
			fmt.Fprintf(b, " magic=%#x", data[:4])
		}
	case fsm.ProtocolReject:
		if len(data) >= 2 {
			fmt.Fprintf(b, " proto=%#04x", data[:2])
		}
	case fsm.TerminateRequest, fsm.TerminateAck:
		if len(data) > 0 {
			fmt.Fprintf(b, " %q", data)
		}
	}
}

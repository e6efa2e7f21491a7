package ipcp

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// The network side naks a client asking for 0.0.0.0 with its address
// and DNS server, each option once.
func TestNetworkNaksClientRequest(t *testing.T) {
	cfg := Config{PeerAddr: netip.MustParseAddr("10.64.64.2"), DNS: []netip.Addr{netip.MustParseAddr("10.64.64.1")}}
	n := &negotiation{cfg: &cfg}
	n.reset()
	req := AppendOptions(nil, IPAddress(netip.IPv4Unspecified()), PrimaryDNS(netip.IPv4Unspecified()))
	code, reply := n.ReceiveRequest(req, nil, false)
	want := AppendOptions(nil, IPAddress(cfg.PeerAddr), PrimaryDNS(cfg.DNS[0]))
	if code != fsm.ConfigureNak {
		t.Fatalf("code %v, want ConfNak", code)
	}
	if diff := cmp.Diff(want, reply); diff != "" {
		t.Errorf("Nak options (-want +got):\n%s", diff)
	}
	// A request without the IP-Address option gets one suggested.
	code, reply = n.ReceiveRequest(AppendOptions(nil, PrimaryDNS(cfg.DNS[0])), nil, false)
	if code != fsm.ConfigureNak || !cmp.Equal(reply, AppendOptions(nil, IPAddress(cfg.PeerAddr))) {
		t.Errorf("request without address: %v %x", code, reply)
	}
}

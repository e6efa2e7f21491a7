package sim

import (
	"crypto/sha256"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
)

// The network honours the context's PDP type: IPV6 gets IPv6 alone (the
// client's IPCP rejected), IP gets IPv4 alone (its IPv6CP rejected),
// IPV4V6 both; an IPv6 type the network does not offer is refused.
func TestCallPDPType(t *testing.T) {
	v6net := gprsppp.NetworkConfig{
		DNS:  []netip.Addr{netip.MustParseAddr("10.64.64.1")},
		IPv6: &gprsppp.NetworkIPv6{DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}},
	}
	tests := []struct {
		name      string
		network   gprsppp.NetworkConfig
		pdpType   string
		want4     bool
		want6     bool
		noCarrier bool
	}{
		{name: "IPV4V6", network: v6net, pdpType: "IPV4V6", want4: true, want6: true},
		{name: "IPV6", network: v6net, pdpType: "IPV6", want6: true},
		{name: "IP", network: v6net, pdpType: "IP", want4: true},
		{name: "IPV6 without IPv6", pdpType: "IPV6", noCarrier: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startModem(t, ModemConfig{Network: tt.network, Services: Services{PatternSize: 64 << 10}})
			d.mustCommand("AT", "OK")
			d.mustCommand("ATE0", "OK")
			d.mustCommand(`AT+CGDCONT=1,"`+tt.pdpType+`","internet"`, "OK")
			if tt.noCarrier {
				d.mustCommand("ATD*99***1#", "NO CARRIER")
				return
			}
			d.mustCommand("ATD*99***1#", "CONNECT 115200")
			// The client asks for both families, as an IPV4V6 context.
			link, _ := openClient(t, d, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6})
			if got := link.LocalAddr().IsValid(); got != tt.want4 {
				t.Errorf("IPv4 address %v, want one: %v", link.LocalAddr(), tt.want4)
			}
			want := netip.MustParseAddr("2001:db8:64::2")
			if !tt.want6 {
				if got := link.IPv6Addrs(); len(got) != 0 {
					t.Errorf("IPv6 addresses %v on an IP context", got)
				}
				return
			}
			deadline := time.After(stepTimeout)
			for changed := link.Renumbered(); !slices.Contains(link.IPv6Addrs(), want); changed = link.Renumbered() {
				select {
				case <-changed:
				case <-deadline:
					t.Fatalf("no IPv6 address %v: %v", want, link.IPv6Addrs())
				}
			}
			if got, want := fetch(t, link, "http://[2001:db8:64::1]/pattern.bin"), sha256.Sum256(Pattern(64<<10)); got != want {
				t.Errorf("pattern.bin over IPv6: sha256 %x, want %x", got, want)
			}
		})
	}
}

package ipcp

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

type nopTimer struct{}

func (nopTimer) Reset(time.Duration) {}
func (nopTimer) Stop()               {}

// FuzzReceive feeds arbitrary packets to an IPCP in each role: it must
// never panic, and what it sends must parse.
func FuzzReceive(f *testing.F) {
	req := ppp.ControlPacket{Code: 1, Identifier: 1, Data: []byte{3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0}}.Append(nil)
	nak := ppp.ControlPacket{Code: 3, Identifier: 1, Data: []byte{3, 6, 10, 64, 64, 2, 129, 6, 10, 64, 64, 1}}.Append(nil)
	f.Add(req)
	f.Add(nak)
	f.Add(append(req, nak...))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, network := range []bool{false, true} {
			cfg := Config{
				NewTimer:   func(func()) ppp.Timer { return nopTimer{} },
				RequestDNS: !network,
				Send: func(pkt []byte) {
					var p ppp.ControlPacket
					if err := p.Parse(pkt); err != nil {
						t.Fatalf("sent a malformed packet: %v", err)
					}
					// A Configure-Reject echoes malformed options as received, as pppd does.
					if _, err := ParseOptions(p.Data); err != nil && p.Code <= 3 {
						t.Fatalf("sent malformed options: %v", err)
					}
				},
			}
			if network {
				cfg.LocalAddr = netip.MustParseAddr("10.0.0.1")
				cfg.PeerAddr = netip.MustParseAddr("10.0.0.2")
				cfg.DNS = []netip.Addr{cfg.LocalAddr}
			}
			p := New(cfg)
			p.Open()
			p.Receive(b)
			p.Receive(b)
		}
	})
}

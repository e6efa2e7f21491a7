package lcp

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

type nopTimer struct{}

func (nopTimer) Reset(time.Duration) {}
func (nopTimer) Stop()               {}

// FuzzReceive feeds arbitrary packets, split at fuzz-chosen lengths, to
// an LCP in each role: it must never panic, and what it sends must parse.
func FuzzReceive(f *testing.F) {
	confReq := ppp.ControlPacket{Code: 1, Identifier: 1, Data: pppdConfReqOptions}.Append(nil)
	f.Add(confReq, uint8(0))
	f.Add(append(confReq, ppp.ControlPacket{Code: 2, Identifier: 1}.Append(nil)...), uint8(20))
	f.Add(ppp.ControlPacket{Code: 9, Identifier: 7, Data: []byte{1, 2, 3, 4, 5}}.Append(nil), uint8(1))
	f.Add(ppp.ControlPacket{Code: 8, Identifier: 7, Data: []byte{0x80, 0xfd, 1, 1, 0, 4}}.Append(nil), uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, split uint8) {
		for _, server := range []bool{false, true} {
			cfg := Config{
				NewTimer:    func(func()) ppp.Timer { return nopTimer{} },
				AuthMethods: []ppp.Protocol{ppp.ProtocolPAP},
				Send: func(pkt []byte) {
					var p ppp.ControlPacket
					if err := p.Parse(pkt); err != nil {
						t.Fatalf("sent a malformed packet: %v", err)
					}
				},
			}
			if server {
				cfg.RequireAuth, cfg.AuthMethods, cfg.FCS32 = ppp.ProtocolCHAP, nil, true
			}
			l := New(cfg)
			l.Open()
			rest := b
			for len(rest) > 0 {
				n := min(len(rest), max(int(split), 1))
				l.Receive(rest[:n])
				rest = rest[n:]
			}
			l.Receive(b)
		}
	})
}

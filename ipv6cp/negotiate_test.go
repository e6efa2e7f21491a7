package ipv6cp

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

type nopTimer struct{}

func (nopTimer) Reset(time.Duration) {}
func (nopTimer) Stop()               {}

// counter returns a Random that yields 100, 101, ...
func counter() func() uint64 {
	n := uint64(99)
	return func() uint64 { n++; return n }
}

func newNegotiation(cfg Config) *negotiation {
	if cfg.Random == nil {
		cfg.Random = counter()
	}
	cfg.NewTimer = func(func()) ppp.Timer { return nopTimer{} }
	p := New(cfg)
	return &p.n
}

func TestReceiveRequest(t *testing.T) {
	req := func(opts ...Option) []byte { return AppendOptions(nil, opts...) }
	cases := []struct {
		name      string
		cfg       Config
		request   []byte
		wantCode  fsm.Code
		wantReply []byte
		wantHis   InterfaceIdentifier
		wantOurs  InterfaceIdentifier
	}{
		{"network naks a random identifier with the assigned one", Config{LocalID: 1, PeerID: 2},
			req(InterfaceIdentifier(0xabcdef)), fsm.ConfigureNak, req(InterfaceIdentifier(2)), 0, 1},
		{"network acks the assigned identifier", Config{LocalID: 1, PeerID: 2},
			req(InterfaceIdentifier(2)), fsm.ConfigureAck, req(InterfaceIdentifier(2)), 2, 1},
		{"network naks a request without identifier", Config{LocalID: 1, PeerID: 2},
			nil, fsm.ConfigureNak, req(InterfaceIdentifier(2)), 0, 1},
		{"client acks the network's identifier", Config{LocalID: 7},
			req(InterfaceIdentifier(1)), fsm.ConfigureAck, req(InterfaceIdentifier(1)), 1, 7},
		{"zero is naked with a fresh identifier", Config{LocalID: 7},
			req(InterfaceIdentifier(0)), fsm.ConfigureNak, req(InterfaceIdentifier(100)), 0, 7},
		{"collision: a configured identifier stays, the peer gets a fresh one", Config{LocalID: 7},
			req(InterfaceIdentifier(7)), fsm.ConfigureNak, req(InterfaceIdentifier(100)), 0, 7},
		{"collision: a random identifier is replaced too", Config{},
			req(InterfaceIdentifier(100)), fsm.ConfigureNak, req(InterfaceIdentifier(102)), 0, 101},
		{"compression is rejected", Config{LocalID: 7},
			req(IPv6CompressionProtocol{Protocol: 0x4f, Data: []byte{0, 15}}, InterfaceIdentifier(1)),
			fsm.ConfigureReject, req(IPv6CompressionProtocol{Protocol: 0x4f, Data: []byte{0, 15}}), 1, 7},
		{"malformed options are rejected as received", Config{LocalID: 7},
			[]byte{1, 10, 0}, fsm.ConfigureReject, []byte{1, 10, 0}, 0, 7},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := newNegotiation(tc.cfg)
			code, reply := n.ReceiveRequest(tc.request, nil, false)
			if code != tc.wantCode {
				t.Errorf("code %v, want %v", code, tc.wantCode)
			}
			if diff := cmp.Diff(tc.wantReply, reply); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
			if n.his != tc.wantHis || n.want != tc.wantOurs {
				t.Errorf("his %v ours %v, want %v %v", n.his, n.want, tc.wantHis, tc.wantOurs)
			}
		})
	}
}

// Both sides without an identifier: the peer's zero is rejected, since
// there is nothing to agree on (RFC 5072 §4.1).
func TestZeroAgainstNoIdentifierRejected(t *testing.T) {
	n := newNegotiation(Config{LocalID: 7})
	if !n.ReceiveReject(AppendOptions(nil, InterfaceIdentifier(7))) {
		t.Fatal("reject of our identifier refused")
	}
	if got := n.AppendRequest(nil); len(got) != 0 {
		t.Fatalf("request after reject: %x", got)
	}
	code, reply := n.ReceiveRequest(AppendOptions(nil, InterfaceIdentifier(0)), nil, false)
	if code != fsm.ConfigureReject || !cmp.Equal(reply, AppendOptions(nil, InterfaceIdentifier(0))) {
		t.Fatalf("got %v %x, want Configure-Reject of the zero identifier", code, reply)
	}
}

func TestReceiveNakAdopts(t *testing.T) {
	cases := []struct {
		name string
		his  InterfaceIdentifier
		nak  InterfaceIdentifier
		want InterfaceIdentifier
	}{
		{"the suggested identifier is adopted", 1, 2, 2},
		{"zero is replaced by a fresh one", 1, 0, 100},
		{"the peer's own is replaced by a fresh one", 1, 1, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := newNegotiation(Config{LocalID: 7})
			n.his = tc.his
			if !n.ReceiveNak(AppendOptions(nil, tc.nak)) {
				t.Fatal("Nak refused")
			}
			if n.want != tc.want {
				t.Errorf("identifier %v, want %v", n.want, tc.want)
			}
			if diff := cmp.Diff(AppendOptions(nil, tc.want), n.AppendRequest(nil)); diff != "" {
				t.Errorf("next request (-want +got):\n%s", diff)
			}
		})
	}
}

// Two IPv6CPs back to back, a client with a random identifier against a
// network that assigns ::2, reach Opened with the network's choice.
func TestBackToBack(t *testing.T) {
	var client, network *IPv6CP
	var got [2]Negotiated
	queue := []func(){}
	mk := func(cfg Config, i int, peer **IPv6CP) *IPv6CP {
		cfg.NewTimer = func(func()) ppp.Timer { return nopTimer{} }
		cfg.Send = func(pkt []byte) {
			b := append([]byte(nil), pkt...)
			queue = append(queue, func() { (*peer).Receive(b) })
		}
		cfg.Up = func(n Negotiated) { got[i] = n }
		return New(cfg)
	}
	client = mk(Config{Random: counter()}, 0, &network)
	network = mk(Config{LocalID: 1, PeerID: 2}, 1, &client)
	client.Open()
	network.Open()
	for i := 0; len(queue) > 0 && i < 50; i++ {
		f := queue[0]
		queue = queue[1:]
		f()
	}
	if client.State() != fsm.Opened || network.State() != fsm.Opened {
		t.Fatalf("states %v %v, want Opened", client.State(), network.State())
	}
	want := [2]Negotiated{{LocalID: 2, PeerID: 1}, {LocalID: 1, PeerID: 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("negotiated (-want +got):\n%s", diff)
	}
	if a := got[0].LocalLinkLocal().String(); a != "fe80::2" {
		t.Errorf("client link-local %s", a)
	}
}

// FuzzReceive feeds arbitrary packets to an IPv6CP in each role: it must
// never panic, and what it sends must parse.
func FuzzReceive(f *testing.F) {
	f.Add(ppp.ControlPacket{Code: 1, Identifier: 1, Data: []byte{1, 10, 0, 0, 0, 0, 0, 0, 0, 1}}.Append(nil))
	f.Add(ppp.ControlPacket{Code: 3, Identifier: 1, Data: []byte{1, 10, 0, 0, 0, 0, 0, 0, 0, 2}}.Append(nil))
	f.Add(ppp.ControlPacket{Code: 4, Identifier: 1, Data: []byte{1, 10, 0, 0, 0, 0, 0, 0, 0, 2}}.Append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, network := range []bool{false, true} {
			cfg := Config{
				NewTimer: func(func()) ppp.Timer { return nopTimer{} },
				Send: func(pkt []byte) {
					var p ppp.ControlPacket
					if err := p.Parse(pkt); err != nil {
						t.Fatalf("sent a malformed packet: %v", err)
					}
					if _, err := ParseOptions(p.Data); err != nil && p.Code <= 3 {
						t.Fatalf("sent malformed options: %v", err)
					}
				},
			}
			if network {
				cfg.LocalID, cfg.PeerID = 1, 2
			}
			p := New(cfg)
			p.Open()
			p.Receive(b)
			p.Receive(b)
		}
	})
}

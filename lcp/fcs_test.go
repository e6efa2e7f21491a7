package lcp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// link joins two LCPs back to back: what one sends, the other receives,
// in order, on the test's goroutine.
type link struct {
	lcp   [2]*LCP
	queue []packet
	up    [2]*Negotiated
	downs [2]int
}

// packet is an LCP packet on its way to lcp[to].
type packet struct {
	to  int
	pkt []byte
}

func newLink(a, b Config) *link {
	k := &link{}
	for i, cfg := range []Config{a, b} {
		cfg.NewTimer = func(func()) ppp.Timer { return nopTimer{} }
		cfg.Send = func(pkt []byte) { k.queue = append(k.queue, packet{1 - i, append([]byte(nil), pkt...)}) }
		cfg.Up = func(ng Negotiated) { k.up[i] = &ng }
		cfg.Down = func() { k.downs[i]++ }
		k.lcp[i] = New(cfg)
	}
	return k
}

// run delivers packets until the line is quiet.
func (k *link) run(t *testing.T) {
	t.Helper()
	for n := 0; len(k.queue) > 0; n++ {
		if n > 100 {
			t.Fatal("negotiation does not settle")
		}
		p := k.queue[0]
		k.queue = k.queue[1:]
		k.lcp[p.to].Receive(p.pkt)
	}
}

func (k *link) open(t *testing.T) {
	t.Helper()
	k.lcp[0].Open()
	k.lcp[1].Open()
	k.run(t)
	for i, l := range k.lcp {
		if l.State() != fsm.Opened || k.up[i] == nil {
			t.Fatalf("LCP %d in %v, want Opened", i, l.State())
		}
	}
}

// fcsOf returns what each side sends and receives with.
func (k *link) fcsOf() [2][2]bool {
	return [2][2]bool{
		{k.up[0].SendFCS32, k.up[0].RecvFCS32},
		{k.up[1].SendFCS32, k.up[1].RecvFCS32},
	}
}

func TestFCSAlternativesNegotiation(t *testing.T) {
	both, neither := [2]bool{true, true}, [2]bool{false, false}
	for _, tc := range []struct {
		name string
		a, b Config
		want [2][2]bool // {send, receive} FCS-32 for a and b
	}{
		{"both want the 32-bit FCS", Config{FCS32: true}, Config{FCS32: true}, [2][2]bool{both, both}},
		{"peer rejects", Config{FCS32: true}, Config{}, [2][2]bool{neither, neither}},
		{"peer rejects, other order", Config{}, Config{FCS32: true}, [2][2]bool{neither, neither}},
		{"neither asks", Config{}, Config{}, [2][2]bool{neither, neither}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newLink(tc.a, tc.b)
			k.open(t)
			if diff := cmp.Diff(tc.want, k.fcsOf()); diff != "" {
				t.Errorf("{send, receive} FCS-32 (-want +got):\n%s", diff)
			}
		})
	}
}

// Renegotiation takes both directions back to the 16-bit FCS (Down) and
// agrees on the 32-bit one again.
func TestFCSAlternativesRenegotiation(t *testing.T) {
	k := newLink(Config{FCS32: true}, Config{FCS32: true})
	k.open(t)
	k.up = [2]*Negotiated{}
	k.lcp[0].m.Down() // the line bounced under one side
	k.lcp[0].m.Up()
	k.run(t)
	if k.downs != [2]int{1, 1} {
		t.Fatalf("Down called %v times, want once each", k.downs)
	}
	if k.up[0] == nil || k.up[1] == nil {
		t.Fatal("LCP did not reopen")
	}
	if got := k.fcsOf(); got != [2][2]bool{{true, true}, {true, true}} {
		t.Errorf("after renegotiation {send, receive} FCS-32 = %v, want all true", got)
	}
}

// checkPeer's verdicts on the peer's FCS-Alternatives.
func TestFCSAlternativesCheckPeer(t *testing.T) {
	for _, tc := range []struct {
		name     string
		allow    bool
		req      FCSAlternatives
		wantCode fsm.Code
		wantNak  FCSAlternatives
		wantSend bool
	}{
		{"32-bit", true, FCS32Bit, fsm.ConfigureAck, 0, true},
		{"16-bit", true, FCS16Bit, fsm.ConfigureAck, 0, false},
		{"16- or 32-bit", true, FCS16Bit | FCS32Bit, fsm.ConfigureAck, 0, true},
		{"null only", true, NullFCS, fsm.ConfigureNak, FCS16Bit | FCS32Bit, false},
		{"null or 16-bit", true, NullFCS | FCS16Bit, fsm.ConfigureNak, FCS16Bit, false},
		{"null or 32-bit", true, NullFCS | FCS32Bit, fsm.ConfigureNak, FCS32Bit, false},
		{"unknown bit", true, 0x08, fsm.ConfigureNak, FCS16Bit | FCS32Bit, false},
		{"empty mask", true, 0, fsm.ConfigureNak, FCS16Bit | FCS32Bit, false},
		{"not allowed", false, FCS32Bit, fsm.ConfigureReject, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := New(Config{FCS32: tc.allow, NewTimer: func(func()) ppp.Timer { return nopTimer{} }})
			req := AppendOptions(nil, tc.req)
			code, reply := l.n.ReceiveRequest(req, nil, false)
			if code != tc.wantCode {
				t.Fatalf("code %v, want %v", code, tc.wantCode)
			}
			want := req
			if code == fsm.ConfigureNak {
				want = AppendOptions(nil, tc.wantNak)
			}
			if diff := cmp.Diff(want, reply); diff != "" {
				t.Errorf("reply options (-want +got):\n%s", diff)
			}
			if got := l.negotiated().SendFCS32; got != tc.wantSend {
				t.Errorf("SendFCS32 %v, want %v", got, tc.wantSend)
			}
		})
	}
}

// A Nak of our FCS-Alternatives keeps what the peer also offers; a Nak
// without the 32-bit FCS, or a Reject, drops the option from the next
// request, leaving the 16-bit FCS.
func TestFCSAlternativesNakAndReject(t *testing.T) {
	for _, tc := range []struct {
		name    string
		receive func(n *negotiation) bool
		want    []Option // FCS-Alternatives in the next request
	}{
		{"nak with 16- or 32-bit", func(n *negotiation) bool {
			return n.ReceiveNak(AppendOptions(nil, FCS16Bit|FCS32Bit))
		}, []Option{FCS32Bit}},
		{"nak with 16-bit", func(n *negotiation) bool {
			return n.ReceiveNak(AppendOptions(nil, FCS16Bit))
		}, nil},
		{"nak with null", func(n *negotiation) bool {
			return n.ReceiveNak(AppendOptions(nil, NullFCS))
		}, nil},
		{"reject", func(n *negotiation) bool {
			return n.ReceiveReject(AppendOptions(nil, FCS32Bit))
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := New(Config{FCS32: true, NoMagic: true, NoPFC: true, NoACFC: true,
				NewTimer: func(func()) ppp.Timer { return nopTimer{} }})
			if first := requestFCS(t, l.n.AppendRequest(nil)); !cmp.Equal(first, []Option{FCS32Bit}) {
				t.Fatalf("first request has %v, want [0x4]", first)
			}
			if !tc.receive(&l.n) {
				t.Fatal("reply not accepted")
			}
			if diff := cmp.Diff(tc.want, requestFCS(t, l.n.AppendRequest(nil))); diff != "" {
				t.Errorf("next request (-want +got):\n%s", diff)
			}
			if l.n.ReceiveAck(nil); l.negotiated().RecvFCS32 != (tc.want != nil) {
				t.Errorf("RecvFCS32 %v after the Ack", l.negotiated().RecvFCS32)
			}
		})
	}
}

// requestFCS returns the FCS-Alternatives options of a request.
func requestFCS(t *testing.T, req []byte) []Option {
	t.Helper()
	opts, err := ParseOptions(req)
	if err != nil {
		t.Fatal(err)
	}
	var fcs []Option
	for _, o := range opts {
		if o.Type() == TypeFCSAlternatives {
			fcs = append(fcs, o)
		}
	}
	return fcs
}

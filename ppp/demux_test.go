package ppp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDemux(t *testing.T) {
	var got []string
	d := Demux{Reject: func(p Protocol, info []byte) { got = append(got, "reject "+p.String()+" "+string(info)) }}
	d.Register(ProtocolLCP, func(info []byte) { got = append(got, "lcp "+string(info)) })
	d.Input(ProtocolLCP, []byte("a"))
	d.Input(ProtocolCCP, []byte("b"))
	d.Input(ProtocolIPv6CP, []byte("c"))
	want := []string{"lcp a", "reject CCP b", "reject IPv6CP c"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestControlPacketRoundTrip(t *testing.T) {
	wire := []byte{0x01, 0x2a, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdc, 0xff} // padding after Length
	var p ControlPacket
	if err := p.Parse(wire); err != nil {
		t.Fatal(err)
	}
	want := ControlPacket{Code: 1, Identifier: 0x2a, Data: []byte{0x01, 0x04, 0x05, 0xdc}}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("parse (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wire[:8], p.Append(nil)); diff != "" {
		t.Errorf("append (-want +got):\n%s", diff)
	}
	for name, b := range map[string][]byte{"short": {1, 2, 0}, "length 3": {1, 2, 0, 3}, "length past end": {1, 2, 0, 9, 0}} {
		if err := p.Parse(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

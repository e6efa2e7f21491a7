package session

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
)

// fcsOfFrame tells which FCS one framed packet ends with: 32, 16, or 0
// if neither checks.
func fcsOfFrame(wire []byte) int {
	var f []byte
	for i := 1; i < len(wire)-1; i++ { // between the flags
		c := wire[i]
		if c == 0x7d {
			i++
			c = wire[i] ^ 0x20
		}
		f = append(f, c)
	}
	switch {
	case ppp.FCS32(ppp.FCS32Init, f) == ppp.FCS32Good:
		return 32
	case ppp.FCS16(ppp.FCS16Init, f) == ppp.FCS16Good:
		return 16
	}
	return 0
}

// The writer sends with the FCS the peer asked to receive once LCP is
// up, except LCP Configure, Terminate and Code-Reject, and returns to the
// 16-bit FCS when LCP goes down.
func TestWriterFCS(t *testing.T) {
	s := &Session{}
	s.w.init(s)
	confReq := ppp.ControlPacket{Code: 1, Identifier: 1}.Append(nil)
	codeRej := ppp.ControlPacket{Code: 7, Identifier: 2, Data: []byte{0x0e, 0x01, 0x00, 0x04}}.Append(nil)
	echo := ppp.ControlPacket{Code: 9, Identifier: 3, Data: []byte{0, 0, 0, 0}}.Append(nil)
	ip := []byte{0x45, 0, 0, 20}
	frames := func() [4]int {
		return [4]int{
			fcsOfFrame(s.w.frame(nil, ppp.ProtocolLCP, confReq)),
			fcsOfFrame(s.w.frame(nil, ppp.ProtocolLCP, codeRej)),
			fcsOfFrame(s.w.frame(nil, ppp.ProtocolLCP, echo)),
			fcsOfFrame(s.w.frame(nil, ppp.ProtocolIPv4, ip)),
		}
	}
	for _, step := range []struct {
		name string
		do   func()
		want [4]int // ConfReq, Code-Reject, Echo-Request, IPv4
	}{
		{"before LCP", func() {}, [4]int{16, 16, 16, 16}},
		{"peer receives FCS-32", func() { s.w.negotiated(lcp.Negotiated{SendFCS32: true}) }, [4]int{16, 16, 32, 32}},
		{"LCP down", s.w.reset, [4]int{16, 16, 16, 16}},
		{"peer keeps FCS-16", func() { s.w.negotiated(lcp.Negotiated{RecvFCS32: true}) }, [4]int{16, 16, 16, 16}},
	} {
		step.do()
		if diff := cmp.Diff(step.want, frames()); diff != "" {
			t.Errorf("%s: FCS of ConfReq, CodeRej, EchoReq, IPv4 (-want +got):\n%s", step.name, diff)
		}
	}
}

// The decoder expects the FCS we asked for once LCP is up, either while
// it negotiates the 32-bit one, and the 16-bit one otherwise.
func TestRecvFCS(t *testing.T) {
	type dec struct{ FCS32, AnyFCS bool }
	for _, tc := range []struct {
		name                 string
		cfg32, opened, agree bool
		want                 dec
	}{
		{"default, negotiating", false, false, false, dec{}},
		{"default, opened", false, true, false, dec{}},
		{"FCS32, negotiating", true, false, false, dec{AnyFCS: true}},
		{"FCS32, agreed", true, true, true, dec{FCS32: true}},
		{"FCS32, refused", true, true, false, dec{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Session{cfg: Config{FCS32: tc.cfg32}}
			s.setRecvFCS(tc.opened, tc.agree)
			s.applyRecvFCS()
			if diff := cmp.Diff(tc.want, dec{s.dec.FCS32, s.dec.AnyFCS}); diff != "" {
				t.Errorf("decoder (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDescribeFCSAlternatives(t *testing.T) {
	pkt := ppp.ControlPacket{Code: 1, Identifier: 1, Data: lcp.AppendOptions(nil, lcp.ACCM(0), lcp.FCS32Bit)}.Append(nil)
	want := "LCP ConfReq id=0x1 <asyncmap 0x0> <fcs-alternatives 0x4>"
	if got := describe(ppp.ProtocolLCP, pkt); got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
}

package netstack

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

var (
	local = netip.MustParseAddr("192.0.2.1")
	peer  = netip.MustParseAddr("192.0.2.2")
)

// capture is a Writer that records copies of what the stack sends, or
// rejects everything when err is set.
type capture struct {
	pkts chan []byte
	err  error
}

func (c *capture) WritePacket(pkt []byte) error {
	if c.err != nil {
		return c.err
	}
	c.pkts <- append([]byte(nil), pkt...)
	return nil
}

func newTestStack(t *testing.T, out Writer) *Stack {
	t.Helper()
	s, err := New(Config{LocalAddr: local, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// echoRequest builds an ICMP echo request (RFC 792) from peer to local.
func echoRequest(seq uint16, payload string) []byte {
	b := make([]byte, header.IPv4MinimumSize+header.ICMPv4MinimumSize+len(payload))
	ip := header.IPv4(b)
	ip.Encode(&header.IPv4Fields{
		TotalLength: uint16(len(b)),
		TTL:         64,
		Protocol:    uint8(header.ICMPv4ProtocolNumber),
		SrcAddr:     tcpip.AddrFrom4(peer.As4()),
		DstAddr:     tcpip.AddrFrom4(local.As4()),
	})
	ip.SetChecksum(^ip.CalculateChecksum())
	icmp := header.ICMPv4(ip.Payload())
	icmp.SetType(header.ICMPv4Echo)
	icmp.SetIdent(0x1234)
	icmp.SetSequence(seq)
	copy(icmp.Payload(), payload)
	icmp.SetChecksum(^checksum.Checksum(icmp, 0))
	return b
}

// echoSummary is what matters in an echo packet.
type echoSummary struct {
	Src, Dst    netip.Addr
	Type        header.ICMPv4Type
	Ident, Seq  uint16
	Payload     string
	ChecksumsOK bool
}

func summarize(b []byte) echoSummary {
	ip := header.IPv4(b)
	icmp := header.ICMPv4(ip.Payload())
	return echoSummary{
		Src:         netip.AddrFrom4(ip.SourceAddress().As4()),
		Dst:         netip.AddrFrom4(ip.DestinationAddress().As4()),
		Type:        icmp.Type(),
		Ident:       icmp.Ident(),
		Seq:         icmp.Sequence(),
		Payload:     string(icmp.Payload()),
		ChecksumsOK: ip.IsChecksumValid() && checksum.Checksum(icmp, 0) == 0xffff,
	}
}

func TestPingReply(t *testing.T) {
	out := &capture{pkts: make(chan []byte, 4)}
	s := newTestStack(t, out)
	req := echoRequest(7, "are you there?")
	s.DeliverInbound(req)

	var reply []byte
	select {
	case reply = <-out.pkts:
	case <-time.After(10 * time.Second):
		t.Fatal("no echo reply")
	}
	want := echoSummary{
		Src: local, Dst: peer, Type: header.ICMPv4EchoReply,
		Ident: 0x1234, Seq: 7, Payload: "are you there?", ChecksumsOK: true,
	}
	if diff := cmp.Diff(want, summarize(reply), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("echo reply (-want +got):\n%s", diff)
	}
	wantStats := Stats{
		PacketsIn: 1, BytesIn: uint64(len(req)),
		PacketsOut: 1, BytesOut: uint64(len(reply)),
	}
	if diff := cmp.Diff(wantStats, s.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestDeliverInboundDrops(t *testing.T) {
	valid := echoRequest(1, "x")
	corrupt := func(f func(b []byte)) []byte {
		b := append([]byte(nil), valid...)
		f(b)
		return b
	}
	tests := []struct {
		name string
		pkt  []byte
	}{
		{"empty", nil},
		{"shorter than a header", valid[:19]},
		{"IPv6", corrupt(func(b []byte) { b[0] = 0x60 | b[0]&0x0f })},
		{"header length below 20", corrupt(func(b []byte) { b[0] = 0x44 })},
		{"total length beyond the packet", valid[:len(valid)-1]},
		{"bad header checksum", corrupt(func(b []byte) { b[10] ^= 0xff })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &capture{pkts: make(chan []byte, 4)}
			s := newTestStack(t, out)
			s.DeliverInbound(tt.pkt)
			if diff := cmp.Diff(Stats{DroppedIn: 1}, s.Stats()); diff != "" {
				t.Errorf("Stats (-want +got):\n%s", diff)
			}
			if len(out.pkts) != 0 {
				t.Errorf("the stack answered a malformed packet")
			}
		})
	}
}

func TestWriterErrorCounted(t *testing.T) {
	s := newTestStack(t, &capture{err: errors.New("link busy")})
	s.DeliverInbound(echoRequest(1, "x"))
	// The reply is written inline, so it has been dropped by now.
	if got := s.Stats(); got.DroppedOut != 1 || got.PacketsOut != 0 {
		t.Errorf("Stats = %+v, want one outbound drop and nothing sent", got)
	}
}

func TestDeliverAfterClose(t *testing.T) {
	out := &capture{pkts: make(chan []byte, 4)}
	s := newTestStack(t, out)
	s.Close()
	s.DeliverInbound(echoRequest(1, "x"))
	if diff := cmp.Diff(Stats{DroppedIn: 1}, s.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestGonetErrnos(t *testing.T) {
	// gonet reports data-path errors by message; every mapped message
	// must be distinct, or fixOpError could pick the wrong errno.
	seen := map[string]bool{}
	for msg := range gonetErrnos {
		if seen[msg] {
			t.Errorf("two errors share the message %q", msg)
		}
		seen[msg] = true
	}
	if got := convertError(&tcpip.ErrConnectionRefused{}); got.Error() != "connection refused" {
		t.Errorf("convertError(ErrConnectionRefused) = %v", got)
	}
	if got := convertError(&tcpip.ErrQueueSizeNotSupported{}).Error(); got[:10] != "netstack: " {
		t.Errorf("unmapped error %q lacks the package prefix", got)
	}
}

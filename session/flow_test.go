package session

import (
	"bytes"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// ipv4 returns an IPv4 packet of protocol proto around payload.
func ipv4(proto byte, payload []byte) []byte {
	p := make([]byte, 20, 20+len(payload))
	p[0] = 0x45
	n := 20 + len(payload)
	p[2], p[3] = byte(n>>8), byte(n)
	p[8], p[9] = 64, proto
	return append(p, payload...)
}

// tcpSegment returns a TCP segment with flags, a header of hdr octets
// (options included) and data.
func tcpSegment(flags byte, hdr int, data []byte) []byte {
	s := make([]byte, hdr, hdr+len(data))
	s[12] = byte(hdr/4) << 4
	s[13] = flags
	return append(s, data...)
}

func TestExpressPacket(t *testing.T) {
	const ack, psh, fin, syn, rst = 0x10, 0x08, 0x01, 0x02, 0x04
	tests := []struct {
		name string
		pkt  []byte
		want bool
	}{
		{"pure ACK", ipv4(6, tcpSegment(ack, 20, nil)), true},
		{"ACK with SACK blocks", ipv4(6, tcpSegment(ack, 44, nil)), true},
		{"SYN", ipv4(6, tcpSegment(syn, 40, nil)), true},
		{"RST", ipv4(6, tcpSegment(rst|ack, 20, nil)), true},
		{"data", ipv4(6, tcpSegment(ack|psh, 20, []byte("x"))), false},
		{"FIN keeps its place after the data", ipv4(6, tcpSegment(fin|ack, 20, nil)), false},
		{"small UDP", ipv4(17, make([]byte, 40)), true},
		{"large UDP", ipv4(17, make([]byte, 1000)), false},
		{"TCP header cut short", ipv4(6, make([]byte, 10)), false},
		{"not IPv4", append([]byte{0x60}, make([]byte, 39)...), false},
		{"IHL below 5", append([]byte{0x44}, make([]byte, 39)...), false},
		{"runt", []byte{0x45}, false},
	}
	// A data offset claiming 60 octets in a 20-octet segment.
	bad := ipv4(6, tcpSegment(ack, 20, nil))
	bad[20+12] = 15 << 4
	tests = append(tests, struct {
		name string
		pkt  []byte
		want bool
	}{"data offset beyond the segment", bad, false})
	for _, tt := range tests {
		if got := expressPacket(tt.pkt); got != tt.want {
			t.Errorf("%s: expressPacket = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// ports returns a TCP segment from sport to dport.
func ports(seg []byte, sport, dport uint16) []byte {
	seg[0], seg[1], seg[2], seg[3] = byte(sport>>8), byte(sport), byte(dport>>8), byte(dport)
	return seg
}

// lineOrder writes packets through a writer on a 115200 bit/s line and
// returns the frames in the order the line carried them.
func lineOrder(t *testing.T, packets ...[]byte) [][]byte {
	t.Helper()
	clk := clock.NewManual(time.Unix(0, 0))
	line := newClockLine(clk, 11520)
	startWriter(t, line, packets...)
	deadline := time.After(10 * time.Second)
	for {
		line.mu.Lock()
		n := len(line.frames)
		line.mu.Unlock()
		if n == len(packets) {
			break
		}
		select {
		case <-line.wrote:
		case <-deadline:
			t.Fatalf("the line carried %d of %d frames", n, len(packets))
		}
	}
	line.mu.Lock()
	defer line.mu.Unlock()
	return line.frames
}

// An ACK queued behind seconds of another connection's bulk data on a
// slow line goes out first, so a transfer in the other direction is
// not held up by it.
func TestExpressOvertakesBulk(t *testing.T) {
	upload := ipv4(6, ports(tcpSegment(0x18, 20, bytes.Repeat([]byte("B"), 1400)), 40000, 22))
	ack := ipv4(6, ports(tcpSegment(0x10, 20, nil), 40001, 80))
	frames := lineOrder(t, upload, upload, upload, upload, upload, ack, upload)
	for i, f := range frames {
		if short := len(f) < 200; short != (i == 0) {
			t.Fatalf("frame %d is %d octets: the ACK is not first", i, len(f))
		}
	}
}

// An ACK never overtakes data of its own connection: it would reach the
// peer with a sequence number beyond that data, which a peer whose
// window the data fills drops as unacceptable (RFC 9293 §3.10.7.4),
// window update and all. Once that data is on the line, the
// connection's ACKs are express again.
func TestExpressKeepsFlowOrder(t *testing.T) {
	data := ipv4(6, ports(tcpSegment(0x18, 20, bytes.Repeat([]byte("D"), 1400)), 40000, 22))
	ack := ipv4(6, ports(tcpSegment(0x10, 20, nil), 40000, 22))
	frames := lineOrder(t, data, data, ack, data)
	for i, f := range frames {
		if short := len(f) < 200; short != (i == 2) {
			t.Fatalf("frame %d is %d octets: the ACK left its place after its connection's data", i, len(f))
		}
	}
}

func TestFlowOf(t *testing.T) {
	a := ipv4(6, ports(tcpSegment(0x10, 20, nil), 40000, 22))
	b := ipv4(6, ports(tcpSegment(0x18, 20, []byte("x")), 40000, 22))
	if flowOf(a) == noFlow || flowOf(a) != flowOf(b) {
		t.Errorf("one connection's segments: flows %d and %d", flowOf(a), flowOf(b))
	}
	frag := ipv4(17, make([]byte, 40))
	frag[7] = 10 // fragment offset 80 octets
	for name, p := range map[string][]byte{"later fragment": frag, "runt": {0x45}, "IPv6": append([]byte{0x60}, make([]byte, 39)...)} {
		if f := flowOf(p); f != noFlow {
			t.Errorf("%s: flow %d, want noFlow", name, f)
		}
	}
}

func FuzzExpressPacket(f *testing.F) {
	f.Add(ipv4(6, tcpSegment(0x10, 20, nil)))
	f.Add(ipv4(6, tcpSegment(0x18, 20, []byte("data"))))
	f.Add(ipv4(17, make([]byte, 40)))
	f.Fuzz(func(t *testing.T, pkt []byte) {
		if expressPacket(pkt) && len(pkt) < 20 {
			t.Fatalf("a %d-octet packet taken as express", len(pkt))
		}
		if f := flowOf(pkt); f != noFlow && (f < 0 || f >= flowSlots) {
			t.Fatalf("flow slot %d out of range", f)
		}
	})
}

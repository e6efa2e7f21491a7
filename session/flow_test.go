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

// ack returns a pure ACK from port 40000 to 80 acknowledging n with
// window win and TCP options opts (padded to a multiple of 4 octets).
func ack(n uint32, win uint16, opts ...byte) []byte {
	for len(opts)%4 != 0 {
		opts = append(opts, 1)
	}
	seg := ports(tcpSegment(0x10, 20+len(opts), nil), 40000, 80)
	copy(seg[20:], opts)
	seg[4], seg[5], seg[6], seg[7] = 0, 0, 0x10, 0
	seg[8], seg[9], seg[10], seg[11] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	seg[14], seg[15] = byte(win>>8), byte(win)
	return ipv4(6, seg)
}

// timestamps is a TCP timestamps option after two NOPs (RFC 7323 §3.2).
var timestamps = []byte{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}

func TestParsePureACK(t *testing.T) {
	const fin, syn, rst, psh = 0x01, 0x02, 0x04, 0x08
	frag := ack(1, 100)
	frag[6] = 0x20 // more fragments
	tests := []struct {
		name string
		pkt  []byte
		want bool
	}{
		{"pure ACK", ack(1, 100), true},
		{"with timestamps", ack(1, 100, timestamps...), true},
		{"with SACK blocks", ack(1, 100, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2), false},
		{"with an unknown option", ack(1, 100, 30, 2), false},
		{"timestamps cut short", ack(1, 100, 8, 10), false},
		{"data", ipv4(6, tcpSegment(0x10|psh, 20, []byte("x"))), false},
		{"FIN", ipv4(6, tcpSegment(0x10|fin, 20, nil)), false},
		{"SYN", ipv4(6, tcpSegment(syn, 20, nil)), false},
		{"RST", ipv4(6, tcpSegment(rst|0x10, 20, nil)), false},
		{"fragment", frag, false},
		{"UDP", ipv4(17, make([]byte, 20)), false},
		{"TCP header cut short", ipv4(6, make([]byte, 10)), false},
		{"not IPv4", append([]byte{0x60}, make([]byte, 39)...), false},
		{"runt", []byte{0x45}, false},
	}
	bad := ack(1, 100)
	bad[20+12] = 15 << 4 // a data offset beyond the segment
	tests = append(tests, struct {
		name string
		pkt  []byte
		want bool
	}{"data offset beyond the segment", bad, false})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := parsePureACK(tt.pkt); got != tt.want {
				t.Errorf("parsePureACK ok = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestACKSupersedes(t *testing.T) {
	parse := func(pkt []byte) pureACK {
		a, ok := parsePureACK(pkt)
		if !ok {
			t.Fatal("not a pure ACK")
		}
		return a
	}
	other := ack(1, 100)
	other[20] = 0x9d // another source port
	wrapped := ack(5, 100)
	tests := []struct {
		name   string
		old    []byte
		newer  []byte
		wanted bool
	}{
		{"acknowledges more", ack(1000, 100), ack(2000, 100), true},
		{"across the wrap of the sequence space", ack(0xffffff00, 100), wrapped, true},
		{"more window too", ack(1000, 100), ack(2000, 200), true},
		{"duplicate ACK", ack(1000, 100), ack(1000, 100), false},
		{"window update alone", ack(1000, 100), ack(1000, 200), false},
		{"older", ack(2000, 100), ack(1000, 100), false},
		{"less window", ack(1000, 200), ack(2000, 100), false},
		{"other options", ack(1000, 100), ack(2000, 100, timestamps...), false},
		{"another connection", ack(1000, 100), other, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ackSupersedes(parse(tt.old), parse(tt.newer)); got != tt.wanted {
				t.Errorf("ackSupersedes = %v, want %v", got, tt.wanted)
			}
		})
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
// slow line goes out after at most one quantum of it, so a transfer in
// the other direction is not held up by it.
func TestFlowQueueACKOvertakesBulk(t *testing.T) {
	upload := ipv4(6, ports(tcpSegment(0x18, 20, bytes.Repeat([]byte("B"), 1400)), 40000, 22))
	ack := ipv4(6, ports(tcpSegment(0x10, 20, nil), 40001, 80))
	frames := lineOrder(t, upload, upload, upload, upload, upload, ack, upload)
	for i, f := range frames {
		if short := len(f) < 200; short != (i == 2) {
			t.Fatalf("frame %d is %d octets: the ACK is not third", i, len(f))
		}
	}
}

// An ACK never overtakes data of its own connection: it would reach the
// peer with a sequence number beyond that data, which a peer whose
// window the data fills drops as unacceptable (RFC 9293 §3.10.7.4),
// window update and all. Each flow has one queue.
func TestFlowQueueKeepsFlowOrder(t *testing.T) {
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
	for name, p := range map[string][]byte{"later fragment": frag, "runt": {0x45}, "IPv6 runt": append([]byte{0x60}, make([]byte, 38)...)} {
		if f := flowOf(p); f != noFlow {
			t.Errorf("%s: flow %d, want noFlow", name, f)
		}
	}
	// IPv6: one connection's segments share a flow, another port is apart.
	v6 := func(sport byte) []byte {
		p := append([]byte{0x60, 0, 0, 0, 0, 20, 6, 64}, make([]byte, 32+20)...)
		p[23], p[39], p[41], p[43] = 2, 1, sport, 22
		return p
	}
	if f := flowOf(v6(1)); f == noFlow || f != flowOf(v6(1)) || f == flowOf(v6(2)) {
		t.Errorf("IPv6 flows %d %d %d", f, flowOf(v6(1)), flowOf(v6(2)))
	}
}

func FuzzParsePureACK(f *testing.F) {
	f.Add(ack(1, 100))
	f.Add(ack(1, 100, timestamps...))
	f.Add(ipv4(6, tcpSegment(0x18, 20, []byte("data"))))
	f.Add(ipv4(17, make([]byte, 40)))
	f.Fuzz(func(t *testing.T, pkt []byte) {
		if _, ok := parsePureACK(pkt); ok && len(pkt) < 40 {
			t.Fatalf("a %d-octet packet taken as a pure ACK", len(pkt))
		}
		if f := flowOf(pkt); f != noFlow && (f < 0 || f >= flowSlots) {
			t.Fatalf("flow slot %d out of range", f)
		}
	})
}

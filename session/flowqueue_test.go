package session

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fqPush queues pkt, unframed, as writer.enqueue does, at time at.
func fqPush(fq *flowQueue, pkt []byte, at time.Time) {
	a, isACK := parsePureACK(pkt)
	fq.enqueue(&queued{frame: pkt, at: at}, flowOf(pkt), a, isACK)
}

// fqDrain dequeues everything at time now and returns the packets in
// the order the line would carry them, and how many CoDel dropped.
func fqDrain(fq *flowQueue, now time.Time) (out [][]byte, dropped int) {
	for q := fq.dequeue(now, func(*queued) { dropped++ }); q != nil; q = fq.dequeue(now, func(*queued) { dropped++ }) {
		out = append(out, q.frame)
	}
	return out, dropped
}

// A newer pure ACK replaces an older one only when that one is the last
// packet of its flow's queue, only pure ACKs wait there, and it carries
// nothing the newer lacks.
func TestACKFilter(t *testing.T) {
	data := ipv4(6, ports(tcpSegment(0x18, 20, []byte("data")), 40000, 80))
	sack := ack(1500, 100, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2)
	tests := []struct {
		name         string
		in, want     [][]byte
		wantFiltered uint64
	}{
		{"a run of ACKs", [][]byte{ack(1000, 100), ack(2000, 100), ack(3000, 100)}, [][]byte{ack(3000, 100)}, 2},
		{"behind the flow's data", [][]byte{data, ack(1000, 100), ack(2000, 100)}, [][]byte{data, ack(1000, 100), ack(2000, 100)}, 0},
		{"data between", [][]byte{ack(1000, 100), data, ack(2000, 100)}, [][]byte{ack(1000, 100), data, ack(2000, 100)}, 0},
		{"duplicate ACKs", [][]byte{ack(1000, 100), ack(1000, 100), ack(1000, 100)}, [][]byte{ack(1000, 100), ack(1000, 100), ack(1000, 100)}, 0},
		{"SACK blocks kept", [][]byte{sack, ack(2000, 100)}, [][]byte{sack, ack(2000, 100)}, 0},
		{"less window", [][]byte{ack(1000, 200), ack(2000, 100)}, [][]byte{ack(1000, 200), ack(2000, 100)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fq flowQueue
			fq.init()
			at := time.Unix(0, 0)
			for _, p := range tt.in {
				fqPush(&fq, p, at)
			}
			got, _ := fqDrain(&fq, at)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("line order (-want +got):\n%s", diff)
			}
			if n := fq.acksDropped.Load(); n != tt.wantFiltered {
				t.Errorf("%d ACKs filtered, want %d", n, tt.wantFiltered)
			}
		})
	}
}

// Flows take turns, a quantum each, new flows first; within a flow the
// order is kept.
func TestFlowQueueRoundRobin(t *testing.T) {
	flow := func(port uint16, c byte) []byte {
		return ipv4(6, ports(tcpSegment(0x18, 20, bytes.Repeat([]byte{c}, 1000)), port, 80))
	}
	a, b := flow(1, 'a'), flow(2, 'b')
	var fq flowQueue
	fq.init()
	at := time.Unix(0, 0)
	for range 4 {
		fqPush(&fq, a, at)
	}
	for range 4 {
		fqPush(&fq, b, at)
	}
	got, _ := fqDrain(&fq, at)
	var order []byte
	for _, p := range got {
		order = append(order, p[40])
	}
	// 1514 octets of credit a round for 1040-octet packets: the first
	// round sends two of each (the credit went negative only after the
	// second), and the remainder carries over.
	if want := "aabbabab"; string(order) != want {
		t.Errorf("line order %q, want %q", order, want)
	}
}

// On a slow line the round robin's quantum shrinks to CAKE's 300
// octets, so that an interactive flow that was served a moment ago,
// and so stands among the old flows, waits behind at most two of a bulk
// flow's frames, not a full frame's worth of credit in them: at 9600
// bit/s six 232-octet frames of a clamped MSS, 1.5 s of line time.
func TestFlowQueueQuantumFollowsRate(t *testing.T) {
	bulk := ipv4(6, ports(tcpSegment(0x18, 20, bytes.Repeat([]byte("b"), 192)), 1, 80))
	echo := ipv4(6, ports(tcpSegment(0x18, 20, []byte("e")), 2, 80))
	for _, tt := range []struct {
		name   string
		rate   int
		atMost int // bulk frames before the echo's second request
	}{
		{"9600 bit/s", 960, 2},
		{"150 Mbit/s", 150e6 / 8, 7},
		{"rate unknown", 0, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var fq flowQueue
			fq.init()
			fq.setRate(tt.rate)
			at := time.Unix(0, 0)
			for range 20 {
				fqPush(&fq, bulk, at)
			}
			fqPush(&fq, echo, at)
			// The echo's first request, new, goes ahead; once it has
			// left, its flow stands among the old ones.
			var served []byte
			take := func() {
				q := fq.dequeue(at, func(*queued) {})
				if q == nil {
					t.Fatal("queue empty")
				}
				served = append(served, q.frame[len(q.frame)-1])
			}
			for !bytes.Contains(served, []byte("e")) {
				take()
			}
			take() // the bulk flow's next frame is on the line
			fqPush(&fq, echo, at)
			before := 0
			for take(); served[len(served)-1] != 'e'; take() {
				before++
			}
			before++ // the frame already taken when the echo came
			if before > tt.atMost {
				t.Errorf("%d bulk frames before the echo, want at most %d", before, tt.atMost)
			}
			if tt.rate == 0 && before < 3 {
				t.Errorf("%d bulk frames before the echo with the full quantum: the test does not see the quantum", before)
			}
		})
	}
}

// CoDel drops nothing until the head has waited longer than the target
// for an interval, then drops at a rising rate; before the line's rate
// is known, or while only one flow holds more than a quantum, it never
// drops.
func TestFlowQueueCoDel(t *testing.T) {
	data := func(port uint16) []byte {
		return ipv4(6, ports(tcpSegment(0x18, 20, bytes.Repeat([]byte("x"), 1400)), port, 80))
	}
	const rate = 11520 // 115200 bit/s
	p := codelFor(rate)
	if p.target < 190*time.Millisecond || p.interval < 2*p.target {
		t.Fatalf("at 115200 bit/s: %+v, want a target of 1.5 frames and an interval of two targets", p)
	}
	for _, tt := range []struct {
		name      string
		rate      int
		backlog   int // frames queued, kept so as the line takes them
		flows     uint16
		wantDrops bool
	}{
		{"short queues", rate, 2, 2, false},
		{"standing queues", rate, 20, 2, true},
		{"one flow alone", rate, 20, 1, false},
		{"rate unknown", 0, 20, 2, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var fq flowQueue
			fq.init()
			fq.setRate(tt.rate)
			now := time.Unix(0, 0)
			pkts := make([][]byte, tt.flows)
			for i := range pkts {
				pkts[i] = data(40000 + uint16(i))
			}
			pkt := pkts[0]
			for i := range tt.backlog {
				fqPush(&fq, pkts[i%len(pkts)], now)
			}
			// The line takes a frame per frame time, and the sender
			// sends one for each.
			dropped := 0
			for i := range 100 {
				if fq.dequeue(now, func(*queued) { dropped++ }) == nil {
					t.Fatal("queue empty")
				}
				fqPush(&fq, pkts[i%len(pkts)], now)
				now = now.Add(time.Duration(len(pkt)) * time.Second / rate)
			}
			if (dropped > 0) != tt.wantDrops {
				t.Errorf("CoDel dropped %d of %d, want drops: %v", dropped, 100+tt.backlog, tt.wantDrops)
			}
			if got := fq.codelDrops.Load(); got != uint64(dropped) {
				t.Errorf("codelDrops = %d, want %d", got, dropped)
			}
		})
	}
}

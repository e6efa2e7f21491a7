package netstack

import (
	"math"
	"testing"
	"time"
)

func TestWindowFor(t *testing.T) {
	const mss = 1460
	tests := []struct {
		name   string
		rate   int
		rtt    time.Duration
		gain   float64
		shares int
		want   int
	}{
		// 11520 octets a second × 210 ms × 1.25 = 3024 octets.
		{"115200 bit/s alone", 11520, 210 * time.Millisecond, 1, 1, 3024 + 3*mss},
		{"115200 bit/s, one of two", 11520, 210 * time.Millisecond, 1, 2, 1512 + 3*mss},
		{"no round trip yet", 11520, 0, 1, 1, 2880 + 3*mss},
		// A handshake's 10 ms round trip on a line without latency
		// counts as a full frame's: (1460 + 48) × 1.25 = 1885 octets.
		{"115200 bit/s without latency", 11520, 10 * time.Millisecond, 1, 1, 1885 + 3*mss},
		{"115200 bit/s without latency, one of two", 11520, 10 * time.Millisecond, 1, 2, 942 + 3*mss},
		{"2 Mbit/s at gain 2", 200000, 200 * time.Millisecond, 2, 1, 2 * (50000 + 3*mss)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := windowFor(tt.rate, mss, tt.rtt, tt.gain, tt.shares); got != tt.want {
				t.Errorf("windowFor = %d, want %d", got, tt.want)
			}
		})
	}
}

// The gain grows while connections receive in bulk and the line carries
// less than it could, and shrinks back, no lower than rwcGain, while it
// is full; a period without bulk receivers leaves it alone.
func TestWindowControlAdapt(t *testing.T) {
	const rate = 11520
	var in uint64
	w := newWindowControl(rate, 1460, func() uint64 { return in })
	now := time.Unix(0, 0)
	w.since, w.inStart = now, 0
	tick := func(utilisation float64, bulk bool) {
		now = now.Add(rwcTick)
		in += uint64(utilisation * rate * rwcTick.Seconds())
		w.adapt(now, bulk)
	}
	period := func(utilisation float64, bulk bool) float64 {
		t.Helper()
		for range 32 { // 3.2 s: one period at this rate (24 frames, 3.14 s)
			tick(utilisation, bulk)
		}
		return w.gain
	}
	const want = rwcGain * rwcFull / 0.75
	if g := period(0.75, true); math.Abs(g-want) > 0.01 {
		t.Fatalf("gain after a period at 0.75 of the line %v, want %v", g, want)
	}
	if g := period(0.5, false); math.Abs(g-want) > 0.01 {
		t.Fatalf("gain after a period without bulk receivers %v, want it kept at %v", g, want)
	}
	for range 20 {
		period(0.5, true)
	}
	if w.gain != rwcMaxGain {
		t.Fatalf("gain after a long idle line %v, want the bound %v", w.gain, rwcMaxGain)
	}
	for range 40 {
		period(0.99, true)
	}
	if w.gain != rwcGain {
		t.Fatalf("gain after a long full line %v, want the floor %v", w.gain, rwcGain)
	}
	period(0.96, true)
	if w.gain != rwcGain {
		t.Fatalf("gain after a period between idle and full %v, want it kept at %v", w.gain, rwcGain)
	}
	// A tick without bulk receivers starts the period again: the gain
	// changes a whole period of bulk receiving after it, not sooner.
	for range 20 {
		tick(0.5, true)
	}
	tick(0.5, false)
	for range 20 { // 4.1 s since the last change, 2 s since the restart
		tick(0.5, true)
	}
	if w.gain != rwcGain {
		t.Fatalf("gain %v before a whole period of bulk receiving, want it kept at %v", w.gain, rwcGain)
	}
	for range 12 { // 3.2 s since the restart
		tick(0.5, true)
	}
	if w.gain <= rwcGain {
		t.Fatalf("gain %v a period after the restart at 0.5 of the line, want it grown", w.gain)
	}
}

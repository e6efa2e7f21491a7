package sim

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// drain pops everything the FIFO holds.
func (f *fifo) drain() []byte {
	var out []byte
	for b := f.pop(chunkSize); b != nil; b = f.pop(chunkSize) {
		out = append(out, b...)
	}
	return out
}

// The FIFO keeps whole frames up to its limit and drops, at the tail,
// the frames that do not fit, with the rest of a frame begun in an
// earlier Write.
func TestFifoDropTail(t *testing.T) {
	frame := func(c byte, n int) []byte {
		return append(append([]byte{hdlcFlag}, bytes.Repeat([]byte{c}, n)...), hdlcFlag)
	}
	for _, tc := range []struct {
		name      string
		limit     int
		writes    [][]byte
		want      []byte
		wantDrops uint64
	}{{
		name:   "fits",
		limit:  100,
		writes: [][]byte{frame('a', 10), frame('b', 10)},
		want:   append(frame('a', 10), frame('b', 10)...),
	}, {
		name:      "second frame of a write dropped whole",
		limit:     20,
		writes:    [][]byte{append(frame('a', 10), frame('b', 10)...)},
		want:      frame('a', 10),
		wantDrops: 1,
	}, {
		name:      "rest of a dropped frame dropped",
		limit:     20,
		writes:    [][]byte{frame('a', 10), {hdlcFlag, 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b'}, {'b', hdlcFlag}, frame('c', 2)},
		want:      append(frame('a', 10), frame('c', 2)...),
		wantDrops: 1,
	}, {
		name:   "rest of a kept frame kept past the limit",
		limit:  8,
		writes: [][]byte{{hdlcFlag}, bytes.Repeat([]byte{'a'}, 6), bytes.Repeat([]byte{'a'}, 6), {hdlcFlag}},
		want:   append(append([]byte{hdlcFlag}, bytes.Repeat([]byte{'a'}, 12)...), hdlcFlag),
	}, {
		// Text without flags (the modem's own responses) continues the
		// unit it began.
		name:   "text without flags",
		limit:  10,
		writes: [][]byte{[]byte("\r\nOK\r\n"), []byte("\r\nOK\r\n")},
		want:   []byte("\r\nOK\r\n\r\nOK\r\n"),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fifo{limit: tc.limit, bps: 115200, ready: make(chan struct{}, 1)}
			for _, w := range tc.writes {
				f.push(w)
			}
			if diff := cmp.Diff(tc.want, f.drain()); diff != "" {
				t.Errorf("line carried (-want +got):\n%s", diff)
			}
			if got := f.stats().TxDrops; got != tc.wantDrops {
				t.Errorf("%d drops, want %d", got, tc.wantDrops)
			}
		})
	}
}

// The FIFO holds the buffer's time at the line rate, and pops in chunks.
func TestFifoLimit(t *testing.T) {
	f := newFifo(115200, 4*time.Second)
	if f.limit != 46080 {
		t.Errorf("4 s at 115200 bit/s holds %d octets, want 46080", f.limit)
	}
	f.push(bytes.Repeat([]byte{'a'}, 3*chunkSize))
	if b := f.pop(chunkSize); len(b) != chunkSize {
		t.Errorf("popped %d octets, want %d", len(b), chunkSize)
	}
	s := f.stats()
	if s.TxQueued != 2*chunkSize || s.TxPeakQueue != 3*chunkSize {
		t.Errorf("queued %d, peak %d; want %d and %d", s.TxQueued, s.TxPeakQueue, 2*chunkSize, 3*chunkSize)
	}
	if want := time.Duration(3*chunkSize) * 10 * time.Second / 115200; s.TxPeakDelay != want {
		t.Errorf("peak delay %v, want %v", s.TxPeakDelay, want)
	}
}

// With a FIFO, Write returns at once however much is written; what does
// not fit is dropped, and the rest arrives at the line's rate.
func TestPaceLineFifo(t *testing.T) {
	const bps = 9600 // 960 octets a second
	clk := newArmedClock()
	a, b := ppptest.Pipe()
	p := PaceLine(a, LineConfig{BitsPerSecond: bps, TxBuffer: time.Second, Clock: clk})
	defer p.Close()
	defer b.Close()
	frame := append(append([]byte{hdlcFlag}, Pattern(98)...), hdlcFlag)
	var all []byte
	for range 20 {
		all = append(all, frame...)
	}
	if n, err := p.Write(all); n != len(all) || err != nil {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(all))
	}
	// 960 octets hold 9 frames of 100.
	if s := p.Stats(); s.TxDrops != 11 || s.TxPeakQueue != 900 || s.TxDropOctets != 1100 {
		t.Errorf("stats %+v, want 11 drops of 1100 octets and 900 octets queued at most", s)
	}
	got := make(chan []byte, 1)
	go func() {
		buf := make([]byte, 900)
		k, _ := io.ReadFull(b, buf)
		got <- buf[:k]
	}()
	start := clk.Now()
	for {
		select {
		case d := <-clk.armed:
			clk.Advance(d)
			continue
		case g := <-got:
			if !bytes.Equal(g, bytes.Repeat(frame, 9)) {
				t.Fatalf("got %d octets, not the 9 frames", len(g))
			}
		}
		break
	}
	if took, want := clk.Now().Sub(start), 900*10*time.Second/bps; took != want {
		t.Errorf("900 octets took %v, want %v", took, want)
	}
}

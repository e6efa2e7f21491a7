package ppptest

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sink is a WriteCloser that keeps what it is given.
type sink struct {
	bytes.Buffer
	closed bool
}

func (s *sink) Read([]byte) (int, error) { return 0, io.EOF }
func (s *sink) Close() error             { s.closed = true; return nil }

func randomBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	return p
}

// send writes data through Faulty(f) in chunks of size chunk and returns
// what came out and the fault counters.
func send(t *testing.T, f Faults, data []byte, chunk int) ([]byte, FaultStats) {
	t.Helper()
	var s sink
	c := Faulty(&s, f)
	for p := data; len(p) > 0; {
		k := min(chunk, len(p))
		if n, err := c.Write(p[:k]); n != k || err != nil {
			t.Fatalf("Write(%d octets) = %d, %v", k, n, err)
		}
		p = p[k:]
	}
	return s.Bytes(), c.Stats()
}

func TestFaultsZeroIsTransparent(t *testing.T) {
	data := randomBytes(1<<20, 1)
	got, stats := send(t, Faults{Seed: 7}, data, 1000)
	if !bytes.Equal(got, data) {
		t.Error("output differs from input")
	}
	if diff := cmp.Diff(FaultStats{}, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestFaultsCountersMatchDamage(t *testing.T) {
	const size = 200 << 10
	data := randomBytes(size, 2)
	tests := []struct {
		name string
		f    Faults
		// extra returns how many octets the faults added, net of drops.
		extra func(FaultStats) int64
		// count is the fault counter the damage must be non-zero in.
		count func(FaultStats) int64
	}{
		{"bits", Faults{BER: 1e-4}, func(FaultStats) int64 { return 0 }, func(s FaultStats) int64 { return s.BitsFlipped }},
		{"drop", Faults{Drop: 1e-3}, func(s FaultStats) int64 { return -s.Dropped }, func(s FaultStats) int64 { return s.Dropped }},
		{"duplicate", Faults{Duplicate: 1e-3}, func(s FaultStats) int64 { return s.Duplicated }, func(s FaultStats) int64 { return s.Duplicated }},
		{"insert", Faults{Insert: 1e-3}, func(s FaultStats) int64 { return s.Inserted }, func(s FaultStats) int64 { return s.Inserted }},
		{"burst", Faults{BurstEvery: 10000, BurstLen: 100}, func(s FaultStats) int64 { return 100 * s.Bursts }, func(s FaultStats) int64 { return s.Bursts }},
		{"mixed", Faults{Drop: 1e-3, Duplicate: 1e-3, Insert: 1e-3, BurstEvery: 10000, BurstLen: 7},
			func(s FaultStats) int64 { return s.Duplicated + s.Inserted + 7*s.Bursts - s.Dropped },
			func(s FaultStats) int64 { return s.Dropped * s.Duplicated * s.Inserted * s.Bursts }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Seed = 42
			got, stats := send(t, tt.f, data, 4096)
			if tt.count(stats) == 0 {
				t.Fatalf("no faults injected: %+v", stats)
			}
			if want := size + tt.extra(stats); int64(len(got)) != want {
				t.Errorf("output is %d octets, want %d for %+v", len(got), want, stats)
			}
			// The same seed does the same damage, however the writes
			// are split.
			again, stats2 := send(t, tt.f, data, 333)
			if !bytes.Equal(got, again) {
				t.Error("same seed, different damage")
			}
			if diff := cmp.Diff(stats, stats2); diff != "" {
				t.Errorf("same seed, stats (-first +second):\n%s", diff)
			}
		})
	}
}

func TestFaultsDropOnlyRemovesOctets(t *testing.T) {
	data := randomBytes(100<<10, 3)
	got, stats := send(t, Faults{Drop: 0.01, Seed: 5}, data, 4096)
	// What came out is a subsequence of what went in.
	i := 0
	for _, b := range data {
		if i < len(got) && got[i] == b {
			i++
		}
	}
	if i != len(got) {
		t.Errorf("output is not a subsequence of the input: matched %d of %d", i, len(got))
	}
	if int64(len(data)-len(got)) != stats.Dropped {
		t.Errorf("%d octets missing, Dropped = %d", len(data)-len(got), stats.Dropped)
	}
}

func TestFaultsBitErrorRate(t *testing.T) {
	const size = 10 << 20
	const ber = 1e-4
	data := randomBytes(size, 4)
	start := time.Now()
	got, stats := send(t, Faults{BER: ber, Seed: 9}, data, 32<<10)
	t.Logf("%d MB in %v", size>>20, time.Since(start))
	if len(got) != size {
		t.Fatalf("output is %d octets, want %d", len(got), size)
	}
	var flipped int64
	for i := range got {
		flipped += int64(bits.OnesCount8(got[i] ^ data[i]))
	}
	if flipped != stats.BitsFlipped {
		t.Errorf("%d bits differ, BitsFlipped = %d", flipped, stats.BitsFlipped)
	}
	// About 8400 flips expected, standard deviation about 92: allow 10.
	want := ber * 8 * size
	if math.Abs(float64(flipped)-want) > 10*math.Sqrt(want) {
		t.Errorf("%d bits flipped, want about %.0f", flipped, want)
	}
}

func TestFaultsCloseAfter(t *testing.T) {
	var s sink
	c := Faulty(&s, Faults{CloseAfter: 10})
	if n, err := c.Write([]byte("0123456")); n != 7 || err != nil {
		t.Fatalf("first Write = %d, %v; want 7, nil", n, err)
	}
	if n, err := c.Write([]byte("789abc")); n != 3 || !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("second Write = %d, %v; want 3, io.ErrClosedPipe", n, err)
	}
	if n, err := c.Write([]byte("d")); n != 0 || !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("Write after close = %d, %v; want 0, io.ErrClosedPipe", n, err)
	}
	if !s.closed {
		t.Error("underlying stream not closed")
	}
	if got := s.String(); got != "0123456789" {
		t.Errorf("delivered %q, want %q", got, "0123456789")
	}
}

func TestFaultsCloseAfterOnPipe(t *testing.T) {
	a, b := Pipe()
	c := Faulty(a, Faults{CloseAfter: 4})
	if _, err := c.Write([]byte("hello")); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("Write = %v, want io.ErrClosedPipe", err)
	}
	got, err := io.ReadAll(b)
	if err != nil || string(got) != "hell" {
		t.Errorf("peer read %q, %v; want %q, nil", got, err, "hell")
	}
}

func TestFaultsStall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var s sink
		c := Faulty(&s, Faults{Stall: time.Second, StallEvery: 1, Seed: 1})
		start := time.Now()
		if _, err := c.Write([]byte("abc")); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("Write took %v, want 3s", got)
		}
		if got := c.Stats().Stalls; got != 3 {
			t.Errorf("Stalls = %d, want 3", got)
		}
		if s.String() != "abc" {
			t.Errorf("delivered %q, want %q", s.String(), "abc")
		}
	})
}

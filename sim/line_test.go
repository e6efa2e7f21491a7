package sim

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// transfer copies n pattern bytes from w to r and reports, on the
// returned channels, what r got and when w.Write returned, read from clk.
func transfer(w io.Writer, r io.Reader, n int, now func() time.Time) (got <-chan []byte, wrote <-chan time.Time) {
	gotc, wrotec := make(chan []byte, 1), make(chan time.Time, 1)
	go func() {
		w.Write(Pattern(n))
		wrotec <- now()
	}()
	go func() {
		b := make([]byte, n)
		k, _ := io.ReadFull(r, b)
		gotc <- b[:k]
	}()
	return gotc, wrotec
}

// The rate, exactly, in both directions: with no latency, the only timer
// is the one pacing the bytes, so the test can step the clock from one to
// the next.
func TestPaceRate(t *testing.T) {
	const (
		n   = 10 << 10
		bps = 9600
	)
	for _, dir := range []string{"write", "read"} {
		t.Run(dir, func(t *testing.T) {
			clk := newArmedClock()
			a, b := ppptest.Pipe()
			p := Pace(a, bps, 0, clk)
			defer p.Close()
			defer b.Close()
			start := clk.Now()
			var got <-chan []byte
			var wrote <-chan time.Time
			if dir == "write" {
				got, wrote = transfer(p, b, n, clk.Now)
			} else {
				got, wrote = transfer(b, p, n, clk.Now)
			}
			for {
				select {
				case d := <-clk.armed:
					clk.Advance(d)
					continue
				case b := <-got:
					if !bytes.Equal(b, Pattern(n)) {
						t.Fatalf("got %d bytes, not the %d sent", len(b), n)
					}
				}
				break
			}
			want := time.Duration(n) * 10 * time.Second / bps
			if took := clk.Now().Sub(start); took != want {
				t.Errorf("%d bytes took %v at %d bit/s, want %v", n, took, bps, want)
			}
			if dir == "write" {
				// The writer waited for all but the buffered bytes.
				buffered := txBufferChunks*chunkSize + chunkSize
				early := time.Duration(buffered) * 10 * time.Second / bps
				if w := (<-wrote).Sub(start); w < want-early {
					t.Errorf("Write returned after %v, want at least %v: the buffer is not bounded", w, want-early)
				}
			}
		})
	}
}

// Each byte arrives latency after it was sent, and not before.
func TestPaceLatency(t *testing.T) {
	clk := newArmedClock()
	a, b := ppptest.Pipe()
	p := Pace(a, 0, 300*time.Millisecond, clk)
	defer p.Close()
	defer b.Close()
	got, _ := transfer(p, b, 100, clk.Now)
	if d := clk.waitArmed(t); d != 300*time.Millisecond {
		t.Fatalf("timer of %v set, want the latency", d)
	}
	select {
	case b := <-got:
		t.Fatalf("%d bytes arrived before the latency passed", len(b))
	default:
	}
	clk.Advance(300 * time.Millisecond)
	if b := <-got; !bytes.Equal(b, Pattern(100)) {
		t.Errorf("got %q", b)
	}
}

// On the system clock, over a second, the rate holds and the latency is
// added once.
func TestPaceRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a second")
	}
	const (
		n       = 100 << 10
		bps     = 1 << 20
		latency = 20 * time.Millisecond
	)
	a, b := ppptest.Pipe()
	p := Pace(a, bps, latency, nil)
	defer p.Close()
	defer b.Close()
	start := time.Now()
	got, _ := transfer(p, b, n, time.Now)
	if b := <-got; !bytes.Equal(b, Pattern(n)) {
		t.Fatalf("got %d bytes, not the %d sent", len(b), n)
	}
	took := time.Since(start)
	want := time.Duration(n)*10*time.Second/bps + latency
	// The line is never early; late wake-ups on a loaded machine add to
	// the end, hence the generous upper bound.
	if took < want-want/100 || took > want+want/4 {
		t.Errorf("%d bytes took %v at %d bit/s and %v latency, want %v", n, took, bps, latency, want)
	}
}

// The end of the stream and errors pass through, after the data.
func TestPaceEOF(t *testing.T) {
	a, b := ppptest.Pipe()
	p := Pace(a, 1<<20, time.Millisecond, nil)
	defer p.Close()
	b.Write([]byte("last words"))
	b.Close()
	got, err := io.ReadAll(p)
	if string(got) != "last words" || err != nil {
		t.Errorf("ReadAll = %q, %v; want the data and EOF", got, err)
	}
	if _, err := p.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("Read after EOF: %v", err)
	}
	p.Close()
	if _, err := p.Write([]byte("x")); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("Write after Close: %v", err)
	}
}

func TestPaceNothing(t *testing.T) {
	a, _ := ppptest.Pipe()
	if p := Pace(a, 0, 0, nil); p != io.ReadWriteCloser(a) {
		t.Error("Pace without a rate or a latency wrapped the line")
	}
}

package test

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/sim"
)

// The line of the receive-window control tests: as the latency
// benchmark's, 115200 bit/s with 100 ms each way and the operator's 4 s
// drop-tail FIFO toward the client.
var rwcLine = sim.LineConfig{BitsPerSecond: 115200, Latency: 100 * time.Millisecond, TxBuffer: 4 * time.Second}

const (
	// rwcWarmUp lets the downloads get past slow start.
	rwcWarmUp = 4 * time.Second
	// rwcWindow is how long the downloads are measured: 115 KB of
	// line time, so that a few frames more or less make under 2%.
	rwcWindow = 10 * time.Second
)

// startDownloads opens n downloads from the simulator's source over
// link, each counting into its own counter, until the test ends.
func startDownloads(t *testing.T, link *gprsppp.Link, n int) []*atomic.Int64 {
	t.Helper()
	counts := make([]*atomic.Int64, n)
	var wg sync.WaitGroup
	var conns []net.Conn
	for i := range counts {
		counts[i] = new(atomic.Int64)
		c, err := link.DialContext(context.Background(), "tcp", "10.64.64.1:5001")
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		wg.Go(func() { io.Copy(counter{counts[i]}, c) })
	}
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
		wg.Wait()
	})
	return counts
}

// measure waits out the warm-up, then returns the octets each counter
// gained over rwcWindow and how long that took.
func measure(counts []*atomic.Int64) ([]int64, time.Duration) {
	<-time.After(rwcWarmUp) // the transfers' warm-up, not synchronisation
	start := make([]int64, len(counts))
	for i, c := range counts {
		start[i] = c.Load()
	}
	t0 := time.Now()
	<-time.After(rwcWindow) // the measured period
	got := make([]int64, len(counts))
	for i, c := range counts {
		got[i] = c.Load() - start[i]
	}
	return got, time.Since(t0)
}

// With receive-window control on, one download still fills the line:
// at least 0.93 of it in goodput (the ceiling without header compression
// is about 0.95), while the operator's FIFO never fills to dropping.
func TestWindowControlOneDownloadFillsLine(t *testing.T) {
	t.Parallel()
	rate := rwcLine.BitsPerSecond / 10
	link, _, paced := dialSimLineRate(t, rwcLine, 0, rate)
	got, elapsed := measure(startDownloads(t, link, 1))
	fraction := float64(got[0]) / (float64(rate) * elapsed.Seconds())
	st := paced.Stats()
	t.Logf("%d octets in %v: %.3f of the line; downlink FIFO peak %d octets (%v), %d drops",
		got[0], elapsed, fraction, st.TxPeakQueue, st.TxPeakDelay, st.TxDrops)
	if fraction < 0.93 {
		t.Errorf("goodput %.3f of the line, want at least 0.93", fraction)
	}
	if st.TxDrops != 0 {
		t.Errorf("the downlink FIFO dropped %d frames: the window let the queue fill", st.TxDrops)
	}
	if queued := st.TxQueued; queued > 8<<10 {
		t.Errorf("%d octets wait in the downlink FIFO at the end, want at most a window's 8 KiB", queued)
	}
}

// With receive-window control on, two downloads at once share the line
// within 10% of each other.
func TestWindowControlTwoDownloadsShare(t *testing.T) {
	t.Parallel()
	rate := rwcLine.BitsPerSecond / 10
	link, _, _ := dialSimLineRate(t, rwcLine, 0, rate)
	got, elapsed := measure(startDownloads(t, link, 2))
	a, b := float64(got[0]), float64(got[1])
	t.Logf("%d and %d octets in %v: %.3f of the line together", got[0], got[1], elapsed, (a+b)/(float64(rate)*elapsed.Seconds()))
	if a == 0 || b == 0 || max(a, b)/min(a, b) > 1.1 {
		t.Errorf("the downloads got %d and %d octets: not within 10%% of each other", got[0], got[1])
	}
}

// With receive-window control on the network side too (as the simulator
// has on a paced line), an upload's data in flight is bounded by the
// network side's window: the client's output queue never holds it long
// enough to drop (without the control it fills to MaxQueueDelay and
// drops there), while the upload still gets most of the line.
func TestWindowControlUploadKeepsQueueShort(t *testing.T) {
	t.Parallel()
	rate := rwcLine.BitsPerSecond / 10
	link, sunk, _ := dialSimLineRate(t, rwcLine, 0, rate)
	c, err := link.DialContext(context.Background(), "tcp", "10.64.64.1:5002")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		chunk := make([]byte, 4096)
		for {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	t.Cleanup(func() {
		c.Close()
		wg.Wait()
	})
	got, elapsed := measure([]*atomic.Int64{sunk})
	fraction := float64(got[0]) / (float64(rate) * elapsed.Seconds())
	st := link.Stats()
	t.Logf("%d octets in %v: %.3f of the line; client's output queue: %d drops, peak delay %v",
		got[0], elapsed, fraction, st.QueueDrops, st.PeakQueueDelay)
	if fraction < 0.85 {
		t.Errorf("upload goodput %.3f of the line, want at least 0.85", fraction)
	}
	if st.QueueDrops != 0 {
		t.Errorf("the client's output queue dropped %d packets: the network side's window let it fill", st.QueueDrops)
	}
	if st.PeakQueueDelay > 2*time.Second {
		t.Errorf("a packet waited %v in the client's output queue, want at most 2 s", st.PeakQueueDelay)
	}
}

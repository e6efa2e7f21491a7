package test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// Ports of the bulk services latencyBench runs on the network side, next
// to the simulator's own.
const (
	sourcePort = 5001 // writes without end: a download
	sinkPort   = 5002 // reads and counts: an upload
)

// noWindowControl turns the client's receive-window control off, to
// measure without it: go test -bench LatencyUnderLoad ./test -args -no-rwc
var noWindowControl = flag.Bool("no-rwc", false, "dial the simulator without receive-window control")

// noNetworkWindowControl turns the simulator's network-side
// receive-window control off (it is on for a paced line, as with
// `gprsppp sim --baud`): go test -bench LatencyUnderLoad ./test -args -no-net-rwc
var noNetworkWindowControl = flag.Bool("no-net-rwc", false, "run the simulator's network side without receive-window control")

// dialSimLine dials the simulator over a line paced as line describes
// and returns the client's link with the network side's counter of
// octets its sink received. The network side also serves sourcePort and
// sinkPort. The client knows the line's rate, as a link over a serial
// line would, unless -no-rwc; so does the network side, as `gprsppp sim
// --baud` tells it, unless -no-net-rwc.
func dialSimLine(b testing.TB, line sim.LineConfig, patternSize int) (*gprsppp.Link, *atomic.Int64) {
	link, sunk, _ := dialSimLineRate(b, line, patternSize, line.BitsPerSecond/10)
	return link, sunk
}

// dialSimLineRate is dialSimLine with the line rate the client is told
// (zero: none; -no-rwc makes it zero), and returns the paced line too.
func dialSimLineRate(b testing.TB, line sim.LineConfig, patternSize, lineRate int) (*gprsppp.Link, *atomic.Int64, *sim.Line) {
	client, modemEnd := ppptest.OSPipe(b)
	// A UART's driver queues a few KiB, not a pipe's 64.
	if err := client.SetWriteBuffer(4096); err != nil {
		b.Fatal(err)
	}
	gw := netip.MustParseAddr("10.64.64.1")
	sunk := new(atomic.Int64)
	var bulk bulkServices
	network := gprsppp.NetworkConfig{
		LocalAddr: gw, DNS: []netip.Addr{gw},
		LineRate: line.BitsPerSecond / 10,
		Ready:    func(l *gprsppp.Link) error { return bulk.start(l, sunk) },
	}
	if *noNetworkWindowControl {
		network.LineRate = 0
	}
	modem := sim.NewModem(sim.ModemConfig{
		Network:  network,
		Services: sim.Services{Names: map[string][]netip.Addr{"sim.gprsppp": {gw}}, PatternSize: patternSize},
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	paced := sim.PaceLine(modemEnd, line)
	go func() {
		modem.Serve(ctx, paced)
		close(served)
	}()
	dctx, dcancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer dcancel()
	cfg := gprsppp.Config{LineRate: lineRate}
	if *noWindowControl {
		cfg.LineRate = 0
	}
	link, err := gprsppp.DialPort(dctx, client, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		link.Close()
		cancel()
		<-served
		bulk.close()
		if s := paced.Stats(); s.TxDrops > 0 {
			b.Logf("downlink FIFO: %d frames dropped, peak delay %v", s.TxDrops, s.TxPeakDelay)
		}
	})
	return link, sunk, paced
}

// bulkServices are the network side's source and sink.
type bulkServices struct {
	mu        sync.Mutex
	listeners []net.Listener
	wg        sync.WaitGroup
}

// start listens on the network side's link for the source and the sink.
func (s *bulkServices) start(l *gprsppp.Link, sunk *atomic.Int64) error {
	src, err := l.Listen("tcp", ":5001")
	if err != nil {
		return err
	}
	sink, err := l.Listen("tcp", ":5002")
	if err != nil {
		src.Close()
		return err
	}
	s.mu.Lock()
	s.listeners = append(s.listeners, src, sink)
	s.mu.Unlock()
	s.wg.Add(2)
	go s.routineAccept(src, func(c net.Conn) {
		chunk := make([]byte, 32<<10)
		for {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	go s.routineAccept(sink, func(c net.Conn) {
		io.Copy(counter{sunk}, c)
	})
	return nil
}

// routineAccept serves each connection of ln with serve.
func (s *bulkServices) routineAccept(ln net.Listener, serve func(net.Conn)) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			serve(c)
		}()
	}
}

func (s *bulkServices) close() {
	s.mu.Lock()
	for _, ln := range s.listeners {
		ln.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// counter is an io.Writer that counts.
type counter struct{ n *atomic.Int64 }

func (c counter) Write(b []byte) (int, error) {
	c.n.Add(int64(len(b)))
	return len(b), nil
}

// Timing of one latency measurement.
const (
	// latencyWarmUp lets the bulk transfers fill the queues before the
	// echoes are timed.
	latencyWarmUp = 5 * time.Second
	// latencyWindow is how long the echoes are timed.
	latencyWindow = 15 * time.Second
	// echoGap is the pause between one echo's reply and the next.
	echoGap = 100 * time.Millisecond
	// echoSize is the echoed message: a keystroke, a telemetry record,
	// a Modbus poll.
	echoSize = 32
)

// BenchmarkLatencyUnderLoad measures the round
// trip of a small TCP echo (the simulator's port 7) over a line paced at
// 115200 bit/s with 100 ms of latency each way and the operator's 4 s
// drop-tail FIFO toward the client, while the link is idle, during a bulk
// download, during a bulk upload and during both, with the bulk goodput
// each way as a fraction of the line rate. Each case dials a new link.
func BenchmarkLatencyUnderLoad(b *testing.B) { latencyCases(b, 115200) }

// BenchmarkLatencyUnderLoad9600 is BenchmarkLatencyUnderLoad at 9600
// bit/s, GPRS class 2 under poor radio, where one full frame takes the
// line 1.6 s.
func BenchmarkLatencyUnderLoad9600(b *testing.B) { latencyCases(b, 9600) }

// BenchmarkLatencyUnderLoad2M is BenchmarkLatencyUnderLoad at 2 Mbit/s.
func BenchmarkLatencyUnderLoad2M(b *testing.B) { latencyCases(b, 2_000_000) }

// latencyCases runs the four cases at bps bit/s.
func latencyCases(b *testing.B, bps int) {
	line := sim.LineConfig{BitsPerSecond: bps, Latency: 100 * time.Millisecond, TxBuffer: 4 * time.Second}
	for _, tc := range []struct {
		name     string
		down, up bool
	}{
		{"idle", false, false},
		{"download", true, false},
		{"upload", false, true},
		{"both", true, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			latencyBench(b, line, tc.down, tc.up)
		})
	}
}

// latencyBench runs the bulk transfers asked for and times echoes.
func latencyBench(b *testing.B, line sim.LineConfig, down, up bool) {
	link, sunk := dialSimLine(b, line, 0)
	ctx := context.Background()
	var got atomic.Int64 // octets downloaded
	var bulk []net.Conn
	var wg sync.WaitGroup
	defer func() {
		for _, c := range bulk {
			c.Close()
		}
		wg.Wait()
	}()
	start := func(port int, run func(net.Conn)) {
		c, err := link.DialContext(ctx, "tcp", netip.AddrPortFrom(netip.MustParseAddr("10.64.64.1"), uint16(port)).String())
		if err != nil {
			b.Fatal(err)
		}
		bulk = append(bulk, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(c)
		}()
	}
	if down {
		start(sourcePort, func(c net.Conn) { io.Copy(counter{&got}, c) })
	}
	if up {
		start(sinkPort, func(c net.Conn) {
			chunk := make([]byte, 4096)
			for {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		})
	}
	echo, err := link.DialContext(ctx, "tcp", "10.64.64.1:7")
	if err != nil {
		b.Fatal(err)
	}
	defer echo.Close()
	var rtts []time.Duration
	var downOctets, upOctets int64
	var elapsed time.Duration
	b.ResetTimer()
	for range b.N {
		if down || up {
			time.Sleep(latencyWarmUp) // load, not synchronisation
		}
		got0, sunk0, t0 := got.Load(), sunk.Load(), time.Now()
		rtts = append(rtts, echoFor(b, echo, latencyWindow)...)
		elapsed += time.Since(t0)
		downOctets += got.Load() - got0
		upOctets += sunk.Load() - sunk0
	}
	b.StopTimer()
	slices.Sort(rtts)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	rate := float64(line.BitsPerSecond/10) * elapsed.Seconds()
	b.ReportMetric(ms(percentile(rtts, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(rtts, 95)), "p95-ms")
	b.ReportMetric(float64(len(rtts)), "echoes")
	b.ReportMetric(float64(downOctets)/rate, "down-line-fraction")
	b.ReportMetric(float64(upOctets)/rate, "up-line-fraction")
	s := link.Stats()
	b.Logf("client stats: %+v", s)
}

// echoFor sends echoSize octets to c and times the reply, again and
// again, until window has passed, and returns the round trips.
func echoFor(b *testing.B, c net.Conn, window time.Duration) []time.Duration {
	msg := bytes.Repeat([]byte("k"), echoSize)
	reply := make([]byte, echoSize)
	var rtts []time.Duration
	for end := time.Now().Add(window); time.Now().Before(end); {
		t := time.Now()
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		c.SetReadDeadline(t.Add(time.Minute))
		if _, err := io.ReadFull(c, reply); err != nil {
			b.Fatalf("echo after %v: %v", time.Since(t), err)
		}
		rtts = append(rtts, time.Since(t))
		time.Sleep(echoGap) // pacing the probes, not synchronisation
	}
	return rtts
}

// percentile returns the p-th percentile of sorted, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted)+99)/100 - 1
	return sorted[max(i, 0)]
}

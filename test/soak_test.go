package test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// faultyLine is a client's serial line whose written octets are damaged
// on the way: reads and deadlines are the plain line's.
type faultyLine struct {
	ppptest.OSLine
	w *ppptest.FaultyConn
}

func (l faultyLine) Write(p []byte) (int, error) { return l.w.Write(p) }

// BenchmarkSoak runs mixed traffic through the simulator over a noisy
// line (bit errors, garbage bursts) whose carrier drops every 20 s, with
// a supervisor redialling, for GPRSPPP_SOAK (default 1m; the reference
// run is 30m). It reports octets moved, reconnects and data mismatches,
// which must be zero. Outside CI:
//
//	GPRSPPP_SOAK=30m go test -run '^$' -bench Soak -benchtime 1x -timeout 40m ./test
func BenchmarkSoak(b *testing.B) {
	d := time.Minute
	if s := os.Getenv("GPRSPPP_SOAK"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			b.Fatalf("GPRSPPP_SOAK: %v", err)
		}
	}
	faults := ppptest.Faults{BER: 1e-6, BurstEvery: 1 << 20, BurstLen: 100}
	var seed atomic.Uint64
	gw := netip.MustParseAddr("10.64.64.1")
	dial := func(ctx context.Context) (*gprsppp.Link, error) {
		client, modemEnd := ppptest.OSPipe(b)
		fm, fc := faults, faults
		fm.Seed, fc.Seed = seed.Add(1), seed.Add(1)
		modem := sim.NewModem(sim.ModemConfig{
			Network:   gprsppp.NetworkConfig{LocalAddr: gw, DNS: []netip.Addr{gw}},
			DropAfter: 20 * time.Second,
		})
		go modem.Serve(ctx, ppptest.Faulty(modemEnd, fm))
		return gprsppp.DialPort(ctx, faultyLine{client, ppptest.Faulty(client, fc)}, gprsppp.Config{Restart: time.Second})
	}
	var reconnects atomic.Int64
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: dial, Persist: true, Holdoff: 100 * time.Millisecond, MaxFail: -1,
		OnUp: func(*gprsppp.Link) { reconnects.Add(1) },
	})
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	go sup.Run(ctx)

	var moved, mismatches, interrupted atomic.Int64
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := make([]byte, 16<<10<<w)
			got := make([]byte, len(msg))
			for ctx.Err() == nil {
				c, err := sup.DialContext(ctx, "tcp", "10.64.64.1:7")
				if err != nil {
					continue
				}
				c.SetDeadline(time.Now().Add(30 * time.Second))
				rand.Read(msg)
				wrote := make(chan struct{})
				go func() {
					c.Write(msg)
					close(wrote)
				}()
				_, err = io.ReadFull(c, got)
				c.Close()
				<-wrote
				switch {
				case err != nil:
					interrupted.Add(1) // the carrier dropped under it
				case !bytes.Equal(got, msg):
					mismatches.Add(1)
				default:
					moved.Add(int64(2 * len(msg)))
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(moved.Load()), "octets")
	b.ReportMetric(float64(reconnects.Load()-1), "reconnects")
	b.ReportMetric(float64(interrupted.Load()), "interrupted")
	b.ReportMetric(float64(mismatches.Load()), "mismatches")
	if mismatches.Load() != 0 {
		b.Errorf("%d echoes came back different", mismatches.Load())
	}
}

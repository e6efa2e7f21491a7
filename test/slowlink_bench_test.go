package test

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// dialPacedSim dials the simulator over a line paced at bps bit/s with
// latency each way, as `gprsppp sim --baud --latency` does.
func dialPacedSim(b *testing.B, bps int, latency time.Duration, patternSize int) *gprsppp.Link {
	return dialPacedSimT(b, bps, latency, patternSize)
}

func dialPacedSimT(b testing.TB, bps int, latency time.Duration, patternSize int) *gprsppp.Link {
	link, _ := dialSimLine(b, sim.LineConfig{BitsPerSecond: bps, Latency: latency}, patternSize)
	return link
}

// BenchmarkSlowLinkGoodput downloads a file over HTTP through a
// simulator paced at 115200 bit/s (10 bits a byte) and reports the
// goodput as a fraction of the line rate. Without header compression the
// ceiling is about 0.95: 40 octets of TCP/IP and about 8 of PPP framing
// per 1460 of data, plus escaped octets and ACKs sharing nothing.
func BenchmarkSlowLinkGoodput(b *testing.B) {
	const bps, size = 115200, 128 << 10
	link := dialPacedSim(b, bps, 0, size)
	web := &http.Client{Transport: &http.Transport{DialContext: link.DialContext}}
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		download(b, web, size)
	}
	elapsed := time.Since(start)
	goodput := float64(b.N*size) / elapsed.Seconds()
	b.ReportMetric(goodput/(bps/10), "line-fraction")
}

// download fetches the simulator's /pattern.bin and checks its length.
func download(b *testing.B, web *http.Client, size int64) {
	resp, err := web.Get("http://10.64.64.1/pattern.bin")
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || n != size {
		b.Fatalf("read %d of %d: %v", n, size, err)
	}
}

// BenchmarkLinkUpLatency measures PPP from CONNECT to IPCP opened on a
// line with 150 ms of latency each way, in round trips (target: 3).
func BenchmarkLinkUpLatency(b *testing.B) {
	const latency = 150 * time.Millisecond
	for range b.N {
		client, netEnd := ppptest.OSPipe(b)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		nch := make(chan *gprsppp.Link, 1)
		go func() {
			// Two DNS servers, as an operator (and the pppd VM) offers.
			dns := []netip.Addr{netip.MustParseAddr("10.64.64.1"), netip.MustParseAddr("10.64.64.3")}
			l, _ := gprsppp.OpenNetwork(ctx, sim.Pace(netEnd, 0, latency, nil), gprsppp.NetworkConfig{DNS: dns})
			nch <- l
		}()
		start := time.Now()
		l, err := gprsppp.Open(ctx, client, gprsppp.Config{})
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(d)/float64(2*latency), "round-trips")
		b.ReportMetric(float64(d.Milliseconds()), "ms")
		l.Close()
		if n := <-nch; n != nil {
			n.Close()
		}
		cancel()
	}
}

// BenchmarkSlowLinkEcho sends 128 KiB per iteration to the simulator's
// TCP echo service over a line paced at 115200 bit/s each way and reads
// it back as it comes: the upload runs through the client's own TCP and
// output queue (the download benchmark's sender is the simulator's). The
// goodput each way is reported as a fraction of the line rate.
func BenchmarkSlowLinkEcho(b *testing.B) {
	const bps, size = 115200, 128 << 10
	link := dialPacedSim(b, bps, 0, 0)
	c, err := link.DialContext(context.Background(), "tcp", "10.64.64.1:7")
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		sent := make(chan error, 1)
		go func() {
			_, err := c.Write(msg)
			sent <- err
		}()
		got := make([]byte, size)
		if _, err := io.ReadFull(c, got); err != nil {
			b.Fatal(err)
		}
		if err := <-sent; err != nil {
			b.Fatal(err)
		}
		if string(got) != string(msg) {
			b.Fatal("echo differs")
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*size)/elapsed.Seconds()/(bps/10), "line-fraction")
}

// BenchmarkSlowLinkDownloadWhileUploading downloads 128 KiB per iteration
// over HTTP, as BenchmarkSlowLinkGoodput, while another connection keeps
// the other direction of the 115200 bit/s line busy with an upload to
// the discard service. The download's ACKs share the line with the
// upload's data, and it is reported as a fraction of the line rate.
func BenchmarkSlowLinkDownloadWhileUploading(b *testing.B) {
	const bps, size = 115200, 128 << 10
	link := dialPacedSim(b, bps, 0, size)
	web := &http.Client{Transport: &http.Transport{DialContext: link.DialContext}}
	up, err := link.DialContext(context.Background(), "tcp", "10.64.64.1:9")
	if err != nil {
		b.Fatal(err)
	}
	uploaded := make(chan struct{})
	go func() {
		defer close(uploaded)
		chunk := make([]byte, 4096)
		for {
			if _, err := up.Write(chunk); err != nil {
				return
			}
		}
	}()
	defer func() {
		up.Close()
		<-uploaded
	}()
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		download(b, web, size)
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*size)/elapsed.Seconds()/(bps/10), "line-fraction")
}

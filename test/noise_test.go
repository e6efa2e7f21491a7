package test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// TestNoisyLine runs a link over a line that flips bits and injects
// garbage bursts in both directions, from LCP onwards: HDLC must drop the
// damaged frames by their FCS, LCP and IPCP must retransmit, and TCP must
// recover what was lost, byte for byte, without the link going down.
func TestNoisyLine(t *testing.T) {
	size := 10 << 20
	if testing.Short() {
		size = 2 << 20
	}
	noise := ppptest.Faults{BER: 1e-5, BurstEvery: 1 << 20, BurstLen: 100}
	clientEnd, networkEnd, toNetwork, toClient := noisyLine(t, noise)
	// Damaged LCP and IPCP packets are retransmitted after a second.
	cfg := gprsppp.Config{Restart: time.Second}
	client, network := pair(t, clientEnd, networkEnd, cfg, gprsppp.NetworkConfig{Restart: time.Second})
	serveHash(t, network, ":9", size)

	start := time.Now()
	sendHashed(t, client, "10.64.64.1:9", size)
	t.Logf("sent %d MB in %v", size>>20, time.Since(start))

	for _, l := range []*gprsppp.Link{client, network} {
		select {
		case <-l.Done():
			t.Fatalf("link went down: %v", l.Err())
		default:
		}
	}
	for _, l := range []struct {
		name string
		link *gprsppp.Link
		line *ppptest.FaultyConn // damages what this link receives
	}{
		{"client", client, toClient},
		{"network", network, toNetwork},
	} {
		s := l.link.Stats()
		t.Logf("%s received: %+v; line faults %+v", l.name, s, l.line.Stats())
		if s.FCSErrors == 0 {
			t.Errorf("%s saw no FCS errors on a noisy line", l.name)
		}
	}
}

// serveHash accepts one TCP connection on addr, reads n octets from it
// and answers with their SHA-256. Unlike an echo, it carries the bulk data
// one way only, which halves the losses TCP must recover from.
func serveHash(t *testing.T, l *gprsppp.Link, addr string, n int) {
	t.Helper()
	ln, err := l.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan net.Conn, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		conns <- c
		h := sha256.New()
		if _, err := io.CopyN(h, c, int64(n)); err != nil {
			return
		}
		c.Write(h.Sum(nil))
	}()
	t.Cleanup(func() {
		ln.Close()
		select {
		case c := <-conns:
			c.Close() // ends a read left blocked by a failed test
		case <-done:
		}
		<-done
	})
}

// sendHashed sends n random octets to a serveHash service and checks the
// digest it answers with.
func sendHashed(t *testing.T, l *gprsppp.Link, addr string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := l.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	data := make([]byte, n)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	if _, err := c.Write(data); err != nil {
		t.Fatalf("write: %v", err)
	}
	got := make([]byte, sha256.Size)
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("read digest: %v", err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(got, want[:]) {
		t.Fatal("the service received different data")
	}
}

// noisyLine joins two Pipes with a relay in each direction that writes
// through its own FaultyConn with its own seed: toNetwork damages what the
// client end sends, toClient what the network end sends. t.Cleanup closes
// every end and waits for the relays.
func noisyLine(t *testing.T, f ppptest.Faults) (clientEnd, networkEnd io.ReadWriteCloser, toNetwork, toClient *ppptest.FaultyConn) {
	c, cr := ppptest.Pipe() // client ↔ relay
	nr, n := ppptest.Pipe() // relay ↔ network
	f.Seed = 1
	toNetwork = ppptest.Faulty(nr, f)
	f.Seed = 2
	toClient = ppptest.Faulty(cr, f)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); relayTo(toNetwork, cr) }()
	go func() { defer wg.Done(); relayTo(toClient, nr) }()
	t.Cleanup(func() {
		for _, e := range []io.Closer{c, cr, nr, n} {
			e.Close()
		}
		wg.Wait()
	})
	return c, n, toNetwork, toClient
}

// relayTo copies src to dst until either fails, then closes dst.
func relayTo(dst, src io.ReadWriteCloser) {
	io.Copy(dst, src)
	dst.Close()
}

package test

import (
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

func TestLoopedBackLineIsReported(t *testing.T) {
	a, b := ppptest.Pipe()
	go io.Copy(b, b) // the far end echoes everything, like a modem in command mode
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err := gprsppp.Open(ctx, a, gprsppp.Config{Logger: testLogger(t)})
	if !isErr(err, gprsppp.ErrLoopback) {
		t.Fatalf("Open: %v, want ErrLoopback", err)
	}
	b.Close()
	t.Logf("loopback reported after %v", time.Since(start))
}

func TestKeepaliveEndsSilentLink(t *testing.T) {
	a, x := ppptest.Pipe()
	y, b := ppptest.Pipe()
	r := newRelay(x, y)
	client, _ := pair(t, a, b,
		gprsppp.Config{EchoInterval: 100 * time.Millisecond, EchoFailures: 3},
		gprsppp.NetworkConfig{})
	// Both sides answer echoes: the link must stay up for many intervals.
	select {
	case <-client.Done():
		t.Fatalf("link ended while the peer answered echoes: %v", client.Err())
	case <-time.After(time.Second):
	}
	// Silence the peer: swallow everything it would read, send nothing.
	r.blackhole.Store(true)
	if err := waitDone(t, client, 5*time.Second); !isErr(err, gprsppp.ErrKeepalive) {
		t.Errorf("reason %v, want ErrKeepalive", err)
	}
}

// relay joins two streams, and can turn into a black hole that drops
// everything in both directions, like a dead radio link.
type relay struct {
	blackhole atomic.Bool
}

func newRelay(x, y io.ReadWriteCloser) *relay {
	r := &relay{}
	go r.copy(x, y)
	go r.copy(y, x)
	return r
}

func (r *relay) copy(dst, src io.ReadWriteCloser) {
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 && !r.blackhole.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

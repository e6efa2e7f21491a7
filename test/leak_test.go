package test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/ppptest"
)

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

// Opening and closing links many times leaves no goroutine and no file
// descriptor behind.
func TestLinkCyclesLeakNothing(t *testing.T) {
	cycles := 1000
	if testing.Short() {
		cycles = 100
	}
	fds, goroutines := openFDs(t), testenv.Goroutines()
	for i := range cycles {
		a, b := ppptest.Pipe()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		nch := make(chan *gprsppp.Link, 1)
		go func() {
			l, _ := gprsppp.OpenNetwork(ctx, b, gprsppp.NetworkConfig{})
			nch <- l
		}()
		client, err := gprsppp.Open(ctx, a, gprsppp.Config{})
		network := <-nch
		cancel()
		if err != nil || network == nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		if i%2 == 0 {
			client.Close()
		} else {
			network.Close()
		}
		<-client.Done()
		<-network.Done()
		client.Close()
		network.Close()
	}
	if leaked := testenv.WaitGoroutines(goroutines); leaked != "" {
		t.Fatalf("after %d cycles: %s", cycles, leaked)
	}
	if n := openFDs(t); n > fds {
		t.Errorf("after %d cycles: %d file descriptors open, %d before", cycles, n, fds)
	}
}

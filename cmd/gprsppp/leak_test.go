package main

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/testenv"
	"golang.org/x/net/proxy"
)

// Many connections through connect's SOCKS5 proxy leave no goroutine or
// file descriptor behind once connect has stopped.
func TestProxiedConnectionsLeakNothing(t *testing.T) {
	conns := 1000
	if testing.Short() {
		conns = 100
	}
	fdsBefore := countFDs(t)
	goroutines := testenv.Goroutines()
	socks := freeAddr(t)
	r := startConnect(t, connectFlags{simulate: true, socks5: socks, maxfail: 1})
	d, err := proxy.SOCKS5("tcp", socks, nil, proxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	for i := range conns {
		c, err := d.Dial("tcp", "10.64.64.1:7")
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		c.SetDeadline(time.Now().Add(20 * time.Second))
		if _, err := c.Write([]byte("hello")); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hello" {
			t.Fatalf("connection %d: %q %v", i, buf, err)
		}
		c.Close()
	}
	r.stop(t)
	if leaked := testenv.WaitGoroutines(goroutines); leaked != "" {
		t.Fatalf("after %d connections: %s", conns, leaked)
	}
	if n := countFDs(t); n > fdsBefore {
		t.Errorf("after %d connections: %d file descriptors open, %d before", conns, n, fdsBefore)
	}
}

func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(ents)
}

package netstack_test

import (
	"context"
	"io"
	"testing"

	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

// BenchmarkTCPThroughputPlain measures one TCP stream between two stacks
// joined by netstacktest.Pair, the plain in-memory link. It is the
// baseline for the same measurement over PPP.
func BenchmarkTCPThroughputPlain(b *testing.B) {
	const chunk = 64 << 10
	sa, sb := netstacktest.Pair(b, addrA, addrB)
	l, err := sb.Listen("tcp", ":9")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	received := make(chan int64, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			received <- -1
			return
		}
		defer c.Close()
		n, _ := io.Copy(io.Discard, c)
		received <- n
	}()
	c, err := sa.DialContext(context.Background(), "tcp", hostPort(addrB, l.Addr()))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, chunk)
	b.SetBytes(chunk)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	n := <-received
	b.StopTimer()
	if want := int64(b.N) * chunk; n != want {
		b.Fatalf("received %d bytes, want %d", n, want)
	}
}

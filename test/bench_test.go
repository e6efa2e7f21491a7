package test

import (
	"context"
	"io"
	"net"
	"net/netip"
	"testing"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
	"github.com/gprsppp/gprsppp/ppptest"
)

// BenchmarkTCPThroughput measures one TCP stream from the client to the
// network side: "ppp" across a full PPP link over an in-memory byte
// pipe, "plain" across the same two gVisor stacks joined by an in-memory
// packet link without PPP. Their ratio is the cost of PPP.
func BenchmarkTCPThroughput(b *testing.B) {
	b.Run("ppp", func(b *testing.B) {
		x, y := ppptest.Pipe()
		client, network := pair(b, x, y, gprsppp.Config{}, gprsppp.NetworkConfig{})
		benchStream(b, client.DialContext, network.Listen, networkAddr)
	})
	b.Run("plain", func(b *testing.B) {
		sa, sb := netstacktest.Pair(b, clientAddr, networkAddr)
		benchStream(b, sa.DialContext, sb.Listen, networkAddr)
	})
}

type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)
type listenFunc func(network, address string) (net.Listener, error)

func benchStream(b *testing.B, dial dialFunc, listen listenFunc, to netip.Addr) {
	const chunk = 64 << 10
	l, err := listen("tcp", ":9")
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
	c, err := dial(context.Background(), "tcp", netip.AddrPortFrom(to, 9).String())
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, chunk)
	b.SetBytes(chunk)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	if n := <-received; n != int64(b.N)*chunk {
		b.Fatalf("received %d of %d octets", n, int64(b.N)*chunk)
	}
}

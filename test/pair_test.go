package test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/dnsserver"
)

// testLogger logs to the test at debug level when GPRSPPP_DEBUG is set.
func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("GPRSPPP_DEBUG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

var (
	networkAddr = netip.MustParseAddr("10.64.64.1")
	clientAddr  = netip.MustParseAddr("10.64.64.2")
	dnsAddr     = netip.MustParseAddr("10.64.64.1")
	hostName    = "peer.test"
)

// pair brings up a client and a network side back to back over the two
// ends of a byte stream.
func pair(t testing.TB, a, b io.ReadWriteCloser, cc gprsppp.Config, nc gprsppp.NetworkConfig) (client, network *gprsppp.Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	nc.DNS = []netip.Addr{dnsAddr}
	if nc.Logger == nil {
		nc.Logger = testLogger(t)
	}
	if cc.Logger == nil {
		cc.Logger = testLogger(t)
	}
	type result struct {
		l   *gprsppp.Link
		err error
	}
	nch := make(chan result, 1)
	go func() {
		l, err := gprsppp.OpenNetwork(ctx, b, nc)
		nch <- result{l, err}
	}()
	client, err := gprsppp.Open(ctx, a, cc)
	n := <-nch
	if err != nil || n.err != nil {
		t.Fatalf("open: client %v, network %v", err, n.err)
	}
	t.Cleanup(func() {
		client.Close()
		n.l.Close()
	})
	return client, n.l
}

// serveNetwork runs the network side's services: TCP echo on 7, UDP echo
// on 7 and DNS on 53.
func serveNetwork(t *testing.T, l *gprsppp.Link) {
	t.Helper()
	ln, err := l.Listen("tcp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	pc, err := l.ListenPacket("udp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	dns, err := l.ListenPacket("udp", ":53")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 3)
	go func() {
		defer func() { done <- struct{}{} }()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	go func() {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 65536)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:n], from)
		}
	}()
	srv := &dnsserver.Server{Records: map[string][]netip.Addr{hostName: {networkAddr}}}
	go func() {
		defer func() { done <- struct{}{} }()
		srv.Serve(dns)
	}()
	t.Cleanup(func() {
		ln.Close()
		pc.Close()
		dns.Close()
		for range 3 {
			<-done
		}
	})
}

// waitDone waits for a link to end, with a deadline.
func waitDone(t *testing.T, l *gprsppp.Link, within time.Duration) error {
	t.Helper()
	select {
	case <-l.Done():
		return l.Err()
	case <-time.After(within):
		t.Fatalf("link still up after %v", within)
		return nil
	}
}

func isErr(err, target error) bool { return errors.Is(err, target) }

var _ = net.IPv4len

package forward

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/dnsserver"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
)

var (
	clientAddr  = netip.MustParseAddr("10.64.0.2") // our end of the link
	networkAddr = netip.MustParseAddr("10.64.0.1") // the operator's end
)

// waitTime bounds every wait in these tests.
const waitTime = 10 * time.Second

// newLink returns the two ends of a link. The network end runs echo
// services on TCP and UDP port 7 (RFC 862) and a DNS server that names
// echo.example.
func newLink(t *testing.T) (client, network *netstack.Stack) {
	t.Helper()
	client, network = netstacktest.Pair(t, clientAddr, networkAddr)
	netstacktest.EnableIPv6(t, client, network)
	ln, err := network.Listen("tcp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	udp, err := network.ListenPacket("udp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	dns, err := network.ListenPacket("udp", ":53")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dnsserver.Server{Records: map[string][]netip.Addr{"echo.example": {networkAddr}}}
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		var conns sync.WaitGroup
		defer conns.Wait()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conns.Done()
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	go func() {
		defer wg.Done()
		buf := make([]byte, 65535)
		for {
			n, from, err := udp.ReadFrom(buf)
			if err != nil {
				return
			}
			udp.WriteTo(buf[:n], from)
		}
	}()
	go func() {
		defer wg.Done()
		srv.Serve(dns)
	}()
	// Registered after Pair's cleanup, so this runs first.
	t.Cleanup(func() {
		ln.Close()
		udp.Close()
		dns.Close()
		wg.Wait()
	})
	return client, network
}

// serve runs f in a goroutine. The returned stop cancels its context and
// checks that it returns nil; t.Cleanup calls stop too.
func serve(t *testing.T, f func(ctx context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after cancel", err)
			}
		case <-time.After(waitTime):
			t.Errorf("serve did not return %v after cancel", waitTime)
		}
	}
	t.Cleanup(stop)
	return stop
}

// recorder is a slog.Handler that passes records to a channel, for tests
// to wait on what a server logs. Records that do not fit are dropped.
type recorder struct {
	ch chan slog.Record
}

func newRecorder() (*slog.Logger, *recorder) {
	r := &recorder{ch: make(chan slog.Record, 256)}
	return slog.New(r), r
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	select {
	case r.ch <- rec:
	default:
	}
	return nil
}

// wait returns the next record whose message contains msg.
func (r *recorder) wait(t *testing.T, msg string) slog.Record {
	t.Helper()
	timeout := time.After(waitTime)
	for {
		select {
		case rec := <-r.ch:
			if strings.Contains(rec.Message, msg) {
				return rec
			}
		case <-timeout:
			t.Fatalf("no log record %q within %v", msg, waitTime)
		}
	}
}

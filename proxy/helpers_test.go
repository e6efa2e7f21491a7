package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
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
	clientAddr   = netip.MustParseAddr("10.64.0.2") // our end of the link
	networkAddr  = netip.MustParseAddr("10.64.0.1") // the operator's end
	networkAddr6 = netip.MustParseAddr("2001:db8:64::1")
)

// waitTime bounds every wait in these tests.
const waitTime = 10 * time.Second

// newLink returns our end of a link whose far end runs: echo on TCP and
// UDP port 7 (RFC 862), an HTTP server on port 80 whose /info page
// describes the request it got, and DNS naming echo.example and
// web.example.
func newLink(t *testing.T) *netstack.Stack {
	t.Helper()
	client, network := netstacktest.Pair(t, clientAddr, networkAddr)
	echo := listen(t, network, ":7")
	web := listen(t, network, ":80")
	udp, err := network.ListenPacket("udp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	dns, err := network.ListenPacket("udp", ":53")
	if err != nil {
		t.Fatal(err)
	}
	names := &dnsserver.Server{Records: map[string][]netip.Addr{
		"echo.example": {networkAddr},
		"web.example":  {networkAddr},
		"web6.example": {networkAddr6},
	}}
	hs := &http.Server{Handler: http.HandlerFunc(infoPage), ReadHeaderTimeout: waitTime}

	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	netstacktest.EnableIPv6(t, client, network)
	run(func() { serveEcho(echo) })
	run(func() { hs.Serve(web) })
	run(func() { names.Serve(dns) })
	run(func() {
		buf := make([]byte, maxDatagram)
		for {
			n, from, err := udp.ReadFrom(buf)
			if err != nil {
				return
			}
			udp.WriteTo(buf[:n], from)
		}
	})
	// Registered after Pair's cleanup, so this runs first.
	t.Cleanup(func() {
		echo.Close()
		hs.Close()
		udp.Close()
		dns.Close()
		wg.Wait()
	})
	return client
}

func listen(t *testing.T, s *netstack.Stack, addr string) net.Listener {
	t.Helper()
	l, err := s.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// serveEcho echoes every connection on l until l closes.
func serveEcho(l net.Listener) {
	var conns sync.WaitGroup
	defer conns.Wait()
	for {
		c, err := l.Accept()
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
}

// infoPage describes the request as the far server saw it.
func infoPage(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "host=%s path=%s proxy-authorization=%t x-forwarded-for=%t proxy-connection=%t\n",
		r.Host, r.URL.Path, r.Header.Get("Proxy-Authorization") != "",
		r.Header.Get("X-Forwarded-For") != "", r.Header.Get("Proxy-Connection") != "")
}

// loopback returns a listener on 127.0.0.1 with a free port.
func loopback(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// serve runs f in a goroutine. The returned stop cancels its context and
// checks that it returns nil; t.Cleanup calls stop too.
func serve(t *testing.T, f func(ctx context.Context) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v after cancel", err)
				}
			case <-time.After(waitTime):
				t.Errorf("serve did not return %v after cancel", waitTime)
			}
		})
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

// all returns every record logged so far, formatted as text.
func (r *recorder) all() string {
	var b strings.Builder
	for {
		select {
		case rec := <-r.ch:
			fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
			rec.Attrs(func(a slog.Attr) bool {
				fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
				return true
			})
			b.WriteByte('\n')
		default:
			return b.String()
		}
	}
}

// echoed writes msg on c and expects it back.
func echoed(t *testing.T, c net.Conn, msg []byte) {
	t.Helper()
	c.SetDeadline(time.Now().Add(waitTime))
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("read echo: %v", err)
	}
	if string(got) != string(msg) {
		t.Fatalf("echo: got %q, want %q", got, msg)
	}
}

// isTimeout reports whether err is a timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

package proxy

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	xproxy "golang.org/x/net/proxy"
)

// chunks joins byte strings, so that a message can be written one field
// per chunk.
func chunks(cs ...[]byte) []byte { return bytes.Join(cs, nil) }

// exchange writes msg to the server at addr, half-closes if told to, and
// returns everything the server sends until it closes the connection.
// It fails if the server is still holding the connection after waitTime.
func exchange(t *testing.T, addr string, msg []byte, closeWrite bool) []byte {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitTime))
	// The server may stop reading a long message and answer, so write
	// from another goroutine and ignore its failure.
	written := make(chan struct{})
	go func() {
		defer close(written)
		if _, err := c.Write(msg); err == nil && closeWrite {
			c.(*net.TCPConn).CloseWrite()
		}
	}()
	defer func() { <-written }()
	got, err := io.ReadAll(c)
	if isTimeout(err) {
		t.Fatalf("the server still holds the connection after %v (read %x)", waitTime, got)
	}
	return got
}

// socksWorks checks that a well-behaved client still gets through.
func socksWorks(t *testing.T, addr string, auth *xproxy.Auth) {
	t.Helper()
	d, err := xproxy.SOCKS5("tcp", addr, auth, xproxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Dial("tcp", "10.64.0.1:7")
	if err != nil {
		t.Fatalf("a good client after a bad one: %v", err)
	}
	defer c.Close()
	echoed(t, c, []byte("still serving"))
}

// Malformed SOCKS5 handshakes (RFC 1928 §3-§4, RFC 1929 §2) get an error
// reply where the protocol has one, or a plain close, never a hang or a
// crash; and the proxy goes on serving.
func TestSOCKS5MalformedHandshakes(t *testing.T) {
	link := newLink(t)
	addr, _ := startSOCKS5(t, SOCKS5Config{Dialer: link})
	authAddr, _ := startSOCKS5(t, SOCKS5Config{Dialer: link, Username: "u", Password: "p"})
	noAuth := []byte{0x05, 0x01, 0x00} // VER, NMETHODS, METHODS: X'00'
	// Replies: VER, METHOD (§3); VER, REP, RSV, ATYP, BND.ADDR, BND.PORT
	// (§6); VER, STATUS (RFC 1929 §2).
	var (
		noMethod    = []byte{0x05, 0xff}
		methodNone  = []byte{0x05, 0x00}
		methodUser  = []byte{0x05, 0x02}
		zeroBound   = []byte{0x01, 0, 0, 0, 0, 0, 0}
		hostUnreach = chunks(methodNone, []byte{0x05, 0x04, 0x00}, zeroBound)
		cmdUnknown  = chunks(methodNone, []byte{0x05, 0x07, 0x00}, zeroBound)
		atypUnknown = chunks(methodNone, []byte{0x05, 0x08, 0x00}, zeroBound)
		authFailed  = chunks(methodUser, []byte{0x01, 0x01})
	)
	for _, tc := range []struct {
		name       string
		auth       bool // to the proxy that wants a password
		msg        []byte
		closeWrite bool
		want       []byte
		errReply   bool // want: X'00' chosen, then a failure reply to the request
	}{
		{name: "nothing", closeWrite: true},
		{name: "HTTP request", msg: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
		{name: "SOCKS4 request", msg: chunks([]byte{0x04, 0x01}, []byte{0, 80}, []byte{10, 64, 0, 1}, []byte{0})},
		{name: "garbage", msg: bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 1024)},
		{name: "truncated greeting", msg: []byte{0x05, 0x03, 0x00}, closeWrite: true},
		{name: "no methods", msg: []byte{0x05, 0x00}, want: noMethod},
		{name: "no acceptable method", msg: []byte{0x05, 0x01, 0x80}, want: noMethod},
		{name: "255 methods, none acceptable", msg: chunks([]byte{0x05, 0xff}, bytes.Repeat([]byte{0x80}, 255)), want: noMethod},
		{name: "request with version 4", msg: chunks(noAuth, []byte{0x04, 0x01, 0x00, 0x01}, []byte{10, 64, 0, 1}, []byte{0, 7}), want: methodNone},
		{name: "unknown command", msg: chunks(noAuth, []byte{0x05, 0x09, 0x00, 0x01}, []byte{10, 64, 0, 1}, []byte{0, 7}), want: cmdUnknown},
		{name: "unknown address type", msg: chunks(noAuth, []byte{0x05, 0x01, 0x00, 0x09}, []byte{10, 64, 0, 1}, []byte{0, 7}), want: atypUnknown},
		{name: "truncated request", msg: chunks(noAuth, []byte{0x05, 0x01, 0x00, 0x03, 0xff}, []byte("ab")), closeWrite: true, want: methodNone},
		{name: "255-octet domain name", msg: chunks(noAuth, []byte{0x05, 0x01, 0x00, 0x03, 0xff}, bytes.Repeat([]byte("a"), 255), []byte{0, 7}), want: hostUnreach},
		{name: "zero-length domain name", msg: chunks(noAuth, []byte{0x05, 0x01, 0x00, 0x03, 0x00}, []byte{0, 7}), errReply: true},
		{name: "255-octet username and password", auth: true,
			msg: chunks([]byte{0x05, 0x01, 0x02}, []byte{0x01, 0xff}, bytes.Repeat([]byte("u"), 255), []byte{0xff}, bytes.Repeat([]byte("p"), 255)), want: authFailed},
		{name: "empty username and password", auth: true, msg: chunks([]byte{0x05, 0x01, 0x02}, []byte{0x01, 0x00, 0x00}), want: authFailed},
		{name: "auth version 2", auth: true, msg: chunks([]byte{0x05, 0x01, 0x02}, []byte{0x02, 0x01}, []byte("u"), []byte{0x01}, []byte("p")), want: methodUser},
		{name: "truncated auth", auth: true, msg: chunks([]byte{0x05, 0x01, 0x02}, []byte{0x01, 0x05}, []byte("u")), closeWrite: true, want: methodUser},
	} {
		t.Run(tc.name, func(t *testing.T) {
			to := addr
			if tc.auth {
				to = authAddr
			}
			got := exchange(t, to, tc.msg, tc.closeWrite)
			if tc.errReply {
				if len(got) != 12 || !bytes.Equal(got[:3], []byte{0x05, 0x00, 0x05}) || got[3] == 0x00 {
					t.Errorf("reply %x, want 0500 and a failure reply", got)
				}
			} else if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
			var auth *xproxy.Auth
			if tc.auth {
				auth = &xproxy.Auth{User: "u", Password: "p"}
			}
			socksWorks(t, to, auth)
		})
	}
}

// slowClient connects to addr and, if msg is not empty, writes it one
// octet every interval until it has sent all but the last. It reports on
// cut how long after connecting the server closed the connection, or the
// read error (a timeout if the server never did). stop ends it.
func slowClient(t *testing.T, addr string, msg []byte, interval time.Duration, wg *sync.WaitGroup, cut chan<- error) (stop func()) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c.SetDeadline(start.Add(waitTime))
	wg.Add(2)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for i := 0; i < len(msg)-1; i++ {
			if _, err := c.Write(msg[i : i+1]); err != nil {
				return
			}
			<-tick.C
		}
	}()
	go func() {
		defer wg.Done()
		_, err := io.Copy(io.Discard, c)
		if err == nil {
			err = &cutAfter{time.Since(start)}
		}
		cut <- err
	}()
	return func() { c.Close() }
}

// cutAfter is how long a slow client lasted before the server closed it.
type cutAfter struct{ d time.Duration }

func (c *cutAfter) Error() string { return "closed by the server after " + c.d.String() }

// Many clients that send nothing, or their handshake one octet at a
// time, hold up no other client, and each is disconnected
// HandshakeTimeout after it is accepted.
func TestSOCKS5Slowloris(t *testing.T) {
	const timeout = time.Second
	link := newLink(t)
	addr, _ := startSOCKS5(t, SOCKS5Config{Dialer: link, HandshakeTimeout: timeout})
	handshake := chunks([]byte{0x05, 0x01, 0x00}, []byte{0x05, 0x01, 0x00, 0x01}, []byte{10, 64, 0, 1}, []byte{0, 7})
	const n = 40
	var wg sync.WaitGroup
	cut := make(chan error, n)
	for i := range n {
		msg := handshake
		if i%2 == 0 {
			msg = nil
		}
		stop := slowClient(t, addr, msg, timeout/20, &wg, cut)
		defer stop()
	}
	start := time.Now()
	socksWorks(t, addr, nil)
	if took := time.Since(start); took >= timeout {
		t.Errorf("a good client took %v beside %d slow ones", took, n)
	}
	for range n {
		var ca *cutAfter
		switch err := <-cut; {
		case errors.As(err, &ca):
			// The server may accept before Dial returns here.
			if ca.d < timeout*9/10 {
				t.Errorf("slow client %v, before the %v handshake timeout", ca, timeout)
			}
		case isTimeout(err):
			t.Fatalf("a slow client was not disconnected within %v", waitTime)
		default:
			// Reset: the server closed with our octets unread.
		}
	}
	wg.Wait()
}

// Malformed HTTP requests get an error status, or a close, from net/http
// and never reach the link; the proxy goes on serving.
func TestHTTPMalformedRequests(t *testing.T) {
	link := newLink(t)
	addr, _ := startHTTP(t, HTTPConfig{Dialer: link})
	proxyURL := &url.URL{Scheme: "http", Host: addr}
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}, Timeout: waitTime}
	defer client.CloseIdleConnections()
	for _, tc := range []struct {
		name       string
		msg        string
		closeWrite bool
		want       int // status; 0 for a close without a response
	}{
		{name: "nothing", closeWrite: true},
		{name: "garbage", msg: "\x00\x01\x02\xff garbage\r\n\r\n", want: 400},
		{name: "SOCKS5 greeting", msg: "\x05\x01\x00", closeWrite: true, want: 400},
		{name: "HTTP/9.9", msg: "GET http://web.example/ HTTP/9.9\r\nHost: web.example\r\n\r\n", want: 505},
		{name: "header without colon", msg: "GET http://web.example/ HTTP/1.1\r\nHost: web.example\r\nNoColon\r\n\r\n", want: 400},
		{name: "truncated request line", msg: "GET http://web.example/ HT", closeWrite: true, want: 400},
		{name: "truncated headers", msg: "GET http://web.example/ HTTP/1.1\r\nHost: web.ex", closeWrite: true, want: 400},
		{name: "2 MB header", msg: "GET http://web.example/ HTTP/1.1\r\nHost: web.example\r\nX-Big: " + strings.Repeat("a", 2<<20) + "\r\n\r\n", want: 431},
		{name: "2 MB request line", msg: "GET http://web.example/" + strings.Repeat("a", 2<<20) + " HTTP/1.1\r\n\r\n", want: 431},
		{name: "two Content-Lengths", msg: "POST http://web.example/ HTTP/1.1\r\nHost: web.example\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", want: 400},
		{name: "unknown Transfer-Encoding", msg: "POST http://web.example/ HTTP/1.1\r\nHost: web.example\r\nTransfer-Encoding: gzip\r\n\r\n", want: 501},
		{name: "CONNECT to no port", msg: "CONNECT web.example HTTP/1.1\r\nHost: web.example\r\n\r\n", closeWrite: true, want: 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := exchange(t, addr, []byte(tc.msg), tc.closeWrite)
			status := 0
			if len(got) > 0 {
				resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(got)), nil)
				if err != nil {
					t.Fatalf("reply %q: %v", got, err)
				}
				resp.Body.Close()
				status = resp.StatusCode
			}
			if status != tc.want {
				t.Errorf("status %d, want %d (reply %.200q)", status, tc.want, got)
			}
			resp, err := client.Get("http://web.example/info")
			if err != nil {
				t.Fatalf("a good request after a bad one: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("a good request after a bad one: %s", resp.Status)
			}
		})
	}
}

// Many clients that send nothing, or their request one octet at a time,
// hold up no other client. (Their end is ServeHTTP's 30 s
// readHeaderTimeout, not configurable, so not waited for here.)
func TestHTTPSlowloris(t *testing.T) {
	link := newLink(t)
	addr, _ := startHTTP(t, HTTPConfig{Dialer: link})
	request := []byte("GET http://web.example/info HTTP/1.1\r\nHost: web.example\r\n\r\n")
	const n = 40
	var wg sync.WaitGroup
	cut := make(chan error, n)
	for i := range n {
		msg := request
		if i%2 == 0 {
			msg = nil
		}
		stop := slowClient(t, addr, msg, 50*time.Millisecond, &wg, cut)
		defer stop()
	}
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(&url.URL{Scheme: "http", Host: addr})}, Timeout: waitTime}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), waitTime)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://web.example/info", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("a good client beside %d slow ones: %v", n, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a good client beside %d slow ones: %s", n, resp.Status)
	}
	select {
	case err := <-cut:
		t.Errorf("a slow client was cut off early: %v", err)
	default:
	}
}

// failingListener is a listener whose first fails Accept calls return
// EMFILE, as a process out of file descriptors sees.
type failingListener struct {
	net.Listener
	fails atomic.Int32
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// ServeSOCKS5 lives through a burst of EMFILE from Accept, logging it
// once as it starts and once as it ends; a listener that fails for good
// ends it with that error.
func TestSOCKS5AcceptErrors(t *testing.T) {
	link := newLink(t)
	t.Run("EMFILE burst", func(t *testing.T) {
		l := &failingListener{Listener: loopback(t)}
		l.fails.Store(5)
		log, rec := newRecorder()
		serve(t, func(ctx context.Context) error { return ServeSOCKS5(ctx, l, SOCKS5Config{Dialer: link, Logger: log}) })
		socksWorks(t, l.Addr().String(), nil)
		warn := rec.wait(t, "accept failing")
		info := rec.wait(t, "accept works again")
		if warn.Level != slog.LevelWarn || info.Level != slog.LevelInfo {
			t.Errorf("logged at %v and %v, want WARN and INFO", warn.Level, info.Level)
		}
		for _, r := range strings.Split(strings.TrimSpace(rec.all()), "\n") {
			if strings.Contains(r, "accept") {
				t.Errorf("logged again: %s", r)
			}
		}
	})
	t.Run("closed under it", func(t *testing.T) {
		l := loopback(t)
		done := make(chan error, 1)
		go func() { done <- ServeSOCKS5(context.Background(), l, SOCKS5Config{Dialer: link}) }()
		l.Close()
		select {
		case err := <-done:
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("ServeSOCKS5 = %v, want net.ErrClosed", err)
			}
		case <-time.After(waitTime):
			t.Fatal("ServeSOCKS5 still running after its listener closed")
		}
	})
}

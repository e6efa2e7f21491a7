package forward

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// echoRoundTrip writes msg on c, half-closes it and expects msg back
// followed by EOF: the relay must carry the FIN both ways.
func echoRoundTrip(t *testing.T, c net.Conn, msg []byte) {
	t.Helper()
	c.SetDeadline(time.Now().Add(waitTime))
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("echo: got %d octets, want %d", len(got), len(msg))
	}
}

func TestLocalTCP(t *testing.T) {
	tests := []struct {
		name   string
		target string
		size   int
	}{
		{"by address", "10.64.0.1:7", 100},
		{"by name over the link", "echo.example:7", 100},
		{"IPv6 address", "[2001:db8:64::1]:7", 100},
		{"large", "10.64.0.1:7", 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, _ := newLink(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			l := Local{Network: "tcp", Target: tt.target}
			serve(t, func(ctx context.Context) error { return ServeLocalTCP(ctx, ln, l, client, nil) })

			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			echoRoundTrip(t, c, bytes.Repeat([]byte("gprsppp "), tt.size/8))
		})
	}
}

func TestLocalTCPDialFails(t *testing.T) {
	client, _ := newLink(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log, rec := newRecorder()
	l := Local{Network: "tcp", Target: "10.64.0.1:1"} // nothing listens there
	serve(t, func(ctx context.Context) error { return ServeLocalTCP(ctx, ln, l, client, log) })
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitTime))
	if n, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatalf("read %d octets from a forward whose dial failed", n)
	}
	rec.wait(t, "dial over the link failed")
}

// Stopping a forward closes its relayed connections.
func TestLocalTCPStopClosesConnections(t *testing.T) {
	client, _ := newLink(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := serve(t, func(ctx context.Context) error {
		return ServeLocalTCP(ctx, ln, Local{Target: "10.64.0.1:7"}, client, nil)
	})
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitTime))
	buf := make([]byte, 4)
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := c.Read(buf); err == nil {
		t.Error("connection still open after the forward stopped")
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("listener still open after the forward stopped")
	}
}

func TestLocalUDP(t *testing.T) {
	tests := []struct {
		name   string
		target string
	}{
		{"by address", "10.64.0.1:7"},
		{"by name over the link", "echo.example:7"},
		{"IPv6 address", "[2001:db8:64::1]:7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, _ := newLink(t)
			pc, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			l := Local{Network: "udp", Target: tt.target}
			serve(t, func(ctx context.Context) error { return ServeLocalUDP(ctx, pc, l, client, nil) })

			// Two clients each get their own replies.
			for i := range 2 {
				c, err := net.Dial("udp", pc.LocalAddr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				for j := range 3 {
					udpEcho(t, c, fmt.Sprintf("client %d datagram %d", i, j))
				}
			}
		})
	}
}

// udpEcho sends msg and waits for it to come back. The first datagram of
// a session can be lost while the link's stack resolves the peer, so it
// retries a few times.
func udpEcho(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	buf := make([]byte, 1500)
	for try := 0; try < 5; try++ {
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(waitTime / 5))
		n, err := c.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			t.Fatal(err)
		}
		if got := string(buf[:n]); got != msg {
			t.Fatalf("echo: got %q, want %q", got, msg)
		}
		return
	}
	t.Fatalf("no echo of %q", msg)
}

func TestLocalUDPIdleTimeout(t *testing.T) {
	client, _ := newLink(t)
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log, rec := newRecorder()
	l := Local{Network: "udp", Target: "10.64.0.1:7", IdleTimeout: 50 * time.Millisecond}
	serve(t, func(ctx context.Context) error { return ServeLocalUDP(ctx, pc, l, client, log) })
	c, err := net.Dial("udp", pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	udpEcho(t, c, "first")
	rec.wait(t, "UDP session started")
	rec.wait(t, "UDP session ended")
	udpEcho(t, c, "after idle")
	rec.wait(t, "UDP session started")
}

func TestServeLocal(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPC, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busyPC.Close()
	tests := []struct {
		name    string
		l       Local
		wantErr string
	}{
		{"tcp port in use", Local{Bind: netip.MustParseAddrPort(busy.Addr().String()), Target: "h:1"}, "address already in use"},
		{"udp port in use", Local{Bind: netip.MustParseAddrPort(busyPC.LocalAddr().String()), Network: "udp", Target: "h:1"}, "address already in use"},
		{"unknown network", Local{Bind: netip.MustParseAddrPort("127.0.0.1:1"), Network: "sctp", Target: "h:1"}, `unknown network "sctp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ServeLocal(context.Background(), tt.l, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ServeLocal = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRemote(t *testing.T) {
	tests := []struct {
		name     string
		allow    []string
		fromSelf bool // dial from the link's own stack, as a proxy client would
		refused  string
	}{
		{"allowed address", []string{"10.64.0.1"}, false, ""},
		{"allowed prefix", []string{"192.0.2.0/24", "10.64.0.0/16"}, false, ""},
		{"outside the list", []string{"192.0.2.0/24"}, false, "source not allowed"},
		{"empty list refuses all", nil, false, "source not allowed"},
		{"loop from the link's own address", []string{"10.0.0.0/8"}, true, "a loop"},
		{"allowed IPv6 prefix", []string{"2001:db8:64::/64"}, false, ""},
		{"IPv6 outside the list", []string{"10.64.0.0/16"}, false, "source not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, network := newLink(t)
			hostEcho := startHostEcho(t)
			var allow []netip.Prefix
			for _, s := range tt.allow {
				p, err := ParseAllow(s)
				if err != nil {
					t.Fatal(err)
				}
				allow = append(allow, p)
			}
			r := Remote{Port: 2222, Target: hostEcho}
			ln, err := client.Listen("tcp", ":2222")
			if err != nil {
				t.Fatal(err)
			}
			log, rec := newRecorder()
			serve(t, func(ctx context.Context) error { return ServeRemote(ctx, r, ln, allow, nil, log) })

			// The operator's side connects to the link's address.
			ctx, cancel := context.WithTimeout(context.Background(), waitTime)
			defer cancel()
			from := network
			if tt.fromSelf {
				from = client
			}
			dst := "10.64.0.2:2222"
			if strings.Contains(tt.name, "IPv6") {
				dst = "[2001:db8:64::2]:2222"
			}
			c, err := from.DialContext(ctx, "tcp", dst)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(waitTime))
			if tt.refused != "" {
				if n, err := c.Read(make([]byte, 1)); err == nil {
					t.Fatalf("read %d octets from a refused connection", n)
				}
				got := rec.wait(t, "refused inbound connection")
				if !strings.Contains(got.Message, tt.refused) {
					t.Errorf("logged %q, want it to say %q", got.Message, tt.refused)
				}
				if got.Level != slog.LevelInfo {
					t.Errorf("refusal logged at %v, want INFO", got.Level)
				}
				return
			}
			msg := []byte("hello from the network")
			if _, err := c.Write(msg); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(msg))
			if _, err := io.ReadFull(c, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, msg) {
				t.Fatalf("echo: got %q, want %q", got, msg)
			}
		})
	}
}

// startHostEcho runs a TCP echo server on the host's loopback.
func startHostEcho(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
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
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}

package sim_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/forward"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

const inboundTimeout = 20 * time.Second

// freePort returns a loopback address and port nobody listens on.
func freePort(t *testing.T) netip.AddrPort {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return netip.MustParseAddrPort(l.Addr().String())
}

// logLines is a slog.Handler passing each record's message to a channel.
type logLines chan string

func (l logLines) Enabled(context.Context, slog.Level) bool { return true }
func (l logLines) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l logLines) WithGroup(string) slog.Handler            { return l }
func (l logLines) Handle(_ context.Context, r slog.Record) error {
	select {
	case l <- r.Message:
	default:
	}
	return nil
}

// wait returns once a message containing msg has been logged.
func (l logLines) wait(t *testing.T, msg string) {
	t.Helper()
	timeout := time.After(inboundTimeout)
	for {
		select {
		case m := <-l:
			if strings.Contains(m, msg) {
				return
			}
		case <-timeout:
			t.Fatalf("no log line %q", msg)
		}
	}
}

// acceptWithin accepts a connection on ln, failing t if none comes
// within inboundTimeout.
func acceptWithin(t *testing.T, ln net.Listener) net.Conn {
	t.Helper()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	select {
	case c, ok := <-accepted:
		if !ok {
			t.Fatal("accept failed")
		}
		return c
	case <-time.After(inboundTimeout):
		ln.Close()
		t.Fatal("no connection reached the client's listener")
	}
	return nil
}

// hostClosed connects to addr and expects the connection to close
// without data.
func hostClosed(t *testing.T, addr netip.AddrPort) {
	t.Helper()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(inboundTimeout))
	if n, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatalf("read %d octets, want the connection closed", n)
	}
}

// Inbound connections reach the client's listener from the network
// side's address or from another host's, with half-closes carried both
// ways; between calls they are closed at once.
func TestInbound(t *testing.T) {
	other := netip.MustParseAddr("192.0.2.7")
	specs := []forward.Inbound{
		{Bind: freePort(t), LinkPort: 2323},
		{Bind: freePort(t), LinkPort: 2323, Source: other},
	}
	logs := make(logLines, 100)
	in, err := sim.ListenInbound(specs, slog.New(logs))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	hostClosed(t, specs[0].Bind)
	logs.wait(t, "inbound connection refused")

	clientEnd, modemEnd := ppptest.OSPipe(t)
	modem := sim.NewModem(sim.ModemConfig{Services: sim.Services{Inbound: in}})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		modem.Serve(ctx, modemEnd)
	}()
	defer func() { cancel(); <-served }()
	dctx, dcancel := context.WithTimeout(ctx, inboundTimeout)
	defer dcancel()
	client, err := gprsppp.DialPort(dctx, clientEnd, gprsppp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ln, err := client.Listen("tcp", ":2323")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	for _, tt := range []struct {
		spec forward.Inbound
		from netip.Addr
	}{{specs[0], netip.MustParseAddr("10.64.64.1")}, {specs[1], other}} {
		t.Run(tt.spec.String(), func(t *testing.T) {
			h, err := net.Dial("tcp", tt.spec.Bind.String())
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			h.SetDeadline(time.Now().Add(inboundTimeout))
			c := acceptWithin(t, ln)
			defer c.Close()
			c.SetDeadline(time.Now().Add(inboundTimeout))
			if got := netip.MustParseAddrPort(c.RemoteAddr().String()).Addr(); got != tt.from {
				t.Errorf("the client sees the connection from %v, want %v", got, tt.from)
			}
			h.Write([]byte("to the client"))
			h.(*net.TCPConn).CloseWrite()
			var got bytes.Buffer
			if _, err := got.ReadFrom(c); err != nil || got.String() != "to the client" {
				t.Fatalf("the client read %q, %v", got.String(), err)
			}
			c.Write([]byte("to the host"))
			c.Close()
			back, err := io.ReadAll(h)
			if err != nil || string(back) != "to the host" {
				t.Fatalf("the host read %q, %v", back, err)
			}
		})
	}

	client.Close()
	hostClosed(t, specs[0].Bind)
	logs.wait(t, "inbound connection refused")
}

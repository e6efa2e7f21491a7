package shim

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/dnsserver"
	"github.com/gprsppp/gprsppp/netstack"
	"github.com/gprsppp/gprsppp/netstack/netstacktest"
	"github.com/gprsppp/gprsppp/ppptest"
)

var (
	shimNearIP = netip.MustParseAddr("10.0.0.2")
	shimFarIP  = netip.MustParseAddr("10.0.0.1")
)

// Ports of the far side's services.
const (
	shimEchoPort    = 7
	shimDiscardPort = 9
	shimChargenPort = 19
	shimHoldPort    = 20 // reads nothing until shimFar.release is closed
	shimClosePort   = 21 // writes "bye" and closes
)

// shimFakeNet is a Network on the near stack of a netstacktest.Pair.
type shimFakeNet struct {
	*netstack.Stack
	done     chan struct{}
	doneOnce sync.Once
	far      *shimFar

	// lookupHeld, if set, holds each LookupNetIP, after it sent its name
	// on lookups, until it is closed.
	lookupHeld chan struct{}
	lookups    chan string
}

// holdLookups makes LookupNetIP wait for the channel returned to be
// closed; the names asked come on n.lookups.
func (n *shimFakeNet) holdLookups() chan struct{} {
	n.lookupHeld, n.lookups = make(chan struct{}), make(chan string, 4)
	return n.lookupHeld
}

func (n *shimFakeNet) LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error) {
	if n.lookupHeld != nil {
		n.lookups <- host
		select {
		case <-n.lookupHeld:
		case <-ctx.Done():
		}
	}
	return n.Stack.LookupNetIP(ctx, host)
}

func (n *shimFakeNet) DNSServers() []netip.Addr { return []netip.Addr{shimFarIP} }
func (n *shimFakeNet) Done() <-chan struct{}    { return n.done }
func (n *shimFakeNet) drop()                    { n.doneOnce.Do(func() { close(n.done) }) }

// DialContext wraps TCP connections so that they implement UnackedConn,
// counting as acknowledged what the far side's services have read.
func (n *shimFakeNet) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return n.acked(network)(n.Stack.DialContext(ctx, network, address))
}

// DialResolved wraps TCP connections as DialContext does.
func (n *shimFakeNet) DialResolved(ctx context.Context, network string, addrs []netip.Addr, port uint16) (net.Conn, error) {
	return n.acked(network)(n.Stack.DialResolved(ctx, network, addrs, port))
}

// acked returns a function that wraps a TCP connection dialled on
// network so that it implements UnackedConn.
func (n *shimFakeNet) acked(network string) func(net.Conn, error) (net.Conn, error) {
	return func(c net.Conn, err error) (net.Conn, error) {
		if err != nil || network != "tcp" {
			return c, err
		}
		return &shimAckConn{Conn: c, far: n.far}, nil
	}
}

type shimAckConn struct {
	net.Conn
	far     *shimFar
	written atomic.Int64
}

func (c *shimAckConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.written.Add(int64(n))
	return n, err
}

func (c *shimAckConn) Unacked() (int, error) {
	port := netip.MustParseAddrPort(c.LocalAddr().String()).Port()
	return int(c.written.Load() - c.far.received(port)), nil
}

// shimFar runs the far side's services and counts what they read per
// client port.
type shimFar struct {
	mu      sync.Mutex
	read    map[uint16]int64
	release chan struct{}
}

func (f *shimFar) received(port uint16) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.read[port]
}

func (f *shimFar) count(c net.Conn, n int) {
	port := netip.MustParseAddrPort(c.RemoteAddr().String()).Port()
	f.mu.Lock()
	f.read[port] += int64(n)
	f.mu.Unlock()
}

func (f *shimFar) serve(t testing.TB, st *netstack.Stack, port int, h func(net.Conn)) {
	ln, err := st.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				h(c)
			}()
		}
	}()
}

// countingReader counts what a service reads.
type countingReader struct {
	f *shimFar
	c net.Conn
}

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.c.Read(p)
	r.f.count(r.c, n)
	return n, err
}

func startShimFar(t testing.TB, st *netstack.Stack) *shimFar {
	f := &shimFar{read: map[uint16]int64{}, release: make(chan struct{})}
	t.Cleanup(func() {
		select {
		case <-f.release:
		default:
			close(f.release)
		}
	})
	f.serve(t, st, shimEchoPort, func(c net.Conn) { io.Copy(c, countingReader{f, c}) })
	f.serve(t, st, shimDiscardPort, func(c net.Conn) { io.Copy(io.Discard, countingReader{f, c}) })
	f.serve(t, st, shimChargenPort, func(c net.Conn) {
		line := []byte("0123456789abcdefghijklmnopqrstuvwxyz\r\n")
		for {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	})
	f.serve(t, st, shimHoldPort, func(c net.Conn) {
		<-f.release
		io.Copy(io.Discard, countingReader{f, c})
	})
	f.serve(t, st, shimClosePort, func(c net.Conn) { c.Write([]byte("bye")) })
	pc, err := st.ListenPacket("udp", ":"+strconv.Itoa(shimEchoPort))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:n], addr)
		}
	}()
	dpc, err := st.ListenPacket("udp", ":53")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dpc.Close() })
	srv := &dnsserver.Server{Records: map[string][]netip.Addr{
		"echo.example": {shimFarIP},
		"void.example": {netip.MustParseAddr("10.0.0.99")}, // nobody answers there
	}}
	go srv.Serve(dpc)
	return f
}

// shimFakeBackend activates the fake network.
type shimFakeBackend struct {
	net  *shimFakeNet
	nw   Network // if set, activated instead of net
	info ModemInfo
	fail error

	mu   sync.Mutex
	apns []string
}

func (b *shimFakeBackend) Activate(ctx context.Context, apn, user, password string) (Network, error) {
	b.mu.Lock()
	b.apns = append(b.apns, apn+"/"+user+"/"+password)
	b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	if b.nw != nil {
		return b.nw, nil
	}
	return b.net, nil
}

func (b *shimFakeBackend) Info(context.Context) ModemInfo { return b.info }

// shimRig is a shim serving one host over a ppptest pipe, with a real
// network behind it.
type shimRig struct {
	t    testing.TB
	host *ppptest.Conn
	dce  *ppptest.Conn // the shim's end
	dtr  atomic.Bool   // the host's DTR output
	be   *shimFakeBackend
	far  *netstack.Stack
	farS *shimFar
	out  chan []byte
	buf  []byte
	errc chan error
	stop context.CancelFunc
}

var shimTestInfo = ModemInfo{Manufacturer: "Quectel", Model: "M95", Revision: "M95FAR02A08",
	IMEI: "861234567890123", RSSI: 25, BER: 0, Registration: 1, SIMReady: true, Operator: "TestNet"}

func newShimRig(t testing.TB, tune func(*Config)) *shimRig {
	t.Helper()
	near, far := netstacktest.Pair(t, shimNearIP, shimFarIP)
	fs := startShimFar(t, far)
	fn := &shimFakeNet{Stack: near, done: make(chan struct{}), far: fs}
	be := &shimFakeBackend{net: fn, info: shimTestInfo}
	r := newShimRigBackend(t, be, tune)
	r.far, r.farS = far, fs
	return r
}

// newShimRigBackend serves a host with be behind the shim.
func newShimRigBackend(t testing.TB, be *shimFakeBackend, tune func(*Config)) *shimRig {
	t.Helper()
	cfg := Config{Backend: be,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if tune != nil {
		tune(&cfg)
	}
	a, b := ppptest.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	r := &shimRig{t: t, host: b, dce: a, be: be, out: make(chan []byte, 64), errc: make(chan error, 1), stop: cancel}
	r.dtr.Store(true)
	go func() { r.errc <- New(cfg).Serve(ctx, shimDTRConn{a, &r.dtr}) }()
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := b.Read(buf)
			if n > 0 {
				r.out <- bytes.Clone(buf[:n])
			}
			if err != nil {
				close(r.out)
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.errc:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not return")
		}
		a.Close()
		for range r.out {
		}
	})
	return r
}

func (r *shimRig) send(s string) {
	r.t.Helper()
	if _, err := r.host.Write([]byte(s)); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// fill waits until at least n bytes are buffered.
func (r *shimRig) fill(n int, why string) {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	for len(r.buf) < n {
		select {
		case b, ok := <-r.out:
			if !ok {
				r.t.Fatalf("output closed waiting for %s; have %q", why, r.buf)
			}
			r.buf = append(r.buf, b...)
		case <-deadline:
			r.t.Fatalf("timeout waiting for %s; have %q", why, r.buf)
		}
	}
}

// expect reads exactly want.
func (r *shimRig) expect(want string) {
	r.t.Helper()
	r.fill(len(want), strconv.Quote(want))
	got := string(r.buf[:len(want)])
	r.buf = r.buf[len(want):]
	if got != want {
		r.t.Fatalf("got %q, want %q (then %q)", got, want, r.buf)
	}
}

// until reads up to and including the first want, returning what came
// before it (the suffix matching of TinyGSM's waitResponse).
func (r *shimRig) until(want string) string {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if i := bytes.Index(r.buf, []byte(want)); i >= 0 {
			before := string(r.buf[:i])
			r.buf = r.buf[i+len(want):]
			return before
		}
		select {
		case b, ok := <-r.out:
			if !ok {
				r.t.Fatalf("output closed waiting for %q; have %q", want, r.buf)
			}
			r.buf = append(r.buf, b...)
		case <-deadline:
			r.t.Fatalf("timeout waiting for %q; have %q", want, r.buf)
		}
	}
}

// cmd sends an AT command line (echo off assumed) and expects the exact
// answer.
func (r *shimRig) cmd(line, want string) {
	r.t.Helper()
	r.send(line + "\r")
	r.expect(want)
}

// init turns echo off, as every client does.
func (r *shimRig) init() {
	r.t.Helper()
	r.cmd("ATE0", "ATE0\r\r\nOK\r\n")
}

// activate brings the foreground context to IP STATUS.
func (r *shimRig) activate() {
	r.t.Helper()
	r.cmd("AT+QIREGAPP", "\r\nOK\r\n")
	r.cmd("AT+QIACT", "\r\nOK\r\n")
	r.cmd("AT+QILOCIP", "\r\n10.0.0.2\r\n")
}

// shimDTRConn gives the shim's end of the pipe a DTR line.
type shimDTRConn struct {
	*ppptest.Conn
	dtr *atomic.Bool
}

func (c shimDTRConn) DTR() (bool, error) { return c.dtr.Load(), nil }

package shim_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

var (
	// gwAddr is the simulated network's own address, where the
	// simulator's services (echo 7, discard 9, HTTP 80, DNS 53) and the
	// test services below listen.
	gwAddr = netip.MustParseAddr("10.64.64.1")
	// hostName resolves to gwAddr through the simulator's DNS.
	hostName = "sim.gprsppp"
)

// Test services started on the network side of every stack, besides the
// simulator's own.
const (
	// sourcePort sends sim.Pattern(n) and closes, n being the decimal
	// number in the first line the client sends.
	sourcePort = 19
	// oncePort echoes the first chunk it reads, then closes: a server
	// that ends the connection from the remote side.
	oncePort = 2001
)

// stack is everything under the shim: the simulated modem, the PPP link
// the client dialled through it, and the network side of that link.
type stack struct {
	// client is the link the shim's connections run on (the modem's side).
	client *gprsppp.Link
	// network is the simulated network's side of the same link: tests
	// dial the client from it (server mode) and run services on it.
	network *gprsppp.Link
}

// newStack brings up the simulator and a PPP link to it; t.Cleanup takes
// it down. The network side also owns extra, addresses it can dial the
// client from (Link.DialTCPFrom), as other hosts of the operator's
// network.
func newStack(t *testing.T, extra ...netip.Addr) *stack {
	t.Helper()
	return newStackWith(t, 0, extra...)
}

// newPacedStack is newStack with latency added each way on the line
// between the modem and the client, as a cellular network has it: a TCP
// connection then takes a round trip of 2*latency to open, and an echo as
// long to come back.
func newPacedStack(t *testing.T, latency time.Duration) *stack {
	t.Helper()
	return newStackWith(t, latency)
}

// newStackWith is newStack with latency each way on the line and extra
// addresses on the network side.
func newStackWith(t *testing.T, latency time.Duration, extra ...netip.Addr) *stack {
	t.Helper()
	clientEnd, modemEnd := ppptest.OSPipe(t)
	var line io.ReadWriteCloser = modemEnd
	if latency > 0 {
		line = sim.Pace(modemEnd, 0, latency, nil)
	}
	netLinks := make(chan *gprsppp.Link, 1)
	var svc services
	modem := sim.NewModem(sim.ModemConfig{
		Network: gprsppp.NetworkConfig{
			LocalAddr:  gwAddr,
			ExtraAddrs: extra,
			DNS:        []netip.Addr{gwAddr},
			Ready: func(l *gprsppp.Link) error {
				if err := svc.start(l); err != nil {
					return err
				}
				netLinks <- l
				return nil
			},
		},
		Services: sim.Services{Names: map[string][]netip.Addr{hostName: {gwAddr}}},
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		modem.Serve(ctx, line)
	}()
	dctx, dcancel := context.WithTimeout(ctx, time.Minute)
	defer dcancel()
	client, err := gprsppp.DialPort(dctx, clientEnd, gprsppp.Config{})
	if err != nil {
		cancel()
		<-served
		t.Fatalf("dial the simulator: %v", err)
	}
	s := &stack{client: client}
	t.Cleanup(func() {
		client.Close()
		cancel()
		<-served
		svc.close()
	})
	select {
	case s.network = <-netLinks:
	case <-dctx.Done():
		t.Fatal("the network side of the link never came up")
	}
	return s
}

// tryDialFrom connects from src on the network side to the client's
// port, as a remote client of a listening socket; a refusal is its error.
func (s *stack) tryDialFrom(t *testing.T, src netip.Addr, port int) (net.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := s.network.DialTCPFrom(ctx, src, netip.AddrPortFrom(s.clientAddr(), uint16(port)))
	if err == nil {
		t.Cleanup(func() { c.Close() })
		c.SetDeadline(time.Now().Add(20 * time.Second))
	}
	return c, err
}

// dialFrom is tryDialFrom for a connection that must be made.
func (s *stack) dialFrom(t *testing.T, src netip.Addr, port int) net.Conn {
	t.Helper()
	c, err := s.tryDialFrom(t, src, port)
	if err != nil {
		t.Fatalf("dial port %d from %v: %v", port, src, err)
	}
	return c
}

// clientAddr is the address the network gave the client (AT+QILOCIP).
func (s *stack) clientAddr() netip.Addr { return s.client.LocalAddr() }

// dialClient opens a TCP connection from the network side to the
// client's port: a remote client of the shim's server mode.
func (s *stack) dialClient(t *testing.T, port int) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addr := netip.AddrPortFrom(s.clientAddr(), uint16(port)).String()
	c, err := s.network.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatalf("dial %s from the network: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// services are the extra test services on the network side.
type services struct {
	mu        sync.Mutex
	listeners []net.Listener
	wg        sync.WaitGroup
}

func (s *services) start(n *gprsppp.Link) error {
	if err := s.serve(n, sourcePort, serveSource); err != nil {
		return err
	}
	return s.serve(n, oncePort, func(c net.Conn) {
		buf := make([]byte, 4096)
		k, _ := c.Read(buf)
		c.Write(buf[:k])
	})
}

func (s *services) serve(n *gprsppp.Link, port int, handle func(net.Conn)) error {
	l, err := n.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.routineAccept(l, handle)
	}()
	return nil
}

func (s *services) routineAccept(l net.Listener, handle func(net.Conn)) {
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
			c.SetDeadline(time.Now().Add(5 * time.Minute))
			handle(c)
		}()
	}
}

func (s *services) close() {
	s.mu.Lock()
	for _, l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// serveSource reads a decimal length line and sends that many pattern
// octets.
func serveSource(c net.Conn) {
	var line []byte
	b := make([]byte, 1)
	for {
		if _, err := c.Read(b); err != nil {
			return
		}
		if b[0] == '\n' {
			break
		}
		line = append(line, b[0])
	}
	n, err := strconv.Atoi(string(trimCR(line)))
	if err != nil || n < 0 || n > 64<<20 {
		return
	}
	c.Write(sim.Pattern(n))
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// shimOptions configures a shim started by startShim.
type shimOptions struct {
	// dialect is the module's command set; zero is the M95's.
	dialect shim.Dialect
	// profile is the module the shim answers as; zero is the shim's
	// default (an M95).
	profile shim.Profile
	// pty serves the shim on a pseudo-terminal instead of a ppptest.Pipe.
	pty bool
	// dtr, if set, is the host's DTR line as the shim reads it.
	dtr *atomic.Bool
}

// dtrLine is a serial line end with a DTR input, as the shim's optional
// DTR() method has it.
type dtrLine struct {
	io.ReadWriteCloser
	dtr *atomic.Bool
}

func (l dtrLine) DTR() (bool, error) { return l.dtr.Load(), nil }

// startShim serves a shim backed by the stack's link on a fresh line and
// returns the host end. t.Cleanup stops it and checks that Serve returns.
func (s *stack) startShim(t *testing.T, o shimOptions) *host {
	t.Helper()
	link := s.client
	sh := shim.New(shim.Config{
		Backend: &gprsppp.ShimBackend{Link: func(context.Context) (*gprsppp.Link, error) {
			return link, nil
		}},
		Dialect: o.dialect,
		Profile: o.profile,
	})
	var dce, dte io.ReadWriteCloser
	if o.pty {
		dce, dte = ppptest.PtyPair(t)
	} else {
		dce, dte = ppptest.Pipe()
	}
	var line io.ReadWriter = dce
	if o.dtr != nil {
		line = dtrLine{dce, o.dtr}
	}
	return serveShim(t, sh, line, dce, dte)
}

// serveShim serves shim on line, the module's end dce, and returns the
// host at dte. t.Cleanup stops it and checks that Serve returns.
func serveShim(t *testing.T, sh *shim.Shim, line io.ReadWriter, dce, dte io.ReadWriteCloser) *host {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sh.Serve(ctx, line) }()
	h := newHost(t, dte)
	t.Cleanup(func() {
		cancel()
		dce.Close()
		h.close()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) &&
				!errors.Is(err, io.ErrClosedPipe) && !errors.Is(err, os.ErrClosed) {
				t.Logf("Serve returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return within 10 s of its context ending")
		}
	})
	return h
}

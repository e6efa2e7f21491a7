package test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
	"github.com/gprsppp/gprsppp/test/pppvm"
)

// simEcho is the simulator's TCP echo service.
var simEcho = netip.AddrPortFrom(networkAddr, 7).String()

// runSupervisor runs sup until the test ends and checks that Run
// returns cleanly once stopped.
func runSupervisor(t *testing.T, sup *gprsppp.Supervisor) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- sup.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-runErr:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Run did not return within 30 s of its context ending")
		}
	})
}

// nextLink waits for the supervisor's current link and checks that it is
// not prev.
func nextLink(t *testing.T, sup *gprsppp.Supervisor, prev *gprsppp.Link, within time.Duration) *gprsppp.Link {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	l, err := sup.Link(ctx)
	if err != nil {
		t.Fatalf("no link within %v: %v", within, err)
	}
	if l == prev {
		t.Fatal("Link returned the link that ended")
	}
	return l
}

// simModems dials a fresh simulated modem on a fresh serial line for
// each call: DialPort's hang-up closes the port, so a line serves one
// call. Each line can run through a relay that may go silent.
type simModems struct {
	t *testing.T
	// cfg returns the modem's configuration for the n-th dial, from 0.
	cfg func(n int) sim.ModemConfig
	// client is the client's Config for every dial.
	client gprsppp.Config
	// relayed puts a relay between the client and the modem.
	relayed bool
	// port, if set, makes the client's port for the n-th dial from its
	// end of the line.
	port func(n int, line ppptest.OSLine) device.Port

	ctx    context.Context // ends the modems
	wg     sync.WaitGroup
	mu     sync.Mutex
	n      int
	relays []*relay
}

func newSimModems(t *testing.T, cfg func(n int) sim.ModemConfig, client gprsppp.Config) *simModems {
	ctx, cancel := context.WithCancel(context.Background())
	m := &simModems{t: t, cfg: cfg, client: client, ctx: ctx}
	t.Cleanup(func() {
		cancel()
		m.wg.Wait()
	})
	return m
}

func (m *simModems) dial(ctx context.Context) (*gprsppp.Link, error) {
	m.mu.Lock()
	n := m.n
	m.n++
	m.mu.Unlock()
	clientEnd, modemEnd := ppptest.OSPipe(m.t)
	var line io.ReadWriteCloser = modemEnd
	if m.relayed {
		x, y := ppptest.OSPipe(m.t)
		m.mu.Lock()
		m.relays = append(m.relays, newRelay(modemEnd, x))
		m.mu.Unlock()
		line = y
	}
	modem := sim.NewModem(m.cfg(n))
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		modem.Serve(m.ctx, line)
	}()
	var port device.Port = clientEnd
	if m.port != nil {
		port = m.port(n, clientEnd)
	}
	return gprsppp.DialPort(ctx, port, m.client)
}

func (m *simModems) dials() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

func (m *simModems) relay(n int) *relay {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.relays[n]
}

// pingPong writes msg on c and reads it back from an echo service.
func pingPong(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	defer c.SetDeadline(time.Time{})
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != msg {
		t.Fatalf("echo: %q, %v; want %q", got, err, msg)
	}
}

// A modem that keeps losing the carrier: each time, a socket on the
// dropped link fails at once, and the supervisor brings up a new link
// on a fresh line that carries new sockets.
func TestRedialAfterCarrierLoss(t *testing.T) {
	const drops = 2
	const dropAfter = time.Minute
	// The modems that drop run on manual clocks: the test drops each
	// call when it is ready for it.
	clocks := make([]*clock.Manual, drops)
	for i := range clocks {
		clocks[i] = clock.NewManual(time.Now())
	}
	modems := newSimModems(t, func(n int) sim.ModemConfig {
		cfg := sim.ModemConfig{Network: gprsppp.NetworkConfig{LocalAddr: networkAddr, DNS: []netip.Addr{dnsAddr}}}
		if n < drops {
			cfg.DropAfter = dropAfter
			cfg.Clock = clocks[n]
		}
		return cfg
	}, gprsppp.Config{Logger: testLogger(t)})
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: modems.dial, Persist: true, Holdoff: 50 * time.Millisecond, Logger: testLogger(t),
	})
	runSupervisor(t, sup)

	var prev *gprsppp.Link
	for i := range drops {
		link := nextLink(t, sup, prev, 30*time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := link.DialContext(ctx, "tcp", simEcho)
		cancel()
		if err != nil {
			t.Fatalf("link %d: dial echo: %v", i, err)
		}
		pingPong(t, c, fmt.Sprintf("before drop %d", i))
		// Block in Read until the carrier drops: it must fail with the
		// link, long before its deadline.
		read := make(chan error, 1)
		go func() {
			c.SetReadDeadline(time.Now().Add(15 * time.Second))
			_, err := c.Read(make([]byte, 1))
			read <- err
		}()
		dropped := time.Now()
		clocks[i].Advance(dropAfter)
		err = <-read
		failed := time.Now()
		c.Close()
		if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("link %d: read on the dropped link: %v, want a prompt error", i, err)
		}
		if !errors.Is(err, dialer.ErrNoCarrier) {
			t.Errorf("link %d: the socket's error %q does not tell the carrier was lost", i, err)
		}
		if d := failed.Sub(dropped); d > 3*time.Second {
			t.Errorf("link %d: the socket failed %v after the carrier dropped", i, d)
		}
		select {
		case <-link.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("link %d: the socket failed (%v) but the link is still up", i, err)
		}
		if err := link.Err(); !errors.Is(err, dialer.ErrNoCarrier) || !errors.Is(err, gprsppp.ErrIO) {
			t.Fatalf("link %d: reason %v, want ErrIO wrapping NO CARRIER", i, err)
		}
		t.Logf("link %d: socket failed %v after the carrier dropped: %v",
			i, failed.Sub(dropped).Round(time.Millisecond), err)
		prev = link
	}
	start := time.Now()
	link := nextLink(t, sup, prev, 30*time.Second)
	t.Logf("link %d up %v after the last drop", drops, time.Since(start).Round(time.Millisecond))
	echoTCP(t, link, simEcho, 64<<10)
	if n := modems.dials(); n != drops+1 {
		t.Errorf("%d dials, want %d", n, drops+1)
	}
}

// A radio link that goes silent without losing the carrier: the LCP
// echo keepalive ends the link within its interval times its failures,
// and the supervisor redials on a fresh line.
func TestRedialAfterKeepaliveTimeout(t *testing.T) {
	const interval, failures = 200 * time.Millisecond, 3
	modems := newSimModems(t, func(int) sim.ModemConfig {
		return sim.ModemConfig{Network: gprsppp.NetworkConfig{LocalAddr: networkAddr, DNS: []netip.Addr{dnsAddr}}}
	}, gprsppp.Config{EchoInterval: interval, EchoFailures: failures, Logger: testLogger(t)})
	modems.relayed = true
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: modems.dial, Persist: true, Holdoff: 50 * time.Millisecond, Logger: testLogger(t),
	})
	runSupervisor(t, sup)

	first := nextLink(t, sup, nil, 30*time.Second)
	echoTCP(t, first, simEcho, 16<<10)
	// The peer answers echoes: the link stays up for many intervals.
	select {
	case <-first.Done():
		t.Fatalf("link ended while the peer answered echoes: %v", first.Err())
	case <-time.After(5 * interval):
	}
	modems.relay(0).blackhole.Store(true)
	silent := time.Now()
	limit := interval*(failures+1) + 2*time.Second
	if err := waitDone(t, first, limit); !errors.Is(err, gprsppp.ErrKeepalive) {
		t.Fatalf("reason %v, want ErrKeepalive", err)
	}
	t.Logf("keepalive ended the link %v after the line went silent (limit %v)",
		time.Since(silent).Round(time.Millisecond), limit)

	second := nextLink(t, sup, first, 30*time.Second)
	t.Logf("second link up %v after the line went silent", time.Since(silent).Round(time.Millisecond))
	echoTCP(t, second, simEcho, 16<<10)
	if n := modems.dials(); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
}

// Against pppd: carrier loss and a hang-up from the network each end the
// link with their own reason, and the supervisor redials the same modem
// port each time.
func TestRedialPPPD(t *testing.T) {
	vm := pppvm.Start(t, pppvm.Options{})
	var dials atomic.Int32
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: func(ctx context.Context) (*gprsppp.Link, error) {
			dials.Add(1)
			return gprsppp.Dial(ctx, gprsppp.Config{Device: vm.Serial, Logger: testLogger(t)})
		},
		Persist: true, Holdoff: 50 * time.Millisecond, Logger: testLogger(t),
	})
	runSupervisor(t, sup)
	echo := net.JoinHostPort(pppvm.PeerAddr, fmt.Sprint(pppvm.EchoPort))

	link := nextLink(t, sup, nil, 60*time.Second)
	echoTCP(t, link, echo, 64<<10)
	for _, tc := range []struct {
		ctl  string
		want []error
	}{
		// pppd is killed: the line just goes quiet, then the modem says
		// NO CARRIER, which ends the link as an I/O failure.
		{ctl: "drop", want: []error{gprsppp.ErrIO, dialer.ErrNoCarrier}},
		{ctl: "hangup", want: []error{gprsppp.ErrPeerTerminated}},
	} {
		if err := vm.Ctl(tc.ctl); err != nil {
			t.Fatalf("%s: %v", tc.ctl, err)
		}
		start := time.Now()
		err := waitDone(t, link, 20*time.Second)
		for _, w := range tc.want {
			if !errors.Is(err, w) {
				t.Fatalf("%s: reason %v, want %v", tc.ctl, err, w)
			}
		}
		t.Logf("%s: link ended %v later: %v", tc.ctl, time.Since(start).Round(time.Millisecond), err)
		next := nextLink(t, sup, link, 60*time.Second)
		t.Logf("%s: new link up %v later", tc.ctl, time.Since(start).Round(time.Millisecond))
		echoTCP(t, next, echo, 64<<10)
		link = next
	}
	// Three dials when the VM keeps up; more when its modem is still
	// busy with the pppd that just ended (a slow, emulated VM on a loaded
	// machine) and a dial fails, which the supervisor then retries.
	if n := dials.Load(); n < 3 {
		t.Errorf("%d dials, want 3 or more", n)
	} else {
		t.Logf("%d dials", n)
	}
}

package shim_test

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// supervisedStack keeps a link to the simulator up with a Supervisor,
// each call on a fresh line to a fresh modem (the hang-up closes the
// line). The first call drops after firstDrop, as a radio loss would.
type supervisedStack struct {
	sup   *gprsppp.Supervisor
	dials atomic.Int32
}

func newSupervisedStack(t *testing.T, firstDrop time.Duration) *supervisedStack {
	t.Helper()
	mctx, mcancel := context.WithCancel(context.Background())
	var modems sync.WaitGroup
	t.Cleanup(func() {
		mcancel()
		modems.Wait()
	})
	s := &supervisedStack{}
	dial := func(ctx context.Context) (*gprsppp.Link, error) {
		cfg := sim.ModemConfig{Network: gprsppp.NetworkConfig{LocalAddr: gwAddr, DNS: []netip.Addr{gwAddr}}}
		if s.dials.Add(1) == 1 {
			cfg.DropAfter = firstDrop
		}
		clientEnd, modemEnd := ppptest.OSPipe(t)
		modem := sim.NewModem(cfg)
		modems.Add(1)
		go func() {
			defer modems.Done()
			modem.Serve(mctx, modemEnd)
		}()
		return gprsppp.DialPort(ctx, clientEnd, gprsppp.Config{})
	}
	s.sup = gprsppp.NewSupervisor(gprsppp.SupervisorConfig{Dial: dial, Persist: true, Holdoff: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- s.sup.Run(ctx) }()
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
	return s
}

// link waits for the supervisor's current link.
func (s *supervisedStack) link(t *testing.T) *gprsppp.Link {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := s.sup.Link(ctx)
	if err != nil {
		t.Fatalf("no link: %v", err)
	}
	return l
}

// startShim serves a shim whose backend takes the supervisor's current
// link, so that each AT+QIACT gets the link up at the time.
func (s *supervisedStack) startShim(t *testing.T) *host {
	t.Helper()
	return s.startShimDialect(t, shim.DialectM95)
}

// startShimDialect is startShim with the given dialect.
func (s *supervisedStack) startShimDialect(t *testing.T, d shim.Dialect) *host {
	t.Helper()
	sh := shim.New(shim.Config{Backend: &gprsppp.ShimBackend{Link: s.sup.Link}, Dialect: d})
	dce, dte := ppptest.Pipe()
	return serveShim(t, sh, dce, dce, dte)
}

// echoSingle sends msg on the single connection and reads it back from
// the echo service with AT+QIRD.
func echoSingle(t *testing.T, h *host, r *qiReader, msg string) {
	t.Helper()
	h.cmd(fmt.Sprintf("AT+QISEND=%d", len(msg)))
	h.prompt(5 * time.Second)
	h.write([]byte(msg))
	h.expect(5*time.Second, "SEND OK")
	var got []byte
	for len(got) < len(msg) {
		r.wait(10 * time.Second)
		got = append(got, r.read(1024)...)
	}
	if string(got) != msg {
		t.Fatalf("echo %q, want %q", got, msg)
	}
}

// The link under the shim drops: the host sees its connection close and
// +PDP DEACT, and once it deactivates and activates again, the context
// runs on the supervisor's next link.
func TestPDPDeactAndReactivate(t *testing.T) {
	const drop = 4 * time.Second
	st := newSupervisedStack(t, drop)
	first := st.link(t)
	h := st.startShim(t)
	h.at("ATE0", "OK")
	h.at("AT+QINDI=1", "OK")
	h.at("AT+QIREGAPP", "OK")
	h.at("AT+QIACT", "OK")
	h.at("AT+QILOCIP", first.LocalAddr().String())
	h.at(fmt.Sprintf(`AT+QIOPEN="TCP","%v",7`, gwAddr), "OK", "CONNECT OK")
	r := newSingleReader(h)
	echoSingle(t, h, r, "on the first link")

	// The carrier drops: CLOSED for the connection, then +PDP DEACT.
	deadline := time.Now().Add(drop + 10*time.Second)
	for {
		l, ok := h.tryLine(deadline)
		if !ok {
			t.Fatalf("no +PDP DEACT: %s", h.tail())
		}
		if l == "+PDP DEACT" {
			break
		}
		if !r.urc(l) {
			t.Fatalf("unexpected line %q before +PDP DEACT", l)
		}
	}
	if !r.done {
		t.Error("+PDP DEACT without CLOSED for the open connection")
	}
	select {
	case <-first.Done():
		t.Logf("+PDP DEACT after the link ended: %v", first.Err())
	default:
		t.Fatal("+PDP DEACT while the link is up")
	}
	h.at("AT+QISTAT", "OK", "STATE: PDP DEACT")
	h.at("AT+QILOCIP", "ERROR")

	// The host starts over; AT+QIACT waits for the redialled link.
	start := time.Now()
	h.at("AT+QIDEACT", "DEACT OK")
	h.at("AT+QIREGAPP", "OK")
	h.at("AT+QIACT", "OK")
	t.Logf("AT+QIACT answered %v after AT+QIDEACT", time.Since(start).Round(time.Millisecond))
	second := st.link(t)
	if second == first {
		t.Fatal("the supervisor still hands out the dropped link")
	}
	h.at("AT+QILOCIP", second.LocalAddr().String())
	h.at(fmt.Sprintf(`AT+QIOPEN="TCP","%v",7`, gwAddr), "OK", "CONNECT OK")
	r = newSingleReader(h)
	echoSingle(t, h, r, "on the second link")
	h.at("AT+QICLOSE", "CLOSE OK")
	h.at("AT+QIDEACT", "DEACT OK")
	if n := st.dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
}

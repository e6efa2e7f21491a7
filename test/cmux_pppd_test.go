package test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/cmux"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/test/pppvm"
)

// killablePort is a device port that the test can cut, as a process
// killed with its multiplexer open does: nothing more goes out, so no
// DISC and no CLD reach the modem.
type killablePort struct {
	device.Port
	mu   sync.Mutex
	dead bool
}

func (p *killablePort) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return 0, net.ErrClosed
	}
	return p.Port.Write(b)
}

func (p *killablePort) kill() {
	p.mu.Lock()
	p.dead = true
	p.mu.Unlock()
	p.Port.Close()
}

// cmuxConfig is a client of the VM's n_gsm multiplexer.
func cmuxConfig(t *testing.T, vm *pppvm.VM) gprsppp.Config {
	return gprsppp.Config{Device: vm.Serial, CMUX: true, CMUXKeepAlive: time.Second,
		StatusInterval: time.Hour, Logger: testLogger(t), ModemLogger: testLogger(t)}
}

// dialKillable dials the VM through a port the test can cut.
func dialKillable(t *testing.T, cfg gprsppp.Config) (*gprsppp.Link, *killablePort) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	port, err := device.Open(ctx, cfg.Device, cfg.Port)
	if err != nil {
		t.Fatal(err)
	}
	kp := &killablePort{Port: port}
	l, err := gprsppp.DialPort(ctx, kp, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, kp
}

// checkLink moves data over the link on DLCI 2 and asks the modem for
// its signal on DLCI 1.
func checkLink(t *testing.T, l *gprsppp.Link) {
	t.Helper()
	echoTCP(t, l, net.JoinHostPort(pppvm.PeerAddr, fmt.Sprint(pppvm.EchoPort)), 32<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := l.ModemCommand(ctx, "AT+CSQ", 0)
	if err != nil || r.Result != "OK" || len(r.Lines) != 1 || !strings.HasPrefix(r.Lines[0], "+CSQ: ") {
		t.Errorf("AT+CSQ on DLCI 1: %+v, %v", r, err)
	}
}

// A gprsppp that died with its multiplexer open leaves n_gsm in it: the
// next dial's CLD and DISC 0 bring the modem back to AT, and a new
// multiplexer and link come up.
func TestPPPDCMUXRedialAfterCrash(t *testing.T) {
	vm := pppvm.Start(t, pppvm.Options{CMUX: true})
	cfg := cmuxConfig(t, vm)
	first, port := dialKillable(t, cfg)
	checkLink(t, first)
	port.kill()
	err := waitDone(t, first, 20*time.Second)
	if !errors.Is(err, gprsppp.ErrIO) {
		t.Errorf("link over a cut port ended with %v, want ErrIO", err)
	}
	second, _ := dialKillable(t, cfg)
	checkLink(t, second)
	if n := strings.Count(vm.Console(), "cmux: mux closed"); n != 1 {
		t.Errorf("the VM's console shows the multiplexer closed %d times, want once (by the second dial's CLD)", n)
	}
}

// n_gsm leaving its multiplexer without a frame (ctl cmuxoff) leaves the
// multiplexer silent: the keepalive's Test commands go unanswered and
// the link ends, saying so; a supervisor's redial brings it back.
func TestPPPDCMUXSilentRedial(t *testing.T) {
	vm := pppvm.Start(t, pppvm.Options{CMUX: true})
	cfg := cmuxConfig(t, vm)
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{Persist: true, Holdoff: 500 * time.Millisecond, MaxFail: 3,
		Dial: func(ctx context.Context) (*gprsppp.Link, error) { return gprsppp.Dial(ctx, cfg) }})
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- sup.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("supervisor: %v", err)
		}
	}()
	wait, stop := context.WithTimeout(ctx, 90*time.Second)
	defer stop()
	first, err := sup.Link(wait)
	if err != nil {
		t.Fatal(err)
	}
	checkLink(t, first)
	if err := vm.Ctl("cmuxoff"); err != nil {
		t.Fatal(err)
	}
	err = waitDone(t, first, 30*time.Second)
	if !errors.Is(err, cmux.ErrPeerSilent) {
		t.Errorf("link ended with %v, want the multiplexer's silence (cmux.ErrPeerSilent)", err)
	}
	t.Logf("reason: %v", err)
	second, err := sup.Link(wait)
	if err != nil {
		t.Fatalf("no link after the redial: %v", err)
	}
	checkLink(t, second)
}

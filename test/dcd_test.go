package test

import (
	"context"
	"errors"
	"net/netip"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// dcdLine is a serial line with modem control lines: Data Carrier Detect
// is set by the test, Data Terminal Ready drops are counted.
type dcdLine struct {
	ppptest.OSLine
	carrier  atomic.Bool
	dtrDrops atomic.Int32
}

var _ device.ModemControl = (*dcdLine)(nil)

func (d *dcdLine) Carrier() (bool, error) { return d.carrier.Load(), nil }

func (d *dcdLine) SetDTR(on bool) error {
	if !on {
		d.dtrDrops.Add(1)
	}
	return nil
}

// A modem that lowers DCD without a word on the line (the call is gone,
// the data path silent): the link ends with ErrCarrierLost within a few
// carrier polls, sockets on it fail at once, the modem is hung up with a
// DTR drop, and the supervisor brings up a new link on a fresh line.
func TestRedialAfterDCDLow(t *testing.T) {
	const poll = 20 * time.Millisecond
	lines := make(chan *dcdLine, 2)
	modems := newSimModems(t, func(int) sim.ModemConfig {
		return sim.ModemConfig{Network: gprsppp.NetworkConfig{LocalAddr: networkAddr, DNS: []netip.Addr{dnsAddr}}}
	}, gprsppp.Config{CarrierPoll: poll, Logger: testLogger(t)})
	modems.port = func(_ int, l ppptest.OSLine) device.Port {
		d := &dcdLine{OSLine: l}
		d.carrier.Store(true)
		lines <- d
		return d
	}
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: modems.dial, Persist: true, Holdoff: 50 * time.Millisecond, Logger: testLogger(t),
	})
	runSupervisor(t, sup)

	link := nextLink(t, sup, nil, 30*time.Second)
	line := <-lines
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := link.DialContext(ctx, "tcp", simEcho)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pingPong(t, c, "before DCD drops")

	read := make(chan error, 1)
	go func() {
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := c.Read(make([]byte, 1))
		read <- err
	}()
	dropped := time.Now()
	line.carrier.Store(false)
	select {
	case err := <-read:
		if !errors.Is(err, gprsppp.ErrCarrierLost) || !errors.Is(err, syscall.ECONNABORTED) {
			t.Fatalf("read on the dropped link: %v, want a prompt ECONNABORTED naming the carrier loss", err)
		}
		t.Logf("socket failed %v after DCD dropped: %v", time.Since(dropped).Round(time.Millisecond), err)
	case <-time.After(10 * time.Second):
		t.Fatal("the socket is still open 10 s after DCD dropped")
	}
	select {
	case <-link.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the link is still up 5 s after DCD dropped")
	}
	if err := link.Err(); !errors.Is(err, gprsppp.ErrCarrierLost) || !errors.Is(err, gprsppp.ErrIO) {
		t.Fatalf("reason %v, want ErrIO wrapping ErrCarrierLost", err)
	}
	link.Close() // waits for the hang-up
	if n := line.dtrDrops.Load(); n < 1 {
		t.Error("the modem was not hung up with a DTR drop")
	}

	next := nextLink(t, sup, link, 30*time.Second)
	echoTCP(t, next, simEcho, 64<<10)
	if n := modems.dials(); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
}

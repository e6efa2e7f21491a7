package test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// A modem that loses the carrier mid-call reports NO CARRIER on the
// line; the link ends promptly with that reason, not at a keepalive.
func TestCarrierLossEndsLink(t *testing.T) {
	client, modemEnd := ppptest.OSPipe(t)
	gw := netip.MustParseAddr("10.64.64.1")
	modem := sim.NewModem(sim.ModemConfig{
		Network:   gprsppp.NetworkConfig{LocalAddr: gw, DNS: []netip.Addr{gw}},
		DropAfter: 500 * time.Millisecond,
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		modem.Serve(ctx, modemEnd)
		close(served)
	}()
	defer func() { cancel(); <-served }()
	dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer dcancel()
	link, err := gprsppp.DialPort(dctx, client, gprsppp.Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	err = waitDone(t, link, 10*time.Second)
	if !errors.Is(err, dialer.ErrNoCarrier) || !errors.Is(err, gprsppp.ErrIO) {
		t.Fatalf("reason %v, want NO CARRIER", err)
	}
}

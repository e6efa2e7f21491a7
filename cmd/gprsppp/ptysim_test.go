package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gprsppp/gprsppp/sim"
)

// servePtySim serves a simulated modem set up with cfg on a new pty, as
// "gprsppp sim --link" does, and returns the pty's path. The modem powers
// off at cleanup, after whatever the test started later (a connect) has
// stopped.
func servePtySim(t *testing.T, cfg sim.ModemConfig) string {
	t.Helper()
	tty := filepath.Join(t.TempDir(), "tty")
	pty, err := sim.ListenPty(tty)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		sim.NewModem(cfg).Serve(ctx, pty)
		close(served)
	}()
	t.Cleanup(func() { cancel(); <-served; pty.Close() })
	return tty
}

package main

import (
	"context"
	"io"
	"net"
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

// hostService serves each connection to a new port on this host's
// loopback with serve, then closes it, until the test ends; it returns
// the service's address.
func hostService(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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
				serve(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// greeting is a hostService that writes msg.
func greeting(msg string) func(net.Conn) {
	return func(c net.Conn) { io.WriteString(c, msg) }
}

package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/internal/linkstate"
)

// gprsppp at on a device a running connect holds without --cmux says
// the port is busy, which process holds it and why (the PPP link has
// the only line; --cmux would keep an AT channel), and exits 2.
func TestAtBusyWithoutCMUX(t *testing.T) {
	runtimeDir(t)
	tty := servePtySim(t, simModemConfig(slog.New(slog.DiscardHandler)))
	startConnect(t, connectFlags{device: tty, baud: 115200, maxfail: 1})
	var out, errOut bytes.Buffer
	err := runAt(context.Background(), strings.NewReader(""), &out, &errOut, &globals{},
		atFlags{device: tty, timeout: 5 * time.Second}, []string{"+CSQ"})
	var e *exitError
	if !errors.As(err, &e) || e.code != exitDevice {
		t.Fatalf("at on a held port: %v, want exit status %d", err, exitDevice)
	}
	msg := err.Error()
	for _, want := range []string{"port busy", tty, "PID " + strconv.Itoa(os.Getpid()), "--cmux", "AT channel"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	t.Logf("at: %v", err)
	if out.Len() != 0 {
		t.Errorf("at printed %q", out.String())
	}
}

// gprsppp status shows what the AT channel read, with when.
func TestStatusShowsATChannel(t *testing.T) {
	at := time.Date(2026, 12, 5, 1, 2, 3, 0, time.UTC)
	st := linkstate.Status{Name: "x", State: linkstate.Up, Signal: "20,99", ATChannel: true,
		Modem: &dialer.ModemStatus{Signal: "20,99", CEREG: "+CEREG: 2,5", Operator: `0,0,"Net",7`, Updated: at}}
	var out bytes.Buffer
	printStatus(&out, st, at)
	want := `signal -73 dBm (CSQ 20,99), registered, roaming, operator "Net" on E-UTRAN at 2026-12-05 01:02:03`
	if !strings.Contains(out.String(), want) {
		t.Errorf("status does not show %q:\n%s", want, out.String())
	}
}

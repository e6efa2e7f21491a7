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

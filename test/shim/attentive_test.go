package shim_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/rawtty"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/shim"
)

// TestAttentiveSIM800 compiles attentive's SIM800 driver (the real C
// client, copied unchanged into testdata/attentive/ with its licence) with a small
// main (testdata/attentive/sim800_echo.c) and runs it against the shim in the
// SIM800 dialect over a pseudo-terminal, as on a serial port: attach
// (autobauding AT, ATE0, the init strings, the CIPMUX/CIPRXGET/CIPQSEND
// set-and-read-back dance), pdp_open (SAPBR, AT+CIPSTATUS read to its
// C: 5 line, CSTT, CIICR, AT+CIFSR taken by its address line),
// AT+CIPSTART=2,TCP,... and the "2, CONNECT OK" URC, AT+CIPSEND with the
// exact "> " prompt and DATA ACCEPT, AT+CIPRXGET=2 reads of raw data,
// AT+CIPACK, "2, CLOSE OK" and SHUT OK. The echo is the simulator's.
//
// The network has 50 ms of latency each way, as a cellular one has far
// more: attentive's at_command hands its caller a pointer into the
// parser's buffer, which the reader thread overwrites with the next line,
// so a URC arriving within microseconds of a final result (a CONNECT OK
// over loopback right after AT+CIPSTART's OK) turns that result into
// garbage. On a real network the round trip keeps them apart.
func TestAttentiveSIM800(t *testing.T) {
	gcc := testenv.NeedTool(t, "gcc", "apt-get install gcc")
	bin := filepath.Join(t.TempDir(), "sim800-echo")
	src := filepath.Join("testdata", "attentive")
	build := exec.Command(gcc, "-std=gnu99", "-O1", "-I"+filepath.Join(src, "include"), "-o", bin,
		filepath.Join(src, "sim800_echo.c"), filepath.Join(src, "src", "parser.c"),
		filepath.Join(src, "src", "at-unix.c"), filepath.Join(src, "src", "cellular.c"),
		filepath.Join(src, "src", "modem", "common.c"), filepath.Join(src, "src", "modem", "sim800.c"),
		"-lpthread")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}

	st := newPacedStack(t, 50*time.Millisecond)
	link := st.client
	sh := shim.New(shim.Config{
		Backend: &gprsppp.ShimBackend{Link: func(context.Context) (*gprsppp.Link, error) { return link, nil }},
		Dialect: shim.DialectSIM800,
	})
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	defer slave.Close() // held open so that the client's close is no hangup
	if master, err = rawtty.Pollable(master); err != nil {
		t.Fatalf("pty master: %v", err)
	}
	for _, f := range []*os.File{master, slave} {
		if err := rawtty.MakeRaw(f); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- sh.Serve(ctx, master) }()
	defer func() {
		cancel()
		master.Close()
		select {
		case err := <-served:
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, os.ErrClosed) {
				t.Logf("Serve returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return within 10 s of its context ending")
		}
	}()

	rctx, rcancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer rcancel()
	run := exec.CommandContext(rctx, bin, slave.Name(), "internet", gwAddr.String(), "7")
	out, err := run.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "attentive: echo ok") {
		t.Fatalf("attentive's SIM800 client: %v\n%s", err, out)
	}
	t.Logf("attentive's SIM800 client:\n%s", out)
}

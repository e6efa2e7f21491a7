package shim_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/rawtty"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// TestTelitAttentiveC runs attentive's own C code (testdata/attentive:
// at-unix.c, parser.c, telit2.c, compiled with gcc) against the Telit
// shim on a pseudo-terminal: attach, ICCID, PDP context, AT#SD in command
// mode to the simulator's echo service, AT#SSENDEXT in 500-byte blocks,
// waitack on AT#SI/AT#SS, AT#SRECV until the data is back, AT#SH and
// AT#SGACT=1,0. The data holds all 256 octet values.
func TestTelitAttentiveC(t *testing.T) {
	gcc := testenv.NeedTool(t, "gcc", "apt-get install gcc")
	src, err := filepath.Abs("testdata/attentive")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "telit-echo")
	build := exec.Command(gcc, "-std=gnu99", "-Wall", "-I"+filepath.Join(src, "include"), "-o", bin,
		"telit-echo.c", "src/at-unix.c", "src/cellular.c", "src/parser.c", "src/modem/common.c", "src/modem/telit2.c", "-lpthread")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build attentive: %v\n%s", err, out)
	}

	st := newStack(t)
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close() }) // kept open: no hangup when the client closes
	if master, err = rawtty.Pollable(master); err != nil {
		t.Fatal(err)
	}
	for _, f := range []*os.File{master, slave} {
		if err := rawtty.MakeRaw(f); err != nil {
			t.Fatal(err)
		}
	}
	link := st.client
	sh := shim.New(shim.Config{
		Backend: &gprsppp.ShimBackend{Link: func(context.Context) (*gprsppp.Link, error) { return link, nil }},
		Dialect: shim.DialectTelit,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sh.Serve(ctx, master) }()
	t.Cleanup(func() {
		cancel()
		master.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return")
		}
	})

	data := append(sim.Pattern(1000), make([]byte, 256)...)
	for i := range 256 {
		data[1000+i] = byte(i)
	}
	rctx, rcancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer rcancel()
	outFile := filepath.Join(t.TempDir(), "echoed")
	cmd := exec.CommandContext(rctx, bin, slave.Name(), "internet", gwAddr.String(), "7", outFile)
	cmd.Stdin = bytes.NewReader(data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("telit-echo: %v\n%s\nthe client's log:\n%s", err, stderr.String(), stdout.String())
	}
	got, err := os.ReadFile(outFile)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("echoed %d octets (%v), want %d; the client's log:\n%s", len(got), err, len(data), stdout.String())
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A connect killed with SIGKILL leaves "gprsppp sim --link" in data mode,
// with the call up: nobody hung up, and a pty has no DTR to drop. The next
// connect --persist escapes, hangs up and comes up at its first dial.
func TestConnectAfterKilledConnect(t *testing.T) {
	link := filepath.Join(t.TempDir(), "modem")
	startSim(t, "--link", link)

	killed := startChild(t, "connect", "--device", link, "--socks5", freeAddr(t))
	killed.await(t, "ready:", simTimeout)
	killed.cmd.Process.Kill()
	killed.wait(t, simTimeout)

	cmd := newConnect(&globals{})
	cmd.SetArgs([]string{"--device", link, "--socks5", freeAddr(t), "--persist", "--holdoff", "100ms"})
	pr, pw := io.Pipe()
	cmd.SetOut(pw)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- cmd.ExecuteContext(ctx)
		pw.Close()
	}()
	defer func() {
		cancel()
		go io.Copy(io.Discard, pr)
		if err := <-done; err != nil {
			t.Errorf("second connect: %v", err)
		}
	}()
	dials := 0
	for _, l := range readUntil(t, pr, "ready:") {
		if strings.HasPrefix(l, "dialing ") {
			dials++
		}
	}
	if dials != 1 {
		t.Errorf("the second connect came up after %d dials, want 1", dials)
	}
}

// readUntil reads lines from r until one starts with prefix and returns
// them all, or none if r ends first.
func readUntil(t *testing.T, r io.Reader, prefix string) []string {
	t.Helper()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
			if strings.HasPrefix(sc.Text(), prefix) {
				return
			}
		}
	}()
	var got []string
	deadline := time.After(simTimeout)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return nil
			}
			got = append(got, l)
			if strings.HasPrefix(l, prefix) {
				return got
			}
		case <-deadline:
			t.Fatalf("no %q line within %v: %q", prefix, simTimeout, got)
		}
	}
}

// connect --persist with a wrong PIN, against "gprsppp sim --pin": the
// SIM gets the PIN once, connect ends at once with exit status 9 and says
// where the PIN comes from.
func TestConnectWrongPINExitsSIM(t *testing.T) {
	link := filepath.Join(t.TempDir(), "modem")
	startSim(t, "--link", link, "--pin", "1234")
	pinFile := filepath.Join(t.TempDir(), "pin")
	// Not 1234, and a new one each run: a PIN the SIM rejected is not
	// sent again in this process.
	wrong := fmt.Sprintf("%08d", time.Now().UnixNano()%1e8)
	if err := os.WriteFile(pinFile, []byte(wrong+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := newConnect(&globals{})
	cmd.SetArgs([]string{"--device", link, "--pin-file", pinFile, "--persist", "--holdoff", "10ms", "--maxfail", "5"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ctx, cancel := context.WithTimeout(context.Background(), simTimeout)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	var e *exitError
	if !errors.As(err, &e) || e.code != exitSIM {
		t.Fatalf("connect: %v, want exit status %d", err, exitSIM)
	}
	if !strings.Contains(err.Error(), "GPRSPPP_PIN") {
		t.Errorf("error %q does not say where the PIN comes from", err)
	}
	simCommand(t, simOpen(t, link), `AT+CPINR="SIM PIN"`, "+CPINR: SIM PIN,2,3\r\n\r\nOK\r\n")
}

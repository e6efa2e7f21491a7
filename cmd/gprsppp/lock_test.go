package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// lockDirEnv points the device package's lock files elsewhere than
// /var/lock (see device.Options.LockDir).
const lockDirEnv = "GPRSPPP_LOCK_DIR"

// TestPortLockedProcess runs connect on the simulator's pty, through the
// simulator's symbolic link, then a second connect and an "at" on the same
// port, the latter under the pty's own name. Both fail at once, naming the
// holder's PID, instead of writing AT into the live PPP session and timing
// out. The holder's lock file is gone once it has ended.
func TestPortLockedProcess(t *testing.T) {
	lockDir := t.TempDir()
	t.Setenv(lockDirEnv, lockDir)
	// Cleanups run last in, first out: this one after the processes below
	// have been stopped.
	t.Cleanup(func() {
		if names, err := filepath.Glob(filepath.Join(lockDir, "*")); err != nil || len(names) > 0 {
			t.Errorf("lock files left after the processes ended: %v, %v", names, err)
		}
	})
	link := filepath.Join(t.TempDir(), "ttyGPRS")
	startProcess(t, "ready", "sim", "--link", link)
	holder := startProcess(t, "ready:", "connect", "--device", link, "--socks5", freeAddr(t))
	pty, err := filepath.EvalSymlinks(link)
	if err != nil {
		t.Fatal(err)
	}
	if names, _ := filepath.Glob(filepath.Join(lockDir, "LCK..*")); len(names) != 1 {
		t.Errorf("lock files while connected: %v, want one", names)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"connect", []string{"connect", "--device", link, "--socks5", freeAddr(t)}, exitDevice},
		{"at", []string{"at", "--device", pty, "I"}, exitDevice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c := startChild(t, tt.args...)
			code := c.wait(t, 20*time.Second)
			elapsed := time.Since(start)
			t.Logf("gprsppp %s failed after %v: %s", tt.name, elapsed.Round(time.Millisecond), strings.TrimSpace(c.log.text()))
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			want := fmt.Sprintf("port busy: %s held by PID %d", tt.args[2], holder.cmd.Process.Pid)
			if tt.args[2] == link {
				want = fmt.Sprintf("port busy: %s (%s) held by PID %d", link, pty, holder.cmd.Process.Pid)
			}
			if !strings.Contains(c.log.text(), want) {
				t.Errorf("stderr does not contain %q:\n%s", want, c.log.text())
			}
			// The process's start-up is most of this; the AT dialogue
			// alone would have taken 15 s to time out.
			if elapsed > time.Second {
				t.Errorf("failed after %v, want at once", elapsed)
			}
		})
	}
}

// TestSIGHUPEndsCleanly sends SIGHUP to connect and to the shim: each ends
// its link as on Ctrl-C and exits 0. Connect's log shows the LCP
// Terminate-Request answered and the modem hung up.
func TestSIGHUPEndsCleanly(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		ready, end string // the lines that show it is up, and that it ended cleanly
	}{
		{"connect", []string{"-v", "connect", "--sim", "--socks5", "127.0.0.1:0"}, "ready:", "link closed"},
		{"shim", []string{"shim", "--sim", "--listen", "tcp://127.0.0.1:0"}, "link up:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startChild(t, tt.args...)
			c.await(t, tt.ready, 60*time.Second)
			if err := c.cmd.Process.Signal(syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
			if tt.end != "" {
				c.await(t, tt.end, 30*time.Second)
			}
			if code := c.wait(t, 30*time.Second); code != 0 {
				t.Errorf("exit code %d after SIGHUP, want 0\n%s", code, c.log.text())
			}
			if tt.name != "connect" {
				return
			}
			// The client's own log (-v), not the built-in simulator's.
			var client []string
			for _, l := range strings.Split(c.log.text(), "\n") {
				if !strings.Contains(l, "cat=sim") {
					client = append(client, l)
				}
			}
			log := strings.Join(client, "\n")
			for _, want := range []string{"sent [LCP TermReq", "rcvd [LCP TermAck", "command=ATH"} {
				if !strings.Contains(log, want) {
					t.Errorf("no %q in connect's log:\n%s", want, log)
				}
			}
		})
	}
}

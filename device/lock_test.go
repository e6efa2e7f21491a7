package device

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLockName(t *testing.T) {
	tests := []struct {
		resolved string
		want     string
	}{
		{"/dev/ttyUSB2", "LCK..ttyUSB2"},
		{"/dev/ttyS0", "LCK..ttyS0"},
		{"/dev/pts/3", "LCK..pts_3"},
		{"/tmp/modem/ttyGPRS", "LCK..ttyGPRS"},
	}
	for _, tt := range tests {
		t.Run(tt.resolved, func(t *testing.T) {
			if got := lockName(tt.resolved); got != tt.want {
				t.Errorf("lockName(%q) = %q, want %q", tt.resolved, got, tt.want)
			}
		})
	}
}

// lockPath returns where Open puts the lock file for the pty slave at
// slavePath in dir.
func lockPath(dir, slavePath string) string {
	return filepath.Join(dir, lockName(slavePath))
}

// dirNames lists dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// hdb is a lock file's content for pid in HDB format.
func hdb(pid int) string { return fmt.Sprintf("%10d\n", pid) }

// TestLockFileLifecycle checks the lock file's name, content and mode while
// the port is open, that no temporary file is left behind, and that Close
// removes it.
func TestLockFileLifecycle(t *testing.T) {
	_, path := openPty(t)
	dir := t.TempDir()
	p, err := Open(context.Background(), path, Options{LockDir: dir})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	lock := lockPath(dir, path)
	if diff := cmp.Diff([]string{filepath.Base(lock)}, dirNames(t, dir)); diff != "" {
		t.Errorf("lock directory (-want +got):\n%s", diff)
	}
	b, err := os.ReadFile(lock)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(hdb(os.Getpid()), string(b)); diff != "" {
		t.Errorf("lock file content (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(lock); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("lock file mode: %v, %v; want 0644", fi.Mode(), err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if diff := cmp.Diff([]string{}, dirNames(t, dir)); diff != "" {
		t.Errorf("lock directory after Close (-want +got):\n%s", diff)
	}
}

// TestLockBusy opens a port held by this process again, under its own name
// and through a symbolic link: the lock file refuses the second open even
// for root, whom TIOCEXCL lets through, and names the holder.
func TestLockBusy(t *testing.T) {
	tests := []struct {
		name          string
		first, second string // "dev" or "link"
	}{
		{"same path", "dev", "dev"},
		{"link then device", "link", "dev"},
		{"device then link", "dev", "link"},
		{"link twice", "link", "link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path := openPty(t)
			link := filepath.Join(t.TempDir(), "ttyGPRS")
			if err := os.Symlink(path, link); err != nil {
				t.Fatal(err)
			}
			names := map[string]string{"dev": path, "link": link}
			opt := Options{LockDir: t.TempDir()}
			p, err := Open(context.Background(), names[tt.first], opt)
			if err != nil {
				t.Fatalf("first Open: %v", err)
			}
			defer p.Close()
			q, err := Open(context.Background(), names[tt.second], opt)
			if err == nil {
				q.Close()
				t.Fatalf("second Open of %s succeeded", names[tt.second])
			}
			if !errors.Is(err, ErrBusy) {
				t.Errorf("second Open: err %v, want ErrBusy", err)
			}
			want := fmt.Sprintf("device: port busy: %s held by PID %d (%s), lock file %s",
				names[tt.second], os.Getpid(), processName(os.Getpid()), lockPath(opt.LockDir, path))
			if tt.second == "link" {
				want = strings.Replace(want, link, link+" ("+path+")", 1)
			}
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			// The failed open left the holder's lock file alone.
			if b, err := os.ReadFile(lockPath(opt.LockDir, path)); err != nil || string(b) != hdb(os.Getpid()) {
				t.Errorf("lock file after the failed open: %q, %v", b, err)
			}
		})
	}
}

// startHolder runs the test binary as a process that waits until stop is
// called, and returns its PID.
func startHolder(t *testing.T) (pid int, stop func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	// Without atexit_sleep_ms=0 a race-enabled binary lingers a second on exit.
	cmd.Env = append(os.Environ(), holdEnv+"=1", "GORACE=atexit_sleep_ms=0")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop = func() {
		in.Close()
		cmd.Wait()
	}
	t.Cleanup(stop)
	return cmd.Process.Pid, stop
}

// TestLockHeldByOtherProcess writes a lock file for a live process: Open
// fails at once, naming it.
func TestLockHeldByOtherProcess(t *testing.T) {
	_, path := openPty(t)
	dir := t.TempDir()
	pid, _ := startHolder(t)
	lock := lockPath(dir, path)
	if err := os.WriteFile(lock, []byte(hdb(pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Open(context.Background(), path, Options{LockDir: dir})
	if err == nil {
		p.Close()
		t.Fatal("Open succeeded")
	}
	if !errors.Is(err, ErrBusy) {
		t.Errorf("Open: err %v, want ErrBusy", err)
	}
	want := fmt.Sprintf("device: port busy: %s held by PID %d (%s), lock file %s", path, pid, processName(pid), lock)
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	if b, err := os.ReadFile(lock); err != nil || string(b) != hdb(pid) {
		t.Errorf("the holder's lock file became %q, %v", b, err)
	}
}

// TestLockStale takes over lock files whose process is gone, or that hold
// no PID at all, and logs that it did.
func TestLockStale(t *testing.T) {
	dead, stop := startHolder(t)
	stop()
	if err := syscall.Kill(dead, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("kill(%d, 0) after the process ended: %v, want ESRCH", dead, err)
	}
	tests := []struct {
		name    string
		content string
	}{
		{"ended process", hdb(dead)},
		{"PID beyond pid_max", hdb(1 << 30)},
		{"garbage", "not a pid\n"},
		{"empty", ""},
		{"zero", hdb(0)},
		{"this PID, left by an earlier process", hdb(os.Getpid())},
		{"unpadded", fmt.Sprintf("%d\n", dead)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path := openPty(t)
			dir := t.TempDir()
			lock := lockPath(dir, path)
			if err := os.WriteFile(lock, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
			p, err := Open(context.Background(), path, Options{LockDir: dir, Logger: log})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			if b, err := os.ReadFile(lock); err != nil || string(b) != hdb(os.Getpid()) {
				t.Errorf("lock file after taking it over: %q, %v; want %q", b, err, hdb(os.Getpid()))
			}
			if !strings.Contains(logs.String(), "took over a stale lock file") {
				t.Errorf("no log line about the stale lock file; logs:\n%s", logs.String())
			}
		})
	}
}

// TestLockReleaseKeepsForeignFile checks that Close leaves a lock file that
// no longer names this process.
func TestLockReleaseKeepsForeignFile(t *testing.T) {
	_, path := openPty(t)
	dir := t.TempDir()
	p, err := Open(context.Background(), path, Options{LockDir: dir})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	pid, _ := startHolder(t)
	lock := lockPath(dir, path)
	if err := os.WriteFile(lock, []byte(hdb(pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if b, err := os.ReadFile(lock); err != nil || string(b) != hdb(pid) {
		t.Errorf("lock file after Close: %q, %v; want %q", b, err, hdb(pid))
	}
}

// TestLockDirs checks where the lock file goes, and what happens when it
// cannot be written there.
func TestLockDirs(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		lockDir  string
		env      string
		defaults func(tmp string) []string
		wantIn   bool   // the lock file is in tmp
		wantErr  string // Open fails with this
	}{
		{name: "option", lockDir: "TMP", wantIn: true},
		{name: "environment", env: "TMP", wantIn: true},
		{name: "option over environment", lockDir: "TMP", env: "/nonexistent", wantIn: true},
		{name: "off", lockDir: "-", env: "TMP"},
		{name: "off in the environment", env: "-"},
		{name: "missing directory", lockDir: "/nonexistent/lock", wantErr: "lock file"},
		{name: "default", defaults: func(tmp string) []string { return []string{tmp, "/nonexistent"} }, wantIn: true},
		{name: "default fallback", defaults: func(tmp string) []string { return []string{"/nonexistent", tmp} }, wantIn: true},
		{name: "default not writable", defaults: func(string) []string { return []string{file} }},
		{name: "no default", defaults: func(string) []string { return []string{"/nonexistent"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			sub := func(s string) string { return strings.ReplaceAll(s, "TMP", tmp) }
			t.Setenv(lockDirEnv, sub(tt.env))
			if tt.defaults != nil {
				saved := defaultLockDirs
				defaultLockDirs = tt.defaults(tmp)
				t.Cleanup(func() { defaultLockDirs = saved })
			}
			_, path := openPty(t)
			p, err := Open(context.Background(), path, Options{LockDir: sub(tt.lockDir)})
			if tt.wantErr != "" {
				if err == nil {
					p.Close()
				}
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || errors.Is(err, ErrBusy) {
					t.Fatalf("Open: err %v, want one containing %q and not ErrBusy", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			want := []string{}
			if tt.wantIn {
				want = []string{lockName(path)}
			}
			if diff := cmp.Diff(want, dirNames(t, tmp)); diff != "" {
				t.Errorf("lock files (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNoLockForSockets checks that unix and TCP lines take no lock file.
func TestNoLockForSockets(t *testing.T) {
	tests := []struct {
		name   string
		listen func(t *testing.T) (network, address, spec string)
	}{
		{"unix", func(t *testing.T) (string, string, string) {
			path := filepath.Join(t.TempDir(), "modem.sock")
			return "unix", path, "unix:" + path
		}},
		{"tcp", func(*testing.T) (string, string, string) { return "tcp", "127.0.0.1:0", "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv(lockDirEnv, dir)
			network, address, spec := tt.listen(t)
			listenAndOpen(t, network, address, spec)
			if diff := cmp.Diff([]string{}, dirNames(t, dir)); diff != "" {
				t.Errorf("lock directory (-want +got):\n%s", diff)
			}
		})
	}
}

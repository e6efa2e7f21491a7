package control

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDir(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		euid    int
		want    string
		wantErr error
	}{
		{"override", map[string]string{"GPRSPPP_RUNTIME_DIR": "/x", "XDG_RUNTIME_DIR": "/run/user/1000"}, 0, "/x", nil},
		{"systemd", map[string]string{"RUNTIME_DIRECTORY": "/run/gprsppp:/run/other"}, 999, "/run/gprsppp", nil},
		{"root", map[string]string{"XDG_RUNTIME_DIR": "/run/user/0"}, 0, SystemDir, nil},
		{"user", map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}, 1000, "/run/user/1000/gprsppp", nil},
		{"nothing", nil, 1000, "", ErrNoDir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Dir(func(k string) string { return tc.env[k] }, tc.euid)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Errorf("Dir = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		in, from string
		valid    bool
	}{
		{"ttyUSB2", "ttyUSB2", true},
		{"sim", "sim", true},
		{"office-1.lte@x", "office-1.lte@x", true},
		{".hidden", "_hidden", false},
		{"a/b", "a_b", false},
		{"10.0.0.1:5000", "10.0.0.1_5000", false},
		{"", "gprsppp", false},
		{strings.Repeat("a", 65), strings.Repeat("a", 64), false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := ValidName(tc.in); got != tc.valid {
				t.Errorf("ValidName = %v", got)
			}
			if got := NameFrom(tc.in); got != tc.from || !ValidName(got) {
				t.Errorf("NameFrom = %q, want %q (valid)", got, tc.from)
			}
		})
	}
}

// serve listens at dir/name.sock and answers status with v until the
// test ends.
func serve(t *testing.T, path string, v any) {
	t.Helper()
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, map[string]Handler{
			"status": func() (any, error) { return v, nil },
			"fail":   func() (any, error) { return nil, errors.New("no such thing") },
		}, nil)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
}

func TestExchange(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gprsppp")
	path := filepath.Join(dir, "a.sock")
	type status struct{ State string }
	serve(t, path, status{"up"})
	for _, tc := range []struct{ path string }{{dir}, {path}} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v; want none for group and others", tc.path, perm)
		}
	}
	ctx := context.Background()
	var got status
	if err := Query(ctx, path, "status", &got); err != nil || got.State != "up" {
		t.Errorf("status: %+v, %v", got, err)
	}
	if err := Query(ctx, path, "fail", &got); err == nil || err.Error() != "no such thing" {
		t.Errorf("fail: %v", err)
	}
	if err := Query(ctx, path, "nope", &got); err == nil || !strings.Contains(err.Error(), `unknown command "nope"`) {
		t.Errorf("nope: %v", err)
	}
	names, err := List(dir)
	if diff := cmp.Diff([]string{"a"}, names); diff != "" || err != nil {
		t.Errorf("List (-want +got):\n%s%v", diff, err)
	}
	// A second process with the same name is refused.
	if _, err := Listen(path); !errors.Is(err, ErrInUse) {
		t.Errorf("second Listen: %v, want ErrInUse", err)
	}
}

// A socket left by a process that was killed is replaced.
func TestListenReplacesStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "stale.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false) // as if killed
	ln.Close()
	if _, err := net.Dial("unix", path); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("stale socket answers: %v", err)
	}
	serve(t, path, "fresh")
	var got string
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := Query(ctx, path, "status", &got); err != nil || got != "fresh" {
		t.Errorf("status: %q, %v", got, err)
	}
}

// A file that is not a socket is never removed.
func TestListenKeepsOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.sock")
	if err := os.WriteFile(path, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("Listen: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep" {
		t.Error("file replaced")
	}
}

// A command with an argument gets it decoded, may take longer than the
// exchange timeout of plain commands, and its caller's context bounds
// the wait.
func TestCallWithArg(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gprsppp", "b.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	withArg := map[string]ArgHandler{
		"echo": func(_ context.Context, arg json.RawMessage) (any, error) {
			var a struct{ Command string }
			if err := json.Unmarshal(arg, &a); err != nil {
				return nil, err
			}
			return strings.ToUpper(a.Command), nil
		},
		"hang": func(ctx context.Context, _ json.RawMessage) (any, error) {
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil, errors.New("released")
		},
	}
	served := make(chan error, 1)
	go func() { served <- ServeArgs(ctx, ln, nil, withArg, nil) }()
	t.Cleanup(func() {
		close(release)
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	})
	var got string
	if err := Call(context.Background(), path, "echo", map[string]string{"command": "at+csq"}, &got); err != nil || got != "AT+CSQ" {
		t.Errorf("echo: %q, %v", got, err)
	}
	if err := Call(context.Background(), path, "echo", "not an object", &got); err == nil {
		t.Error("echo with a bad argument: no error")
	}
	short, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	if err := Call(short, path, "hang", nil, &got); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("hang: %v, want a deadline error", err)
	}
}

package portlist

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/sim"
)

// simPort serves a simulated modem on a pty until the test ends and
// returns the path clients open.
func simPort(t *testing.T) string {
	t.Helper()
	p, err := sim.ListenPty(filepath.Join(t.TempDir(), "ttyGPRS"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sim.NewModem(sim.ModemConfig{}).Serve(ctx, p)
	}()
	t.Cleanup(func() {
		cancel()
		p.Close()
		<-done
	})
	return p.Link()
}

// fakePort is a pty whose far end, instead of a modem, answers every
// write with reply (nothing, if reply is empty) until the test ends. It
// keeps the slave open, as sim.Pty does, so that the master does not read
// a hangup (EIO) before the probe opens the port.
func fakePort(t *testing.T, reply string) string {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 256)
		for {
			if _, err := master.Read(buf); err != nil {
				return
			}
			if reply != "" {
				io.WriteString(master, reply)
			}
		}
	}()
	t.Cleanup(func() {
		master.Close()
		slave.Close()
		<-done
	})
	return slave.Name()
}

func TestProbe(t *testing.T) {
	// Registered first, the check runs after every fixture's cleanup, so
	// that the simulator's goroutines, which start when a probe opens
	// its port, are not taken for the probe's.
	goroutines := testenv.Goroutines()
	t.Cleanup(func() {
		if leak := testenv.WaitGoroutines(goroutines); leak != "" {
			t.Error(leak)
		}
	})
	lockDir := t.TempDir()
	opt := ProbeOptions{Timeout: 600 * time.Millisecond, LockDir: lockDir}
	held := simPort(t)
	holder, err := device.Open(context.Background(), held, device.Options{LockDir: lockDir})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()

	tests := []struct {
		name string
		path string
		want Result
	}{
		{
			name: "simulator",
			path: simPort(t),
			want: Result{Status: Answered, Info: "gprsppp simulated modem", Model: "gprsppp-sim"},
		},
		{
			name: "silent",
			path: fakePort(t, ""),
			want: Result{Status: NoAnswer},
		},
		{
			name: "GNSS",
			path: fakePort(t, "$GPGSV,1,1,00*79\r\n"),
			want: Result{Status: NoAnswer, Heard: "$GPGSV,1,1,00*79"},
		},
		{
			name: "binary",
			path: fakePort(t, "\x7e\x01\x02\x7e"),
			want: Result{Status: NoAnswer, Heard: "~..~"},
		},
		{
			name: "ERROR",
			path: fakePort(t, "\r\nERROR\r\n"),
			want: Result{Status: NoAnswer, Heard: "ERROR"},
		},
		{
			name: "held",
			path: held,
			want: Result{Status: Busy},
		},
		{
			name: "missing",
			path: filepath.Join(t.TempDir(), "ttyUSB9"),
			want: Result{Status: Failed},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got := Probe(context.Background(), tt.path, opt)
			if elapsed := time.Since(start); elapsed > opt.Timeout+time.Second {
				t.Errorf("took %v with a timeout of %v", elapsed, opt.Timeout)
			}
			tt.want.Path = tt.path
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Result{}, "Err")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if (got.Err != nil) != (tt.want.Status == Busy || tt.want.Status == Failed) {
				t.Errorf("status %v with error %v", got.Status, got.Err)
			}
		})
	}
}

// What a port sends is shown with '.' for what cannot be printed, and cut
// at maxShown characters.
func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"OK", "OK"},
		{"\x7e\x01\x02\x7e", "~..~"},
		{strings.Repeat("a", maxShown+5), strings.Repeat("a", maxShown) + "..."},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// ProbeAll probes ports at the same time: three silent ports take about
// one timeout, not three.
func TestProbeAll(t *testing.T) {
	opt := ProbeOptions{Timeout: 600 * time.Millisecond, LockDir: t.TempDir()}
	paths := []string{fakePort(t, ""), simPort(t), fakePort(t, ""), fakePort(t, "")}
	start := time.Now()
	results := ProbeAll(context.Background(), paths, opt)
	if elapsed := time.Since(start); elapsed > 2*opt.Timeout {
		t.Errorf("took %v for %d ports with a timeout of %v each", elapsed, len(paths), opt.Timeout)
	}
	var got []Status
	for i, r := range results {
		if r.Path != paths[i] {
			t.Errorf("result %d is for %s, want %s", i, r.Path, paths[i])
		}
		got = append(got, r.Status)
	}
	if diff := cmp.Diff([]Status{NoAnswer, Answered, NoAnswer, NoAnswer}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Cancelling ctx ends a probe at once, whatever its timeout.
func TestProbeCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	path := fakePort(t, "")
	done := make(chan Result)
	go func() { done <- Probe(ctx, path, ProbeOptions{Timeout: time.Minute, LockDir: t.TempDir()}) }()
	cancel()
	select {
	case r := <-done:
		if r.Status != NoAnswer && !errors.Is(r.Err, context.Canceled) {
			t.Errorf("cancelled probe: %v %v", r.Status, r.Err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("probe still running 5 s after cancel")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

package acceptloop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/internal/clock"
)

// waitTime bounds every wait on the loop's goroutine.
const waitTime = 10 * time.Second

// stepClock is a manual clock that tells the test each pause asked of
// it, so that the test can check it and then let it pass.
type stepClock struct {
	*clock.Manual
	pauses chan time.Duration
}

func newStepClock() *stepClock {
	return &stepClock{Manual: clock.NewManual(time.Unix(0, 0)), pauses: make(chan time.Duration, 1)}
}

func (c *stepClock) AfterFunc(d time.Duration, f func()) clock.Timer {
	t := c.Manual.AfterFunc(d, f)
	c.pauses <- d
	return t
}

// records is a slog.Handler keeping what it is given as "LEVEL msg k=v".
type records struct {
	mu  sync.Mutex
	got []string
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *records) WithGroup(string) slog.Handler            { return r }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	r.mu.Lock()
	r.got = append(r.got, b.String())
	r.mu.Unlock()
	return nil
}

func (r *records) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// step is one scripted result of accept.
type step struct {
	v   int
	err error
}

// script returns an accept function that returns steps in order and,
// after the last, blocks until ctx ends and returns net.ErrClosed, as a
// listener closed on ctx does.
func script(ctx context.Context, steps ...step) func() (int, error) {
	var i int
	return func() (int, error) {
		if i == len(steps) {
			<-ctx.Done()
			return 0, &net.OpError{Op: "accept", Net: "tcp", Err: net.ErrClosed}
		}
		s := steps[i]
		i++
		return s.v, s.err
	}
}

// emfile is the error Accept returns when the process is out of file
// descriptors.
var emfile = &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}

func repeat(n int, err error) []step {
	s := make([]step, n)
	for i := range s {
		s[i].err = err
	}
	return s
}

// feed is an accept function driven by the test: each call returns the
// next step sent on the channel, or net.ErrClosed once ctx ends.
type feed chan step

func (f feed) accept(ctx context.Context) func() (int, error) {
	return func() (int, error) {
		select {
		case s := <-f:
			return s.v, s.err
		case <-ctx.Done():
			return 0, &net.OpError{Op: "accept", Net: "tcp", Err: net.ErrClosed}
		}
	}
}

// Bursts of temporary errors: each pause doubles from 5 ms to the 1 s cap
// and starts again at 5 ms after a success; errors that resume within
// Quiet of the last retry belong to the same burst; each burst is logged
// once as it starts and once as it ends, Quiet after the last retry,
// whether accept then succeeds or waits for a connection.
func TestServeBursts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := newStepClock()
	rec := &records{}
	handled := make(chan int)
	steps := make(feed)
	done := make(chan error, 1)
	go func() {
		cfg := Config{Name: "socks5", Logger: slog.New(rec), Clock: clk}
		done <- Serve(ctx, cfg, steps.accept(ctx), func(v int) { handled <- v })
	}()

	timer := func(want time.Duration) {
		t.Helper()
		select {
		case d := <-clk.pauses:
			if d != want {
				t.Fatalf("timer %v, want %v", d, want)
			}
		case <-time.After(waitTime):
			t.Fatalf("no timer of %v", want)
		}
	}
	// fail sends an error, expects a pause of want, lets it pass and
	// expects Quiet to be timed from the retry.
	fail := func(err error, want time.Duration) {
		t.Helper()
		steps <- step{err: err}
		timer(want)
		clk.Advance(want)
		timer(Quiet)
	}
	accept := func(v int) {
		t.Helper()
		steps <- step{v: v}
		if got := <-handled; got != v {
			t.Fatalf("handled %d, want %d", got, v)
		}
	}
	ms := time.Millisecond
	// Burst 1: ten EMFILE, doubling to the cap.
	for _, want := range []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms, 320 * ms, 640 * ms, time.Second, time.Second} {
		fail(emfile, want)
	}
	// A success, then another error within Quiet: the same burst, paused
	// from 5 ms again.
	accept(1)
	clk.Advance(Quiet / 2)
	fail(emfile, 5*ms)
	accept(2)
	clk.Advance(Quiet) // burst 1 is over
	// Burst 2: two ENOBUFS, and then accept waits for a connection.
	nobufs := &net.OpError{Op: "accept", Err: syscall.ENOBUFS}
	fail(nobufs, 5*ms)
	fail(nobufs, 10*ms)
	clk.Advance(Quiet) // burst 2 is over

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(waitTime):
		t.Fatal("Serve did not return after cancel")
	}
	wantLog := []string{
		"WARN socks5: accept failing, retrying with backoff err=" + emfile.Error(),
		"INFO socks5: accept works again retries=11 after=3.78s",
		"WARN socks5: accept failing, retrying with backoff err=accept: no buffer space available",
		"INFO socks5: accept works again retries=2 after=15ms",
	}
	if diff := cmp.Diff(wantLog, rec.lines()); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers left", n)
	}
}

// Serve ends, logging nothing, on an error that is not temporary, and
// returns nil when ctx has ended, even in the middle of a pause.
func TestServeEnds(t *testing.T) {
	einval := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EINVAL)}
	closed := &net.OpError{Op: "accept", Net: "tcp", Err: net.ErrClosed}
	for _, tc := range []struct {
		name    string
		steps   []step
		cancel  string // "pause": cancel ctx at the first pause; "now": at once
		wantErr error
	}{
		{name: "listener closed", steps: []step{{v: 1}, {err: closed}}, wantErr: net.ErrClosed},
		{name: "listener shut down", steps: []step{{err: einval}}, wantErr: syscall.EINVAL},
		{name: "EOF", steps: []step{{err: io.EOF}}, wantErr: io.EOF},
		{name: "ctx ends in a pause", steps: repeat(3, emfile), cancel: "pause"},
		{name: "ctx ends in accept", steps: []step{{v: 1}}, cancel: "now"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			clk := newStepClock()
			rec := &records{}
			done := make(chan error, 1)
			go func() {
				done <- Serve(ctx, Config{Logger: slog.New(rec), Clock: clk}, script(ctx, tc.steps...), func(int) {})
			}()
			switch tc.cancel {
			case "pause":
				select {
				case <-clk.pauses:
				case <-time.After(waitTime):
					t.Fatal("no pause")
				}
				cancel()
			case "now":
				cancel()
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(waitTime):
				t.Fatal("Serve did not return")
			}
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("Serve = %v, want nil", err)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("Serve = %v, want %v", err, tc.wantErr)
			}
			if n := clk.Pending(); n != 0 {
				t.Errorf("%d timers left", n)
			}
			if tc.cancel == "" && len(rec.lines()) != 0 {
				t.Errorf("logged %q", rec.lines())
			}
		})
	}
}

// With no Clock, the pauses are the system clock's: 5+10+20 ms for three
// errors (in a synctest bubble, where time is virtual).
func TestServeRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		accepted := make(chan time.Duration)
		steps := append(repeat(3, emfile), step{v: 1})
		go Serve(ctx, Config{}, script(ctx, steps...), func(int) { accepted <- time.Since(start) })
		at := <-accepted
		cancel()
		synctest.Wait()
		if want := 35 * time.Millisecond; at != want {
			t.Errorf("accepted after %v, want %v", at, want)
		}
	})
}

func TestTemporary(t *testing.T) {
	opErr := func(err error) error {
		return &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", err)}
	}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"EMFILE", opErr(syscall.EMFILE), true},
		{"ENFILE", opErr(syscall.ENFILE), true},
		{"ENOBUFS", opErr(syscall.ENOBUFS), true},
		{"ENOMEM", opErr(syscall.ENOMEM), true},
		{"ECONNABORTED", opErr(syscall.ECONNABORTED), true},
		{"bare EMFILE", syscall.EMFILE, true},
		{"wrapped ENOBUFS", fmt.Errorf("forward: %w", syscall.ENOBUFS), true},
		{"timeout", opErr(syscall.ETIMEDOUT), true},
		{"closed", &net.OpError{Op: "accept", Net: "tcp", Err: net.ErrClosed}, false},
		{"bare closed", net.ErrClosed, false},
		{"EINVAL", opErr(syscall.EINVAL), false},
		{"EBADF", opErr(syscall.EBADF), false},
		{"EOF", io.EOF, false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Temporary(tc.err); got != tc.want {
				t.Errorf("Temporary(%v) = %t, want %t", tc.err, got, tc.want)
			}
		})
	}
}

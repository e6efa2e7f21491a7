package dialer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

// dtrLine is a Line with a DTR output wired to the fake modem.
type dtrLine struct {
	*attest.Line
	m     *attest.Modem
	mu    sync.Mutex
	calls []bool
	err   error
}

func (l *dtrLine) SetDTR(on bool) error {
	l.mu.Lock()
	l.calls = append(l.calls, on)
	err := l.err
	l.mu.Unlock()
	if err == nil {
		l.m.SetDTR(on)
	}
	return err
}

// waits records the pauses Hangup asks for and returns at once.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func TestHangup(t *testing.T) {
	tests := []struct {
		name      string
		modem     attest.Config
		dtr       bool
		dtrErr    error
		wantCmds  []string
		wantWaits []time.Duration // the guard before +++ is no Wait: it is spent listening
	}{
		{
			name:     "escape and ATH without DTR",
			modem:    attest.Config{Online: true},
			wantCmds: []string{"+++", "ATH"},
		},
		{
			name:      "DTR drop hangs up, ATH confirms",
			modem:     attest.Config{Online: true},
			dtr:       true,
			wantCmds:  []string{"ATH"},
			wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name:      "DTR ignored, escape follows",
			modem:     attest.Config{Online: true, IgnoreDTR: true},
			dtr:       true,
			wantCmds:  []string{"+++", "ATH"},
			wantWaits: []time.Duration{500 * time.Millisecond},
		},
		{
			name:     "a line without modem lines (pty): escape and ATH",
			modem:    attest.Config{Online: true},
			dtr:      true,
			dtrErr:   fmt.Errorf("no modem control lines: %w", errors.ErrUnsupported),
			wantCmds: []string{"+++", "ATH"},
		},
		{
			name:     "already in command mode: +++ is ignored, ATH works",
			modem:    attest.Config{},
			wantCmds: []string{"ATH"},
		},
		{
			name:     "ATH answers NO CARRIER",
			modem:    attest.Config{Online: true, HangupResult: "NO CARRIER"},
			wantCmds: []string{"+++", "ATH"},
		},
		{
			name:     "echo on and CR-only line ends",
			modem:    attest.Config{Online: true, Echo: true, LineEnd: "\r"},
			wantCmds: []string{"+++", "ATH"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				var line dialer.Line = r.line
				dl := &dtrLine{Line: r.line, m: r.m, err: tt.dtrErr}
				if tt.dtr {
					line = dl
				}
				var w waits
				if err := dialer.Hangup(t.Context(), line, dialer.HangupConfig{Wait: w.wait}); err != nil {
					t.Fatalf("Hangup: %v", err)
				}
				if diff := cmp.Diff(tt.wantCmds, r.m.Commands()); diff != "" {
					t.Errorf("modem saw (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantWaits, w.d); diff != "" {
					t.Errorf("waits (-want +got):\n%s", diff)
				}
				if tt.dtr && tt.dtrErr == nil {
					if diff := cmp.Diff([]bool{false, true}, dl.calls); diff != "" {
						t.Errorf("DTR (-want +got):\n%s", diff)
					}
				}
			})
		})
	}
}

func TestHangupFailures(t *testing.T) {
	tests := []struct {
		name     string
		modem    attest.Config
		cfg      dialer.HangupConfig
		dtrErr   error
		wantStep string
		wantErr  error
	}{
		{"modem never answers", attest.Config{Mute: true}, dialer.HangupConfig{}, nil, "hangup", dialer.ErrTimeout},
		{"ATH answers ERROR twice", attest.Config{Online: true, HangupResult: "ERROR"}, dialer.HangupConfig{}, nil, "hangup", dialer.ErrError},
		// The modem needs 1 s of silence around +++; 200 ms is not enough,
		// so +++ and ATH are data to it.
		{"guard time too short", attest.Config{Online: true, EscapeGuard: time.Second},
			dialer.HangupConfig{GuardTime: 200 * time.Millisecond}, nil, "hangup", dialer.ErrTimeout},
		{"SetDTR fails", attest.Config{Online: true}, dialer.HangupConfig{}, io.ErrClosedPipe, "dtr", io.ErrClosedPipe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				var line dialer.Line = r.line
				if tt.dtrErr != nil {
					line = &dtrLine{Line: r.line, m: r.m, err: tt.dtrErr}
				}
				err := dialer.Hangup(t.Context(), line, tt.cfg)
				wantStepError(t, err, tt.wantStep, tt.wantErr)
			})
		})
	}
}

// A call the network ended: the modem said NO CARRIER on its own and is
// in command mode, so Hangup hears it during the guard time and sends
// ATH at once, without the escape and its guard times.
func TestHangupAfterNoCarrier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Online: true, EscapeGuard: time.Second})
		r.m.DropCall()
		start := time.Now()
		if err := dialer.Hangup(t.Context(), r.line, dialer.HangupConfig{}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took != 0 {
			t.Errorf("Hangup took %v, want no guard time", took)
		}
		if diff := cmp.Diff([]string{"ATH"}, r.m.Commands()); diff != "" {
			t.Errorf("modem saw (-want +got):\n%s", diff)
		}
	})
}

// With the real timer, the modem's own guard-time check is met: 1 s of
// silence, +++, and the modem's OK after another second.
func TestHangupGuardTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Online: true, EscapeGuard: time.Second})
		start := time.Now()
		if err := dialer.Hangup(t.Context(), r.line, dialer.HangupConfig{}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took != 2*time.Second {
			t.Errorf("Hangup took %v, want 2s", took)
		}
		if diff := cmp.Diff([]string{"+++", "ATH"}, r.m.Commands()); diff != "" {
			t.Errorf("modem saw (-want +got):\n%s", diff)
		}
	})
}

func TestHangupCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Online: true, EscapeGuard: time.Second})
		ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
		defer cancel()
		err := dialer.Hangup(ctx, r.line, dialer.HangupConfig{})
		wantStepError(t, err, "escape", context.DeadlineExceeded)
	})
}

// Dial, pass data, lose nothing, hang up, dial again: the whole life of a
// connection against the fake.
func TestDialHangupDial(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Echo: true, EscapeGuard: time.Second, LineEnd: "\r"})
		if _, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{APN: "internet"}); err != nil {
			t.Fatal(err)
		}
		<-r.m.Connected()
		r.m.Resume()
		if _, err := r.line.Write([]byte("\x7e\xff\x03\xc0\x21\x7e")); err != nil { // data, dropped by the fake
			t.Fatal(err)
		}
		if err := dialer.Hangup(t.Context(), r.line, dialer.HangupConfig{}); err != nil {
			t.Fatalf("Hangup: %v", err)
		}
		if _, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{APN: "internet"}); err != nil {
			t.Fatalf("second Dial: %v", err)
		}
		cmds := r.m.Commands()
		want := append(append(append([]string(nil), healthyDial...), "+++", "ATH"), healthyDial...)
		if diff := cmp.Diff(want, cmds); diff != "" {
			t.Errorf("modem saw (-want +got):\n%s", diff)
		}
	})
}

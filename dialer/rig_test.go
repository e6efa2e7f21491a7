package dialer_test

import (
	"bytes"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
	"github.com/gprsppp/gprsppp/ppptest"
)

// rig is a fake modem on one end of a pipe and the Line to it. Build it
// inside a synctest bubble, so that timeouts and guard times pass at once.
type rig struct {
	m    *attest.Modem
	line *attest.Line
	dte  *ppptest.Conn // the raw DTE end, under line
}

func newRig(t *testing.T, cfg attest.Config) *rig {
	t.Helper()
	t.Cleanup(dialer.ForgetRejectedPINs) // not at the start: a test may build two rigs
	dte, dce := ppptest.Pipe()
	r := &rig{m: attest.New(dce, cfg), line: attest.NewLine(dte), dte: dte}
	t.Cleanup(func() {
		r.line.Close()
		r.m.Close()
	})
	return r
}

// wantStepError checks that err is a *StepError for step wrapping want.
func wantStepError(t *testing.T, err error, step string, want error) *dialer.StepError {
	t.Helper()
	var se *dialer.StepError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *StepError", err)
	}
	if se.Step != step {
		t.Errorf("failed step = %q, want %q (%v)", se.Step, step, err)
	}
	if !errors.Is(err, want) {
		t.Errorf("error = %v, want one wrapping %v", err, want)
	}
	return se
}

// logBuffer is a debug logger writing to a buffer, without times.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// deadlineLine records the read deadlines set on a Line.
type deadlineLine struct {
	dialer.Line
	mu   sync.Mutex
	last time.Time
	n    int
}

func (l *deadlineLine) SetReadDeadline(t time.Time) error {
	l.mu.Lock()
	l.last, l.n = t, l.n+1
	l.mu.Unlock()
	return l.Line.SetReadDeadline(t)
}

// lastDeadline returns the last deadline set and whether any was.
func (l *deadlineLine) lastDeadline() (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last, l.n > 0
}

package dialer_test

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

// lcpConfigureRequest is an HDLC frame of an LCP Configure-Request (RFC
// 1662, all control characters escaped), as a network's PPP repeats it to
// a client that has gone.
var lcpConfigureRequest = []byte("\x7e\xff\x7d\x23\xc0\x21\x7d\x21\x7d\x21\x7d\x20\x7d\x2e" +
	"\x7d\x22\x7d\x26\x7d\x20\x7d\x20\x7d\x20\x7d\x20\x7d\x25\x7d\x26\x12\x34\x56\x78\x8e\x2b\x7e")

// A modem left in data mode by a dialer that ended without hanging up
// answers no AT: after four, Dial escapes with +++ and its guard times,
// hangs up and dials, on a line without DTR and on one whose DTR the
// modem ignores or honours, whatever the modem sends meanwhile.
func TestDialRecoversModemLeftOnline(t *testing.T) {
	escaped := append([]string{"+++", "ATH"}, healthyDial...)
	tests := []struct {
		name     string
		modem    attest.Config
		dtr      bool
		guard    time.Duration // DialConfig.GuardTime
		wantCmds []string
		wantTime time.Duration
		wantWarn bool // the warning that the modem was online
	}{
		{
			name:     "no DTR (pty, unix:, tcp://)",
			modem:    attest.Config{Online: true, EscapeGuard: time.Second},
			wantCmds: escaped,
			// 4 ATs, 1 s of silence, +++, 1 s of silence, OK.
			wantTime: 4*500*time.Millisecond + 2*time.Second,
			wantWarn: true,
		},
		{
			name: "network PPP sending Configure-Requests",
			modem: attest.Config{Online: true, EscapeGuard: time.Second,
				Spew: lcpConfigureRequest, SpewEvery: 300 * time.Millisecond},
			wantCmds: escaped,
			wantTime: 4*500*time.Millisecond + 2*time.Second,
			wantWarn: true,
		},
		{
			name:     "echo on, CR-only line ends",
			modem:    attest.Config{Online: true, EscapeGuard: time.Second, Echo: true, LineEnd: "\r"},
			wantCmds: escaped,
			wantTime: 4*500*time.Millisecond + 2*time.Second,
			wantWarn: true,
		},
		{
			name:     "short guard time configured",
			modem:    attest.Config{Online: true, EscapeGuard: 200 * time.Millisecond},
			guard:    200 * time.Millisecond,
			wantCmds: escaped,
			wantTime: 4*500*time.Millisecond + 400*time.Millisecond,
			wantWarn: true,
		},
		{
			name:     "DTR ignored (AT&D0)",
			modem:    attest.Config{Online: true, EscapeGuard: time.Second, IgnoreDTR: true},
			dtr:      true,
			wantCmds: escaped,
			// 500 ms of DTR low, 1 s listening, +++, 1 s of silence.
			wantTime: 4*500*time.Millisecond + 500*time.Millisecond + 2*time.Second,
			wantWarn: true,
		},
		{
			name:     "DTR honoured",
			modem:    attest.Config{Online: true, EscapeGuard: time.Second},
			dtr:      true,
			wantCmds: append([]string{"ATH"}, healthyDial...),
			wantTime: 4*500*time.Millisecond + 500*time.Millisecond,
			wantWarn: true,
		},
		{
			// Not online, only slow: it answers the second ATH, and
			// there is no warning.
			name:     "modem booting",
			modem:    attest.Config{IgnoreFirst: 5},
			wantCmds: slices.Concat([]string{"AT", "AT", "AT", "AT", "ATH", "ATH"}, healthyDial),
			// 4 ATs, 1 s of silence, 2 s for OK to +++, 3 s for the
			// first ATH and 3 s more for a late answer to it.
			wantTime: 4*500*time.Millisecond + 3*time.Second + 2*3*time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				var line dialer.Line = r.line
				if tt.dtr {
					line = &dtrLine{Line: r.line, m: r.m}
				}
				var logs logBuffer
				start := time.Now()
				_, err := dialer.Dial(t.Context(), line, dialer.DialConfig{
					APN: "internet", GuardTime: tt.guard, Logger: logs.logger(),
				})
				if err != nil {
					t.Fatalf("Dial: %v\n%s", err, logs.String())
				}
				if took := time.Since(start); took != tt.wantTime {
					t.Errorf("Dial took %v, want %v", took, tt.wantTime)
				}
				if diff := cmp.Diff(tt.wantCmds, r.m.Commands()); diff != "" {
					t.Errorf("modem saw (-want +got):\n%s", diff)
				}
				warned := strings.Contains(logs.String(), `level=WARN msg="dialer: the modem was still online`)
				if warned != tt.wantWarn {
					t.Errorf("warning logged: %v, want %v\n%s", warned, tt.wantWarn, logs.String())
				}
			})
		})
	}
}

// The PPP bytes that follow CONNECT on a modem left online mean nothing
// to the dialer that comes next.
func TestDialRecoversAfterAbandonedDial(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Echo: true, EscapeGuard: time.Second,
			Spew: lcpConfigureRequest, SpewEvery: 100 * time.Millisecond})
		if _, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{APN: "internet"}); err != nil {
			t.Fatal(err)
		}
		<-r.m.Connected()
		r.m.Resume()
		// The first dialer is gone without hanging up; the next dials.
		if _, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{APN: "internet"}); err != nil {
			t.Fatalf("second Dial: %v", err)
		}
		want := slices.Concat(healthyDial, []string{"+++", "ATH"}, healthyDial)
		if diff := cmp.Diff(want, r.m.Commands()); diff != "" {
			t.Errorf("modem saw (-want +got):\n%s", diff)
		}
	})
}

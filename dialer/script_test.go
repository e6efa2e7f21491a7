package dialer_test

import (
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

const connectScript = `# GPRS connect script for a modem with a SIM PIN
ABORT BUSY
TIMEOUT 5
''  AT
OK  ATE0
OK  'AT+CPIN="$PIN"'
OK  'AT+CGDCONT=1,"IP","$APN"'
TIMEOUT 30
OK  ATD*99***1#
CONNECT ''
`

func parse(t *testing.T, src string) *dialer.Script {
	t.Helper()
	s, err := dialer.ParseChatScript(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDialChatScript(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs logBuffer
		r := newRig(t, attest.Config{PIN: "9731", Echo: true, IgnoreE0: true})
		got, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{
			APN: "internet", PIN: "9731", Script: parse(t, connectScript), Logger: logs.logger(),
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(dialer.Connect{Speed: "115200"}, got); diff != "" {
			t.Errorf("Connect (-want +got):\n%s", diff)
		}
		want := []string{"AT", "ATE0", `AT+CPIN="9731"`, `AT+CGDCONT=1,"IP","internet"`, "ATD*99***1#"}
		if diff := cmp.Diff(want, r.m.Commands()); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
		if strings.Contains(logs.String(), "9731") {
			t.Errorf("logs show the PIN:\n%s", logs.String())
		}
	})
}

func TestDialChatScriptFailures(t *testing.T) {
	tests := []struct {
		name     string
		modem    attest.Config
		script   string
		pin      string
		wantStep string
		wantErr  error
		wantText string
		wantTime time.Duration
	}{
		{name: "BUSY", modem: attest.Config{PIN: "9731", DialResult: "BUSY"}, script: connectScript, pin: "9731",
			wantStep: "line 9", wantErr: dialer.ErrBusy, wantText: "dialer: step line 9 (ATD*99***1#): busy"},
		{name: "$PIN without a PIN", modem: attest.Config{PIN: "9731"}, script: connectScript,
			wantStep: "line 6", wantErr: dialer.ErrSIMPIN, wantText: `step line 6 (AT+CPIN="****")`},
		{name: "ERROR aborts though not declared", modem: attest.Config{ErrorOn: []string{"AT+CGDCONT"}},
			script: "'' AT OK 'AT+CGDCONT=1,\"IP\",\"$APN\"' OK ATD*99#", wantStep: "line 1", wantErr: dialer.ErrError},
		{name: "declared custom abort", modem: attest.Config{Inject: []attest.Inject{{Before: "ATD", Lines: []string{"VOICE"}}}},
			script: "ABORT VOICE '' ATD*99# CONNECT", wantStep: "line 1", wantText: `aborted on "VOICE"`},
		{name: "TIMEOUT applies", modem: attest.Config{Mute: true}, script: "TIMEOUT 7\n'' AT\nOK ATD*99#",
			wantStep: "line 2", wantErr: dialer.ErrTimeout, wantTime: 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				start := time.Now()
				_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{
					APN: "internet", PIN: tt.pin, Script: parse(t, tt.script),
				})
				if tt.wantErr != nil {
					wantStepError(t, err, tt.wantStep, tt.wantErr)
				} else {
					wantStepError(t, err, tt.wantStep, err)
				}
				if !strings.Contains(err.Error(), tt.wantText) {
					t.Errorf("error %q does not contain %q", err, tt.wantText)
				}
				if took := time.Since(start); tt.wantTime != 0 && took != tt.wantTime {
					t.Errorf("Dial took %v, want %v", took, tt.wantTime)
				}
			})
		})
	}
}

// Scripts written in Go use the rest of Step: Info handlers, Optional
// steps, delays, expected URC-like lines and the script's own URCs.
func TestDialGoScript(t *testing.T) {
	errCSQ := errors.New("bad signal")
	tests := []struct {
		name     string
		modem    attest.Config
		steps    []dialer.Step
		wantErr  error
		wantURC  []string
		wantTime time.Duration
	}{
		{
			name:  "an expected line is not a URC",
			modem: attest.Config{Inject: []attest.Inject{{Before: "ATA", Lines: []string{"RING"}}}},
			steps: []dialer.Step{{Name: "answer", Send: "ATA", Expect: []string{"RING"}}},
		},
		{
			name:    "script URCs see lines before the default ones",
			modem:   attest.Config{Inject: []attest.Inject{{Before: "AT", Lines: []string{"RING", "+QIND: \"csq\",20"}}}},
			steps:   []dialer.Step{{Name: "at", Send: "AT"}},
			wantURC: []string{"RING", `+QIND: "csq",20`},
		},
		{
			name:    "Info handler error fails the step after the final result",
			steps:   []dialer.Step{{Name: "csq", Send: "AT+CSQ", Info: []dialer.Info{{Prefix: "+CSQ:", Handle: func(string) error { return errCSQ }}}}},
			wantErr: errCSQ,
		},
		{
			name:  "Optional step tolerates ERROR",
			modem: attest.Config{ErrorOn: []string{"AT+QCFG"}},
			steps: []dialer.Step{{Name: "qcfg", Send: `AT+QCFG="nwscanmode",0`, Optional: true}, {Name: "at", Send: "AT"}},
		},
		{
			name:     "delay before sending",
			steps:    []dialer.Step{{Name: "at", Send: "AT", Delay: 3 * time.Second}},
			wantTime: 3 * time.Second,
		},
		{
			name:  "NoResponse step sends and moves on",
			steps: []dialer.Step{{Name: "reset", Send: "ATZ", NoResponse: true}, {Name: "at", Send: "AT"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				var urcs []string
				s := &dialer.Script{Steps: tt.steps, URC: []dialer.URC{
					{Prefix: "RING", Handle: func(l string) { urcs = append(urcs, l) }},
					{Prefix: "+QIND:", Handle: func(l string) { urcs = append(urcs, l) }},
				}}
				start := time.Now()
				_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{Script: s})
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Dial error = %v, want %v", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.wantURC, urcs); diff != "" {
					t.Errorf("URCs (-want +got):\n%s", diff)
				}
				if took := time.Since(start); took != tt.wantTime {
					t.Errorf("Dial took %v, want %v", took, tt.wantTime)
				}
			})
		})
	}
}

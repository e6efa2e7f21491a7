package dialer_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
	"github.com/gprsppp/gprsppp/ppptest"
)

// The queries for the PIN attempts left, sent before the PIN.
var triesQueries = []string{`AT+CPINR="SIM PIN"`, `AT+QPINC="SC"`, "AT^CPIN?"}

// The commands of a healthy dial with APN "internet".
var healthyDial = []string{
	"AT", "ATE0", "AT+CMEE=1", "AT+CPIN?",
	"AT+CREG?", "AT+CGREG?", "AT+CEREG?",
	"AT+CSQ", `AT+CGDCONT=1,"IP","internet"`, "ATD*99***1#",
}

func TestDial(t *testing.T) {
	ok := dialer.Connect{Speed: "115200", Signal: "20,99", Registration: "+CREG: 0,1"}
	pinDial := slices.Insert(slices.Clone(healthyDial), 4, triesQueries[0], triesQueries[1], triesQueries[2], `AT+CPIN="1234"`)
	tests := []struct {
		name     string
		modem    attest.Config
		cfg      dialer.DialConfig
		want     dialer.Connect
		wantCmds []string // nil: healthyDial
		wantTime time.Duration
	}{
		{name: "healthy", want: ok},
		{name: "echo on", modem: attest.Config{Echo: true}, want: ok},
		{name: "echo stays on after ATE0", modem: attest.Config{Echo: true, IgnoreE0: true}, want: ok},
		{name: "CR-only line ends", modem: attest.Config{LineEnd: "\r", Echo: true}, want: ok},
		{name: "LF-only line ends", modem: attest.Config{LineEnd: "\n"}, want: ok},
		{name: "SIM PIN entered", modem: attest.Config{PIN: "1234"}, cfg: dialer.DialConfig{PIN: "1234"}, want: ok, wantCmds: pinDial},
		{name: "PIN configured but not needed", cfg: dialer.DialConfig{PIN: "1234"}, want: ok},
		{name: "roaming", modem: attest.Config{Registration: attest.Roaming},
			want: dialer.Connect{Speed: "115200", Signal: "20,99", Registration: "+CREG: 0,5"}},
		{name: "2G-only modem, ERROR to AT+CEREG?", modem: attest.Config{No4G: true}, want: ok},
		{name: "data-only SIM denied CS service", modem: attest.Config{Registration: attest.DeniedCS},
			want: dialer.Connect{Speed: "115200", Signal: "20,99", Registration: "+CGREG: 0,1"}},
		{name: "AT+CMEE not supported", modem: attest.Config{ErrorOn: []string{"AT+CMEE"}}, want: ok},
		{name: "plain CONNECT", modem: attest.Config{DialResult: "CONNECT"}, want: dialer.Connect{Signal: "20,99", Registration: "+CREG: 0,1"}},
		{
			name: "registration after 3 s", modem: attest.Config{RegisterAfter: 3 * time.Second}, want: ok,
			wantCmds: slices.Concat(healthyDial[:4],
				healthyDial[4:7], healthyDial[4:7], healthyDial[4:7], healthyDial[4:7], healthyDial[7:]),
			wantTime: 3 * time.Second,
		},
		{
			name: "modem still booting answers the fourth AT", modem: attest.Config{IgnoreFirst: 3}, want: ok,
			wantCmds: append([]string{"AT", "AT", "AT"}, healthyDial...),
			// Three unanswered tries, then reading for late answers.
			wantTime: 4 * 500 * time.Millisecond,
		},
		{
			name: "URCs mid-answer",
			modem: attest.Config{Echo: true, Inject: []attest.Inject{
				{Before: "AT+CPIN?", Lines: []string{"+CPIN: READY"}}, // as some modems repeat it
				{Before: "AT+CREG?", Lines: []string{"+CREG: 2"}},
				{Before: "AT+CGREG?", Lines: []string{"RING", "+CEREG: 2"}},
				{Before: "AT+CSQ", Lines: []string{"RING", "+CREG: 1,\"00C3\",\"01A2B3C4\",7"}},
				{Before: "ATD", Lines: []string{"RING", "+CGREG: 2"}},
			}},
			want: ok,
		},
		{
			name: "custom context and dial string", cfg: dialer.DialConfig{APN: "m2m.example", ContextID: 3, DialString: "*99#"},
			want:     ok,
			wantCmds: slices.Concat(healthyDial[:8], []string{`AT+CGDCONT=3,"IP","m2m.example"`, "ATD*99#"}),
		},
		{
			name: "dual-stack PDP type", cfg: dialer.DialConfig{APN: "internet", PDPType: "ipv4v6"},
			want:     ok,
			wantCmds: slices.Concat(healthyDial[:8], []string{`AT+CGDCONT=1,"IPV4V6","internet"`, "ATD*99***1#"}),
		},
		{
			name: "IPv6 PDP type", cfg: dialer.DialConfig{APN: "internet", PDPType: "IPV6"},
			want:     ok,
			wantCmds: slices.Concat(healthyDial[:8], []string{`AT+CGDCONT=1,"IPV6","internet"`, "ATD*99***1#"}),
		},
		{
			name: "no APN", cfg: dialer.DialConfig{APN: ""}, want: ok,
			wantCmds: slices.Concat(healthyDial[:8], []string{"ATD*99***1#"}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				cfg := tt.cfg
				if cfg.APN == "" && tt.name != "no APN" {
					cfg.APN = "internet"
				}
				start := time.Now()
				got, err := dialer.Dial(t.Context(), r.line, cfg)
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Connect (-want +got):\n%s", diff)
				}
				wantCmds := tt.wantCmds
				if wantCmds == nil {
					wantCmds = healthyDial
				}
				if diff := cmp.Diff(wantCmds, r.m.Commands()); diff != "" {
					t.Errorf("commands (-want +got):\n%s", diff)
				}
				if took := time.Since(start); took != tt.wantTime {
					t.Errorf("Dial took %v, want %v", took, tt.wantTime)
				}
			})
		})
	}
}

func TestDialFailures(t *testing.T) {
	tests := []struct {
		name     string
		modem    attest.Config
		cfg      dialer.DialConfig
		wantStep string
		wantErr  error
		wantText string        // in the error message
		wantTime time.Duration // how long Dial took, if not zero
	}{
		{name: "modem never answers", modem: attest.Config{Mute: true},
			wantStep: "sync", wantErr: dialer.ErrTimeout,
			wantText: "step sync (AT): timeout: no answer to 15 ATs, nor to the escape and ATH between them",
			// 15 ATs, 500 ms each; 1 s of silence, 2 s for OK to +++,
			// 3 s for each of two ATHs.
			wantTime: 15*500*time.Millisecond + time.Second + 2*time.Second + 2*3*time.Second},
		{name: "SIM PIN required, none configured", modem: attest.Config{PIN: "1234"},
			wantStep: "pin", wantErr: dialer.ErrSIMPIN, wantText: "step pin (AT+CPIN?): SIM PIN required: no PIN is configured"},
		{name: "wrong PIN", modem: attest.Config{PIN: "1234"}, cfg: dialer.DialConfig{PIN: "4321"},
			wantStep: "pin", wantErr: &dialer.CMEError{Code: 16},
			wantText: `step pin (AT+CPIN="****"): the SIM rejected the PIN: CME error 16: incorrect password; it is not sent again: check it`},
		{name: "SIM PUK", modem: attest.Config{PUK: true}, cfg: dialer.DialConfig{PIN: "1234"},
			wantStep: "pin", wantErr: dialer.ErrSIMPUK},
		{name: "no SIM, numeric error", modem: attest.Config{NoSIM: true},
			wantStep: "pin", wantErr: dialer.ErrSIMNotInserted, wantText: "CME error 10: SIM not inserted"},
		{name: "no SIM, verbose error", modem: attest.Config{NoSIM: true, VerboseErrors: true},
			wantStep: "pin", wantErr: dialer.ErrSIMNotInserted, wantText: "CME error 10: SIM not inserted"},
		{name: "not registered in time", modem: attest.Config{Registration: attest.Never},
			cfg:      dialer.DialConfig{RegistrationTimeout: 10 * time.Second},
			wantStep: "register", wantErr: dialer.ErrNotRegistered,
			wantText: "not registered within 10s (+CREG: searching; +CGREG: searching; +CEREG: searching)",
			wantTime: 10 * time.Second},
		{name: "registration denied", modem: attest.Config{Registration: attest.Denied},
			wantStep: "register", wantErr: dialer.ErrRegistrationDenied,
			wantText: "not registered: registration denied (+CREG: denied; +CGREG: denied; +CEREG: denied)"},
		{name: "ERROR on AT+CGDCONT", modem: attest.Config{ErrorOn: []string{"AT+CGDCONT"}},
			wantStep: "apn", wantErr: dialer.ErrError,
			wantText: `dialer: step apn (AT+CGDCONT=1,"IP","internet"): modem answered ERROR`},
		{name: "NO CARRIER", modem: attest.Config{DialResult: "NO CARRIER"},
			wantStep: "dial", wantErr: dialer.ErrNoCarrier, wantText: "dialer: step dial (ATD*99***1#): no carrier"},
		{name: "BUSY", modem: attest.Config{DialResult: "BUSY"}, wantStep: "dial", wantErr: dialer.ErrBusy},
		{name: "NO ANSWER", modem: attest.Config{DialResult: "NO ANSWER"}, wantStep: "dial", wantErr: dialer.ErrNoAnswer},
		{name: "NO DIALTONE", modem: attest.Config{DialResult: "NO DIALTONE"}, wantStep: "dial", wantErr: dialer.ErrNoDialtone},
		{name: "ERROR on dial", modem: attest.Config{DialResult: "ERROR"}, wantStep: "dial", wantErr: dialer.ErrError},
		{name: "ERROR on ATE0", modem: attest.Config{ErrorOn: []string{"ATE"}}, wantStep: "echo", wantErr: dialer.ErrError},
		{name: "NO CARRIER is not retried on dial", modem: attest.Config{DialResult: "NO CARRIER", Echo: true, LineEnd: "\r"},
			wantStep: "dial", wantErr: dialer.ErrNoCarrier},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				cfg := tt.cfg
				cfg.APN = "internet"
				start := time.Now()
				_, err := dialer.Dial(t.Context(), r.line, cfg)
				took := time.Since(start)
				var cme *dialer.CMEError
				if want, ok := tt.wantErr.(*dialer.CMEError); ok {
					if !errors.As(err, &cme) || cme.Code != want.Code {
						t.Errorf("error = %v, want CME error %d", err, want.Code)
					}
					wantStepError(t, err, tt.wantStep, err)
				} else {
					wantStepError(t, err, tt.wantStep, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantText) {
					t.Errorf("error %q does not contain %q", err, tt.wantText)
				}
				if tt.wantTime != 0 && took != tt.wantTime {
					t.Errorf("Dial took %v, want %v", took, tt.wantTime)
				}
				if sim := tt.wantStep == "pin"; errors.Is(err, dialer.ErrSIM) != sim {
					t.Errorf("errors.Is(%v, ErrSIM) = %v, want %v", err, !sim, sim)
				}
			})
		})
	}
}

// A dead modem gets 15 ATs in all, and after the fourth an escape and
// ATH (sent twice), in case it is in data mode. The +++ prefixes the first
// ATH's line, which the modem takes from "AT" on.
func TestDialNeverAnsweringSendsFifteenATs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Mute: true})
		_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{})
		wantStepError(t, err, "sync", dialer.ErrTimeout)
		want := slices.Concat(slices.Repeat([]string{"AT"}, 4), []string{"ATH", "ATH"}, slices.Repeat([]string{"AT"}, 11))
		if diff := cmp.Diff(want, r.m.Commands()); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
	})
}

func TestDialDeniedFailsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{Registration: attest.Denied})
		_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{})
		wantStepError(t, err, "register", dialer.ErrNotRegistered)
		if n := strings.Count(strings.Join(r.m.Commands(), " "), "AT+CREG?"); n != 1 {
			t.Errorf("polled AT+CREG? %d times, want once", n)
		}
	})
}

// The bytes after CONNECT's line end are the caller's: only a trailing LF
// of a CR LF modem precedes them.
func TestDialLeavesDataUnread(t *testing.T) {
	ppp := []byte("\x7e\xff\x7d\x23\xc0\x21\x7d\x21\x7d\x21\x7d\x20\x7d\x2e\x7e")
	tests := []struct {
		lineEnd string
		want    string
	}{
		{"\r\n", "\n" + string(ppp)},
		{"\r", string(ppp)},
		{"\n", string(ppp)},
	}
	for _, tt := range tests {
		t.Run(strings.NewReplacer("\r", "CR", "\n", "LF").Replace(tt.lineEnd), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, attest.Config{LineEnd: tt.lineEnd, AfterConnect: ppp})
				if _, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{}); err != nil {
					t.Fatal(err)
				}
				got := make([]byte, len(tt.want))
				if _, err := io.ReadFull(r.dte, got); err != nil {
					t.Fatal(err)
				}
				if string(got) != tt.want {
					t.Errorf("after CONNECT read %q, want %q", got, tt.want)
				}
			})
		})
	}
}

func TestDialNeverLogsPIN(t *testing.T) {
	const pin = "9731"
	for _, modemPIN := range []string{pin, "1111"} {
		synctest.Test(t, func(t *testing.T) {
			var logs logBuffer
			r := newRig(t, attest.Config{PIN: modemPIN, Echo: true, IgnoreE0: true})
			_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{PIN: pin, Logger: logs.logger()})
			if modemPIN == pin && err != nil {
				t.Fatal(err)
			}
			if err != nil && strings.Contains(err.Error(), pin) {
				t.Errorf("error %q shows the PIN", err)
			}
			if strings.Contains(logs.String(), pin) {
				t.Errorf("logs show the PIN:\n%s", logs.String())
			}
			if !strings.Contains(logs.String(), "AT+CPIN=") {
				t.Errorf("logs do not show the PIN command:\n%s", logs.String())
			}
		})
	}
}

func TestDialConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  dialer.DialConfig
	}{
		{"PIN not digits", dialer.DialConfig{PIN: "12a4"}},
		{"PIN too short", dialer.DialConfig{PIN: "123"}},
		{"APN with quote", dialer.DialConfig{APN: `in"ternet`}},
		{"APN with CR", dialer.DialConfig{APN: "internet\rATH"}},
		{"dial string with CR", dialer.DialConfig{DialString: "*99#\r"}},
		{"negative context", dialer.DialConfig{ContextID: -1}},
		{"unknown PDP type", dialer.DialConfig{PDPType: "PPP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dialer.Dial(context.Background(), nil, tt.cfg)
			if err == nil {
				t.Fatal("Dial accepted the configuration")
			}
			if tt.cfg.PIN != "" && strings.Contains(err.Error(), tt.cfg.PIN) {
				t.Errorf("error %q shows the PIN", err)
			}
		})
	}
}

// Cancelling ctx interrupts a Read at once, and Dial hands the line back
// without a deadline.
func TestDialCancel(t *testing.T) {
	tests := []struct {
		name     string
		modem    attest.Config
		after    time.Duration
		wantStep string
	}{
		{"while reading", attest.Config{Mute: true}, 1200 * time.Millisecond, "sync"},
		{"while waiting between polls", attest.Config{Registration: attest.Never}, 2500 * time.Millisecond, "register"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				line := &deadlineLine{Line: r.line}
				ctx, cancel := context.WithTimeout(t.Context(), tt.after)
				defer cancel()
				start := time.Now()
				_, err := dialer.Dial(ctx, line, dialer.DialConfig{})
				wantStepError(t, err, tt.wantStep, context.DeadlineExceeded)
				if took := time.Since(start); took != tt.after {
					t.Errorf("Dial returned after %v, want %v", took, tt.after)
				}
				if d, set := line.lastDeadline(); !set || !d.IsZero() {
					t.Errorf("last read deadline %v (set %v), want the zero time", d, set)
				}
			})
		})
	}
}

// Over a real pseudo-terminal, in real time, with the PPP bytes after
// CONNECT left in the tty for the caller.
func TestDialOverPty(t *testing.T) {
	dte, dce := ppptest.PtyPair(t)
	ppp := []byte("\x7e\xff\x7d\x23\xc0\x21\x7e")
	m := attest.New(dce, attest.Config{Echo: true, AfterConnect: ppp})
	line := attest.NewLine(dte)
	t.Cleanup(func() {
		line.Close()
		m.Close()
	})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	got, err := dialer.Dial(ctx, line, dialer.DialConfig{APN: "internet"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Speed != "115200" {
		t.Errorf("Speed = %q, want 115200", got.Speed)
	}
	rest := make([]byte, 1+len(ppp))
	if _, err := io.ReadFull(line, rest); err != nil {
		t.Fatal(err)
	}
	if want := "\n" + string(ppp); string(rest) != want {
		t.Errorf("after CONNECT read %q, want %q", rest, want)
	}
}

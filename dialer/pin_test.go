package dialer_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

// The commands of a dial up to the SIM check.
var untilPINQuery = healthyDial[:4]

// Dial reads the attempts left wherever the modem reports them, and does
// not use the last one unattended.
func TestDialPINTriesLeft(t *testing.T) {
	tests := []struct {
		name     string
		query    string // attest.Config.TriesQuery
		tries    int    // attempts left
		wantCmds []string
		wantErr  bool
	}{
		{"27.007 AT+CPINR, 3 left", "AT+CPINR", 3, triesQueries[:1], false},
		{"Quectel AT+QPINC, 2 left", "AT+QPINC", 2, triesQueries[:2], false},
		{"Huawei AT^CPIN?, 3 left", "AT^CPIN", 3, triesQueries, false},
		{"not reported", "", 3, triesQueries, false},
		{"27.007 AT+CPINR, 1 left", "AT+CPINR", 1, triesQueries[:1], true},
		{"Quectel AT+QPINC, 1 left", "AT+QPINC", 1, triesQueries[:2], true},
		{"Huawei AT^CPIN?, 1 left", "AT^CPIN", 1, triesQueries, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, attest.Config{PIN: "1234", PINTries: tt.tries, TriesQuery: tt.query})
				_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{APN: "internet", PIN: "1234"})
				want := slices.Concat(untilPINQuery, tt.wantCmds)
				if tt.wantErr {
					wantStepError(t, err, "pin", dialer.ErrSIM)
					for _, s := range []string{"1 PIN attempt left", "not tried unattended", `AT+CPIN="<PIN>"`} {
						if !strings.Contains(err.Error(), s) {
							t.Errorf("error %q does not say %q", err, s)
						}
					}
				} else {
					if err != nil {
						t.Fatalf("Dial: %v", err)
					}
					want = slices.Concat(want, []string{`AT+CPIN="1234"`}, healthyDial[4:])
				}
				if diff := cmp.Diff(want, r.m.Commands()); diff != "" {
					t.Errorf("commands (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// A PIN the SIM rejected is not sent again by a later dial, with the
// default script or a chat script, even to another modem; a corrected
// PIN is.
func TestDialNeverResendsRejectedPIN(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pinSent := func(r *rig) int {
			n := 0
			for _, c := range r.m.Commands() {
				if strings.HasPrefix(c, "AT+CPIN=") {
					n++
				}
			}
			return n
		}
		first := newRig(t, attest.Config{PIN: "1234", TriesQuery: "AT+CPINR"})
		_, err := dialer.Dial(t.Context(), first.line, dialer.DialConfig{PIN: "4321"})
		wantStepError(t, err, "pin", dialer.ErrSIM)
		var cme *dialer.CMEError
		if !errors.As(err, &cme) || cme.Code != 16 {
			t.Errorf("error %v does not wrap the modem's CME error 16", err)
		}

		again := newRig(t, attest.Config{PIN: "1234"})
		_, err = dialer.Dial(t.Context(), again.line, dialer.DialConfig{PIN: "4321"})
		wantStepError(t, err, "pin", dialer.ErrSIM)
		if !strings.Contains(err.Error(), "rejected this PIN earlier") {
			t.Errorf("error %q does not say why the PIN was not sent", err)
		}
		_, err = dialer.Dial(t.Context(), again.line, dialer.DialConfig{
			PIN: "4321", Script: parse(t, connectScript),
		})
		wantStepError(t, err, "line 6", dialer.ErrSIM)

		if n := pinSent(first) + pinSent(again); n != 1 {
			t.Errorf("the wrong PIN was sent %d times, want once", n)
		}
		if _, err := dialer.Dial(t.Context(), again.line, dialer.DialConfig{PIN: "1234"}); err != nil {
			t.Errorf("Dial with the corrected PIN: %v", err)
		}
	})
}

// A PIN left unanswered may have used an attempt: it is not sent again
// either.
func TestDialPINTimeoutCountsAsRejected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{PIN: "1234", IgnoreFirst: 1})
		_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{
			Script: &dialer.Script{Steps: []dialer.Step{{Send: `AT+CPIN="$PIN"`, Timeout: time.Second}}},
			PIN:    "5678",
		})
		wantStepError(t, err, "1", dialer.ErrSIM)
		if !strings.Contains(err.Error(), "did not answer the PIN") {
			t.Errorf("error %q", err)
		}
		_, err = dialer.Dial(t.Context(), r.line, dialer.DialConfig{PIN: "5678"})
		if !strings.Contains(err.Error(), "rejected this PIN earlier") {
			t.Errorf("second Dial: %v, want the PIN refused", err)
		}
	})
}

// The SIM locks after its third wrong PIN; Dial reports the PUK as a SIM
// error that says what to do.
func TestDialSIMPUK(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{PIN: "1234", PINTries: 1})
		_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{PIN: "1111"})
		wantStepError(t, err, "pin", dialer.ErrSIM)
		_, err = dialer.Dial(t.Context(), r.line, dialer.DialConfig{PIN: "1234"})
		wantStepError(t, err, "pin", dialer.ErrSIMPUK)
		if !errors.Is(err, dialer.ErrSIM) || !strings.Contains(err.Error(), `AT+CPIN="<PUK>","<new PIN>"`) {
			t.Errorf("error %q: not ErrSIM, or does not say how to unblock the SIM", err)
		}
	})
}

package dialer

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/at"
)

func TestResultError(t *testing.T) {
	tests := []struct {
		line string
		want error
	}{
		{"OK", nil},
		{"CONNECT 115200", nil},
		{"+CSQ: 20,99", nil},
		{"RING", nil},
		{"NO CARRIER", ErrNoCarrier},
		{"BUSY", ErrBusy},
		{"NO DIALTONE", ErrNoDialtone},
		{"NO DIAL TONE", ErrNoDialtone},
		{"NO ANSWER", ErrNoAnswer},
		{"ERROR", ErrError},
		{"+CME ERROR: 10", &CMEError{Code: 10, Text: "SIM not inserted"}},
		{"+CME ERROR:10", &CMEError{Code: 10, Text: "SIM not inserted"}},
		{"+CME ERROR: 010", &CMEError{Code: 10, Text: "SIM not inserted"}},
		{"+CME ERROR: 148", &CMEError{Code: 148, Text: "unspecified GPRS error"}},
		{"+CME ERROR: 999", &CMEError{Code: 999}},
		{"+CME ERROR: SIM not inserted", &CMEError{Code: 10, Text: "SIM not inserted"}},
		{"+CME ERROR: sim PIN required", &CMEError{Code: 11, Text: "sim PIN required"}},
		{"+CME ERROR: SIM NOT READY", &CMEError{Code: -1, Text: "SIM NOT READY"}},
		{"+CME ERROR: 99999999999999999999", &CMEError{Code: -1, Text: "99999999999999999999"}},
		{"+CMS ERROR: 310", &CMSError{Code: 310, Text: "SIM not inserted"}},
		{"+CMS ERROR: memory full", &CMSError{Code: 322, Text: "memory full"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, resultError(tt.line), cmp.Comparer(sameError)); diff != "" {
				t.Errorf("resultError(%q) (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

// sameError compares sentinels by identity and the code types by value.
func sameError(a, b error) bool {
	var ca, cb *CMEError
	if errors.As(a, &ca) && errors.As(b, &cb) {
		return *ca == *cb
	}
	var sa, sb *CMSError
	if errors.As(a, &sa) && errors.As(b, &sb) {
		return *sa == *sb
	}
	return a == b
}

func TestCodeErrorsMapToSentinels(t *testing.T) {
	tests := []struct {
		err  error
		want error
	}{
		{&CMEError{Code: 10}, ErrSIMNotInserted},
		{&CMEError{Code: 11}, ErrSIMPIN},
		{&CMEError{Code: 12}, ErrSIMPUK},
		{&CMSError{Code: 310}, ErrSIMNotInserted},
		{&CMSError{Code: 311}, ErrSIMPIN},
		{&CMSError{Code: 316}, ErrSIMPUK},
	}
	for _, tt := range tests {
		wrapped := &StepError{Step: "pin", Command: "AT+CPIN?", Err: tt.err}
		if !errors.Is(wrapped, tt.want) {
			t.Errorf("errors.Is(%v, %v) = false", wrapped, tt.want)
		}
		if !errors.Is(wrapped, ErrSIM) || !errors.Is(tt.want, ErrSIM) {
			t.Errorf("%v or %v is not ErrSIM", wrapped, tt.want)
		}
	}
	if errors.Is(&CMEError{Code: 16}, ErrSIMPIN) || errors.Is(&CMEError{Code: 16}, ErrSIM) {
		t.Error("CME error 16 (incorrect password) alone is ErrSIMPIN or ErrSIM")
	}
	if errors.Is(&CMEError{Code: 13}, ErrSIM) || errors.Is(ErrTimeout, ErrSIM) {
		t.Error("CME error 13 (SIM failure, maybe passing) or a timeout is ErrSIM")
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&StepError{Step: "dial", Command: "ATD*99***1#", Err: ErrNoCarrier}, "dialer: step dial (ATD*99***1#): no carrier"},
		{&StepError{Step: "line 3", Err: ErrTimeout}, "dialer: step line 3: timeout"},
		{&CMEError{Code: 10, Text: "SIM not inserted"}, "CME error 10: SIM not inserted"},
		{&CMEError{Code: 999}, "CME error 999"},
		{&CMEError{Code: -1, Text: "SIM NOT READY"}, "CME error: SIM NOT READY"},
		{&CMSError{Code: 500, Text: "unknown error"}, "CMS error 500: unknown error"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// FuzzResultError checks that classifying a line never panics and that a
// +CME/+CMS ERROR survives parse → format → parse unchanged.
func FuzzResultError(f *testing.F) {
	for _, s := range []string{
		"OK", "NO CARRIER", "ERROR",
		"+CME ERROR: 10",               // numeric, CMEE=1
		"+CME ERROR: SIM not inserted", // verbose, CMEE=2
		"+CME ERROR: vendor text",      // verbose, not standard
		"+CMS ERROR: 500",
		"+CME ERROR:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		err := resultError(line)
		var again error
		switch e := err.(type) {
		case *CMEError:
			again = resultError(codeLine(cmePrefix, e.Code, e.Text, at.CMEText))
		case *CMSError:
			again = resultError(codeLine(cmsPrefix, e.Code, e.Text, at.CMSText))
		default:
			return
		}
		if !sameError(err, again) {
			t.Errorf("%q: parsed %#v, reparsed %#v", line, err, again)
		}
	})
}

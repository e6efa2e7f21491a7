package at

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatter(t *testing.T) {
	connect := Final{Code: Connect, Text: "115200"}
	tests := []struct {
		name string
		f    Formatter
		out  func(b []byte, f Formatter) []byte
		want string
	}{
		{"OK", Formatter{}, func(b []byte, f Formatter) []byte { return f.AppendResult(b, Final{Code: OK}) }, "\r\nOK\r\n"},
		{"CONNECT with text", Formatter{}, func(b []byte, f Formatter) []byte { return f.AppendResult(b, connect) }, "\r\nCONNECT 115200\r\n"},
		{"numeric CONNECT", Formatter{Numeric: true}, func(b []byte, f Formatter) []byte { return f.AppendResult(b, connect) }, "1\r"},
		{"quiet", Formatter{Quiet: true}, func(b []byte, f Formatter) []byte { return f.AppendResult(b, Final{Code: Busy}) }, ""},
		{"info", Formatter{}, func(b []byte, f Formatter) []byte { return f.AppendInfo(b, "+CSQ: 20,99") }, "\r\n+CSQ: 20,99\r\n"},
		{"numeric info", Formatter{Numeric: true}, func(b []byte, f Formatter) []byte { return f.AppendInfo(b, "+CSQ: 20,99") }, "+CSQ: 20,99\r\n"},
		{"quiet info", Formatter{Quiet: true}, func(b []byte, f Formatter) []byte { return f.AppendInfo(b, "RING") }, "\r\nRING\r\n"},
		{"CR only", Formatter{LineEnd: "\r"}, func(b []byte, f Formatter) []byte { return f.AppendResult(b, Final{Code: OK}) }, "\rOK\r"},
		{"CME mode 0", Formatter{}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMEError(10)) }, "\r\nERROR\r\n"},
		{"CME mode 1", Formatter{CMEE: 1}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMEError(10)) }, "\r\n+CME ERROR: 10\r\n"},
		{"CME mode 2", Formatter{CMEE: 2}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMEError(10)) }, "\r\n+CME ERROR: SIM not inserted\r\n"},
		{"CME mode 2 without a text", Formatter{CMEE: 2}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMEError(999)) }, "\r\n+CME ERROR: 999\r\n"},
		{"numeric CME", Formatter{CMEE: 1, Numeric: true}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMEError(16)) }, "+CME ERROR: 16\r"},
		{"numeric CME mode 0", Formatter{Numeric: true}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMEError(16)) }, "4\r"},
		{"CMS mode 0", Formatter{}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMSError(310)) }, "\r\n+CMS ERROR: 310\r\n"},
		{"CMS mode 2", Formatter{CMEE: 2}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NewCMSError(310)) }, "\r\n+CMS ERROR: SIM not inserted\r\n"},
		{"result as error", Formatter{}, func(b []byte, f Formatter) []byte { return f.AppendError(b, NoCarrier) }, "\r\nNO CARRIER\r\n"},
		{"other error", Formatter{CMEE: 2}, func(b []byte, f Formatter) []byte { return f.AppendError(b, errors.New("x")) }, "\r\nERROR\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.out(nil, tt.f)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseResult(t *testing.T) {
	tests := []struct {
		line string
		want Final
		ok   bool
	}{
		{"OK", Final{Code: OK}, true},
		{"CONNECT", Final{Code: Connect}, true},
		{"CONNECT 115200", Final{Code: Connect, Text: "115200"}, true},
		{"NO CARRIER", Final{Code: NoCarrier}, true},
		{"NO DIAL TONE", Final{Code: NoDialtone}, true},
		{"RING", Final{Code: Ring}, true},
		{"CONNECTED", Final{}, false},
		{"OK ", Final{}, false},
		{"+CME ERROR: 10", Final{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseResult(tt.line)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseResult(%q) = %v, %v; want %v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
	for _, r := range []Result{OK, Connect, Ring, NoCarrier, Error, NoDialtone, Busy, NoAnswer} {
		if got, ok := ParseResult(r.String()); !ok || got.Code != r {
			t.Errorf("ParseResult(%v.String()) = %v, %v", int(r), got, ok)
		}
	}
	if Ring.Final() || !Busy.Failed() || Connect.Failed() {
		t.Error("Final or Failed wrong")
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		line string
		want error
	}{
		{"+CME ERROR: 10", &CMEError{Code: 10, Text: "SIM not inserted"}},
		{"+CME ERROR: incorrect password", &CMEError{Code: 16, Text: "incorrect password"}},
		{"+CME ERROR: context already activated", &CMEError{Code: -1, Text: "context already activated"}},
		{"+CMS ERROR: 310", &CMSError{Code: 310, Text: "SIM not inserted"}},
		{"+CMS ERROR: 555", &CMSError{Code: 555}},
		{"ERROR", nil},
	}
	for _, tt := range tests {
		got, ok := ParseError(tt.line)
		if ok != (tt.want != nil) {
			t.Errorf("ParseError(%q) ok = %v", tt.line, ok)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseError(%q) (-want +got)\n%s", tt.line, diff)
		}
	}
	if got := NewCMEError(11).Error(); got != "CME error 11: SIM PIN required" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&CMEError{Code: -1, Text: "x"}).Error(); got != "CME error: x" {
		t.Errorf("Error() = %q", got)
	}
}

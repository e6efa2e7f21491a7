package shim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The replayer's own matching, so that a transcript failure is the shim's.
func TestStepMatch(t *testing.T) {
	type result struct {
		N    int
		More bool
	}
	line := func(text string) *step { return &step{op: "<", text: text} }
	raw := func(text string) *step { return &step{op: "<=", text: text} }
	for _, tc := range []struct {
		name string
		s    *step
		buf  string
		want result
	}{
		{"line", line("OK"), "OK\r\n", result{2, false}},
		{"line unterminated", line("OK"), "OK", result{0, true}},
		{"other line", line("OK"), "ERROR\r\n", result{0, false}},
		{"longer line", line("OK"), "OKAY\r\n", result{0, false}},
		{"prompt", line(">"), "> ", result{1, false}},
		{"no prompt", line(">"), "OK\r\n", result{0, false}},
		{"raw", raw("abc"), "abcOK", result{3, false}},
		{"raw partial", raw("abc"), "ab", result{0, true}},
		{"raw differs", raw("abc"), "abd", result{0, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, more := tc.s.match([]byte(tc.buf))
			if diff := cmp.Diff(tc.want, result{n, more}); diff != "" {
				t.Errorf("match(%q) (-want +got):\n%s", tc.buf, diff)
			}
		})
	}
}

func TestUnescape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`TEST\x1a`, "TEST\x1a"},
		{`\x08\x1a\x1b`, "\x08\x1a\x1b"},
		{`CLOSED\r\n`, "CLOSED\r\n"},
		{`a\\b`, `a\b`},
	} {
		got, err := unescape(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("unescape(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`\x1`, `\q`, `\xzz`} {
		if _, err := unescape(bad); err == nil {
			t.Errorf("unescape(%q) succeeded", bad)
		}
	}
}

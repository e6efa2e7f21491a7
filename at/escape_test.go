package at

import (
	"strings"
	"testing"
	"time"
)

// A "+" that is not part of an escape sequence is data; so are "+++"
// without the guard times.
func TestEscape(t *testing.T) {
	const guard = time.Second
	tests := []struct {
		name   string
		guard  time.Duration
		before time.Duration // silence before the first chunk
		send   []string      // each chunk 100 ms after the one before
		escape bool
	}{
		{name: "escape", guard: guard, before: guard, send: []string{"+++"}, escape: true},
		{name: "one at a time", guard: guard, before: guard, send: []string{"+", "+", "+"}, escape: true},
		{name: "no silence before", guard: guard, before: 999 * time.Millisecond, send: []string{"+++"}},
		{name: "data before", guard: guard, before: guard, send: []string{"x+++"}},
		{name: "data after", guard: guard, before: guard, send: []string{"+++", "x"}},
		{name: "four", guard: guard, before: guard, send: []string{"+++", "+"}},
		{name: "two", guard: guard, before: guard, send: []string{"++", "x"}},
		{name: "no guard time", send: []string{"x+++"}, escape: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(1e9, 0)
			e := Escape{Guard: tt.guard}
			e.Reset(now)
			now = now.Add(tt.before)
			var got []byte
			wait := false
			for i, s := range tt.send {
				if i > 0 {
					now = now.Add(100 * time.Millisecond)
				}
				var data []byte
				data, wait = e.Input(now, []byte(s))
				got = append(got, data...)
			}
			if wait {
				if e.Timeout(now.Add(tt.guard - time.Nanosecond)); tt.guard > 0 && e.Held() != 3 {
					t.Fatal("Timeout before the guard time ended the escape")
				}
			}
			escaped := wait && e.Timeout(now.Add(tt.guard))
			if escaped != tt.escape {
				t.Fatalf("escape %v, want %v", escaped, tt.escape)
			}
			want := strings.Join(tt.send, "")
			if escaped {
				want = strings.TrimSuffix(want, "+++")
			} else {
				want = want[:len(want)-e.Held()]
			}
			if string(got) != want {
				t.Errorf("data %q, want %q", got, want)
			}
		})
	}
}

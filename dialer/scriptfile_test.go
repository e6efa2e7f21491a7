package dialer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseChatScript(t *testing.T) {
	const s45, s10 = 45 * time.Second, 10 * time.Second
	tests := []struct {
		name string
		src  string
		want *Script
	}{
		{
			name: "typical connect script",
			src: `# GPRS connect script
ABORT BUSY ABORT 'NO CARRIER'
TIMEOUT 10
''  AT
OK  'AT+CGDCONT=1,"IP","$APN"'
OK  ATD*99***1#
TIMEOUT 45
CONNECT ''
`,
			want: &Script{
				Abort: []Abort{{Prefix: "BUSY"}, {Prefix: "NO CARRIER"}},
				Steps: []Step{
					{Name: "line 4", Send: "AT", Expect: []string{"OK"}, Timeout: s10},
					{Name: "line 5", Send: `AT+CGDCONT=1,"IP","$APN"`, Expect: []string{"OK"}, Timeout: s10},
					{Name: "line 6", Send: "ATD*99***1#", Expect: []string{"CONNECT"}, Timeout: s45},
				},
			},
		},
		{
			name: "first expect waits without sending",
			src:  `RDY AT OK`,
			want: &Script{Steps: []Step{
				{Name: "line 1", NoCR: true, Expect: []string{"RDY"}, Timeout: s45},
				{Name: "line 1", Send: "AT", Expect: []string{"OK"}, Timeout: s45},
			}},
		},
		{
			name: "last send without expect",
			src:  `'' ATZ OK ATD*99#`,
			want: &Script{Steps: []Step{
				{Name: "line 1", Send: "ATZ", Expect: []string{"OK"}, Timeout: s45},
				{Name: "line 1", Send: "ATD*99#", NoResponse: true, Timeout: s45},
			}},
		},
		{
			name: "empty send sends CR",
			src:  `'' '' OK AT`,
			want: &Script{Steps: []Step{
				{Name: "line 1", Expect: []string{"OK"}, Timeout: s45},
				{Name: "line 1", Send: "AT", NoResponse: true, Timeout: s45},
			}},
		},
		{
			name: "escapes",
			src:  `'' "AT\sE0\c" OK 'a\\b\'c\"d^Z\101\N' '\r\nOK\r\n' x`,
			want: &Script{Steps: []Step{
				{Name: "line 1", Send: "AT E0", NoCR: true, Expect: []string{"OK"}, Timeout: s45},
				{Name: "line 1", Send: "a\\b'c\"d\x1aA\x00", Expect: []string{"OK"}, Timeout: s45},
				{Name: "line 1", Send: "x", NoResponse: true, Timeout: s45},
			}},
		},
		{
			name: "delays split the send string",
			src:  `'' \d\dATZ OK 'AT\pH' OK`,
			want: &Script{Steps: []Step{
				{Name: "line 1", Send: "ATZ", Delay: 2 * time.Second, Expect: []string{"OK"}, Timeout: s45},
				{Name: "line 1", Send: "AT", NoCR: true, NoResponse: true, Timeout: s45},
				{Name: "line 1", Send: "H", Delay: 100 * time.Millisecond, Expect: []string{"OK"}, Timeout: s45},
			}},
		},
		{
			name: "ignored keywords and comments",
			src: "SAY 'dialling\\n'\r\nREPORT CONNECT ECHO ON HANGUP OFF # trailing\n" +
				"'' ATD*99# # the # inside ATD*99# is not a comment\nCONNECT",
			want: &Script{Steps: []Step{
				{Name: "line 3", Send: "ATD*99#", Expect: []string{"CONNECT"}, Timeout: s45},
			}},
		},
		{
			name: "hyphen escaped in expect, plain in send and ABORT",
			src:  `ABORT 'NO-CARRIER' '' AT-X 'A\-B' ''`,
			want: &Script{
				Abort: []Abort{{Prefix: "NO-CARRIER"}},
				Steps: []Step{{Name: "line 1", Send: "AT-X", Expect: []string{"A-B"}, Timeout: s45}},
			},
		},
		{name: "empty", src: "# nothing\n\n", want: &Script{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseChatScript(strings.NewReader(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("script (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseChatScriptErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unterminated quote", "'' AT\nOK 'ATD*99#\n", "line 2: unterminated quote"},
		{"text after quote", `'' 'AT'X`, "line 1: text after closing quote"},
		{"keyword without argument", "'' AT\nOK AT\nABORT", "line 3: ABORT needs an argument"},
		{"bad timeout", "TIMEOUT soon", `line 1: TIMEOUT needs a number of seconds from 1 to 86400, not "soon"`},
		{"zero timeout", "\n\nTIMEOUT 0", "line 3: TIMEOUT needs"},
		{"sub-expect", "'' AT\nOK-AT-OK ATD", "line 2: sub-expects"},
		{"multi-line abort", `ABORT '\nRINGING\r\n\r\nRINGING'`, "spans lines"},
		{"blank expect", `'\r\n' AT`, "is blank"},
		{"empty abort", `ABORT ''`, "ABORT needs a non-empty string"},
		{"unsupported escape", `'' 'AT\K'`, `unsupported escape \K`},
		{"delay in expect", `'OK\d' AT`, `\d is only valid in a send string`},
		{"no CR not at end", `'' 'AT\cZ'`, `\c must end the send string`},
		{"dangling backslash", `'' AT\`, "backslash at the end"},
		{"bad control", `'' ^1`, "invalid control character ^1"},
		{"octal out of range", `'' \777`, "out of range"},
		{"CLR_ABORT", `CLR_ABORT x`, "CLR_ABORT is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseChatScript(strings.NewReader(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseChatScript error = %v, want one containing %q", err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "dialer: chat script line ") {
				t.Errorf("error %q lacks the line prefix", err)
			}
		})
	}
}

// formatChat writes a parsed script back in chat syntax: the inverse of
// ParseChatScript, up to step names, for the fuzz target.
func formatChat(s *Script) string {
	var b strings.Builder
	for _, a := range s.Abort {
		fmt.Fprintf(&b, "ABORT %s\n", quoteChat(a.Prefix))
	}
	timeout := chatTimeout
	setTimeout := func(st Step) {
		if st.Timeout != timeout {
			timeout = st.Timeout
			fmt.Fprintf(&b, "TIMEOUT %d\n", timeout/time.Second)
		}
	}
	steps := s.Steps
	if len(steps) > 0 && steps[0].Send == "" && steps[0].NoCR && !steps[0].NoResponse && steps[0].Delay == 0 {
		setTimeout(steps[0])
		b.WriteString(quoteChat(steps[0].Expect[0]))
		steps = steps[1:]
	} else {
		b.WriteString("''")
	}
	for _, st := range steps {
		b.WriteString(" " + sendToken(st) + "\n")
		setTimeout(st)
		if st.NoResponse {
			b.WriteString("''")
		} else {
			b.WriteString(quoteChat(st.Expect[0]))
		}
	}
	return b.String() + "\n"
}

func sendToken(st Step) string {
	var esc strings.Builder
	esc.WriteString(strings.Repeat(`\d`, int(st.Delay/delayEscape)))
	esc.WriteString(strings.Repeat(`\p`, int(st.Delay%delayEscape/pauseEscape)))
	q := quoteChat(st.Send)
	if st.NoCR {
		q = q[:len(q)-1] + `\c'`
	}
	return "'" + esc.String() + q[1:]
}

// quoteChat quotes s so that ParseChatScript reads it back as s.
func quoteChat(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	if isKeyword(s) {
		fmt.Fprintf(&b, `\%03o`, s[0]) // a quoted keyword is still a keyword
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'' || c == '-':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c == 0x7f || c == '^':
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// FuzzParseChatScript checks that parsing never panics and that a parsed
// script formats back to chat syntax that parses to the same steps.
func FuzzParseChatScript(f *testing.F) {
	for _, src := range []string{
		// pppd's usual GPRS script, with templates.
		"ABORT BUSY ABORT 'NO CARRIER' ABORT ERROR\nTIMEOUT 10\n'' AT OK ATE0\n" +
			"OK 'AT+CPIN=\"$PIN\"'\nOK 'AT+CGDCONT=1,\"IP\",\"$APN\"'\nOK ATD*99***1#\nTIMEOUT 30\nCONNECT ''\n",
		// Waits for the boot banner first, delays and pauses.
		"RDY \\d\\dAT OK 'AT\\pH\\c' '' ^Z",
		// Double quotes, escapes, comments, ignored keywords.
		"SAY \"hi\" # c\n\"\" \"AT\\sE0\" OK '\\101\\N\\t'\nREPORT CONNECT\n",
		// Errors: unterminated quote, sub-expect.
		"'' 'AT", "OK-AT-OK AT",
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := ParseChatScript(strings.NewReader(src))
		if err != nil {
			return
		}
		out := formatChat(s)
		s2, err := ParseChatScript(strings.NewReader(out))
		if err != nil {
			t.Fatalf("reparse of\n%s\nfailed: %v", out, err)
		}
		ignoreNames := cmpopts.IgnoreFields(Step{}, "Name")
		if diff := cmp.Diff(s, s2, ignoreNames, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("parse → format → parse changed the script (-first +second):\n%s\nformatted:\n%s", diff, out)
		}
		if out2 := formatChat(s2); out2 != out {
			t.Errorf("format is not stable:\n%s\nthen\n%s", out, out2)
		}
	})
}

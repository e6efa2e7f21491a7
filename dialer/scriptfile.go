package dialer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// chatTimeout is chat(8)'s default TIMEOUT.
const chatTimeout = 45 * time.Second

// Delays of the chat(8) escapes \d and \p.
const (
	delayEscape = time.Second
	pauseEscape = 100 * time.Millisecond
)

// maxChatTimeout bounds the TIMEOUT keyword.
const maxChatTimeout = 24 * 60 * 60

// ParseChatScript reads a script in the syntax of pppd's chat(8) file
// (chat -f), so an existing connect script can replace Dial's default one:
//
//	# comment
//	ABORT BUSY  ABORT 'NO CARRIER'
//	TIMEOUT 10
//	''  AT
//	OK  'AT+CGDCONT=1,"IP","$APN"'
//	OK  ATD*99***1#
//	TIMEOUT 30
//	CONNECT ''
//
// The script is a sequence of expect-send pairs separated by spaces, tabs
// or line breaks: wait for the expect string, then send the send string
// and a CR. This subset is supported:
//
//   - strings quoted with ' or " (the quote must start the string; a
//     backslash escapes a quote inside), or unquoted up to the next space;
//   - an empty string ("" or a pair of single quotes) as an expect string:
//     expect nothing; as a send string: send only the CR (an empty send
//     string after the last expect is dropped, as its CR would go into the
//     PPP stream);
//   - escapes \\ \' \" \r \n \s (space) \t \b \- (a literal hyphen), \ddd
//     (octal) and ^C (control character) anywhere; in send strings also
//     \N (NUL), \c (no CR; only at the end), \d (pause 1 s) and \p
//     (pause 0.1 s);
//   - ABORT 'string': any line beginning with string fails the step. The
//     standard failing result codes (NO CARRIER, BUSY, ERROR, +CME ERROR,
//     ...) always do, declared or not. ABORT applies to the whole script,
//     wherever it appears;
//   - TIMEOUT n: seconds to wait for each later expect string (default 45);
//   - SAY, REPORT, ECHO and HANGUP with their argument are accepted and
//     ignored: they control chat's own output;
//   - # starts a comment up to the end of the line, outside quotes and at
//     the start of a string (so ATD*99# is a string, not a comment);
//   - $APN and $PIN in send strings are replaced by DialConfig.APN and
//     DialConfig.PIN when Dial runs the script; the PIN is never logged.
//
// Unlike chat, which finds the expect string anywhere in the input, the
// engine matches lines: the expect string must begin a line. So leading
// and trailing line breaks and spaces in expect and ABORT strings are
// dropped, and one that spans lines is an error. Sub-expects (OK-AT-OK),
// CLR_ABORT, CLR_REPORT and the escapes \K, \q, \T and \U are not
// supported and are reported as errors with the line number. Each step is
// named after the line of its send string ("line 5").
func ParseChatScript(r io.Reader) (*Script, error) {
	toks, err := tokenize(r)
	if err != nil {
		return nil, err
	}
	p := chatParser{timeout: chatTimeout}
	for i := 0; i < len(toks); {
		t := toks[i]
		if isKeyword(t.text) {
			if i+1 >= len(toks) {
				return nil, t.errorf("%s needs an argument", t.text)
			}
			if err := p.keyword(t.text, toks[i+1]); err != nil {
				return nil, err
			}
			i += 2
			continue
		}
		expect, err := unescapeMatch(t, inExpect)
		if err != nil {
			return nil, err
		}
		p.expect(expect, t.line)
		if i++; i < len(toks) {
			if p.pending, err = unescapeSend(toks[i]); err != nil {
				return nil, err
			}
			i++
		}
	}
	p.finish()
	return &p.script, nil
}

// token is a string of a chat script, quotes removed and escapes kept.
type token struct {
	text string
	line int
}

func (t token) errorf(format string, args ...any) error {
	return fmt.Errorf("dialer: chat script line %d: %s", t.line, fmt.Sprintf(format, args...))
}

// tokenize splits a chat script into strings.
func tokenize(r io.Reader) ([]token, error) {
	var toks []token
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		for i := 0; i < len(line); {
			switch c := line[i]; {
			case isBlank(c):
				i++
			case c == '#':
				i = len(line)
			case c == '\'' || c == '"':
				text, next, err := quoted(line, i, n)
				if err != nil {
					return nil, err
				}
				toks = append(toks, token{text: text, line: n})
				i = next
			default:
				j := i
				for j < len(line) && !isBlank(line[j]) {
					j++
				}
				toks = append(toks, token{text: line[i:j], line: n})
				i = j
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dialer: chat script line %d: %w", n+1, err)
	}
	return toks, nil
}

// quoted reads the quoted string starting at line[i]. It returns the text
// between the quotes, with escapes kept, and the index after the closing
// quote.
func quoted(line string, i, n int) (string, int, error) {
	q := line[i]
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case q:
			if j+1 < len(line) && !isBlank(line[j+1]) {
				return "", 0, fmt.Errorf("dialer: chat script line %d: text after closing quote", n)
			}
			return line[i+1 : j], j + 1, nil
		}
	}
	return "", 0, fmt.Errorf("dialer: chat script line %d: unterminated quote", n)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

func isKeyword(s string) bool {
	switch s {
	case "ABORT", "TIMEOUT", "SAY", "REPORT", "ECHO", "HANGUP", "CLR_ABORT", "CLR_REPORT":
		return true
	}
	return false
}

// segment is a part of a send string: a pause, then text.
type segment struct {
	delay time.Duration
	text  string
}

// sendString is an unescaped send string.
type sendString struct {
	segs []segment // at least one
	noCR bool
	line int
}

// chatParser lowers expect-send pairs to steps, each of which sends and
// then expects: a send string waits in pending for the expect after it.
type chatParser struct {
	script  Script
	timeout time.Duration
	pending *sendString
}

func (p *chatParser) keyword(kw string, arg token) error {
	switch kw {
	case "ABORT":
		s, err := unescapeMatch(arg, inAbort)
		if err != nil {
			return err
		}
		if s == "" {
			return arg.errorf("ABORT needs a non-empty string")
		}
		p.script.Abort = append(p.script.Abort, Abort{Prefix: s})
	case "TIMEOUT":
		n, err := strconv.Atoi(arg.text)
		if err != nil || n <= 0 || n > maxChatTimeout {
			return arg.errorf("TIMEOUT needs a number of seconds from 1 to %d, not %q", maxChatTimeout, arg.text)
		}
		p.timeout = time.Duration(n) * time.Second
	case "CLR_ABORT", "CLR_REPORT":
		return arg.errorf("%s is not supported", kw)
	}
	return nil // SAY, REPORT, ECHO, HANGUP
}

// expect ends the pending send string's step with expect ("" for none).
func (p *chatParser) expect(expect string, line int) {
	if p.pending == nil {
		if expect != "" {
			p.add(Step{Name: stepName(line), NoCR: true, Expect: []string{expect}, Timeout: p.timeout})
		}
		return
	}
	s := p.pending
	p.pending = nil
	for i, seg := range s.segs {
		st := Step{Name: stepName(s.line), Send: seg.text, Delay: seg.delay, Timeout: p.timeout}
		switch {
		case i < len(s.segs)-1:
			st.NoCR, st.NoResponse = true, true
		case expect == "":
			st.NoCR, st.NoResponse = s.noCR, true
		default:
			st.NoCR, st.Expect = s.noCR, []string{expect}
		}
		p.add(st)
	}
}

// finish sends the last send string, unless it is an empty one after the
// final expect (usually CONNECT with an empty reply): chat would send a CR
// into the data stream.
func (p *chatParser) finish() {
	s := p.pending
	if s == nil || len(s.segs) == 1 && s.segs[0] == (segment{}) && !s.noCR {
		return
	}
	p.expect("", s.line)
}

func (p *chatParser) add(st Step) { p.script.Steps = append(p.script.Steps, st) }

func stepName(line int) string { return "line " + strconv.Itoa(line) }

// unescapeSend decodes a send string into segments split at \d and \p.
func unescapeSend(t token) (*sendString, error) {
	s := &sendString{line: t.line}
	var cur segment
	var text []byte
	err := unescape(t, inSend, func(b byte) { text = append(text, b) }, func(esc byte) {
		if esc == 'c' {
			s.noCR = true
			return
		}
		if len(text) > 0 {
			cur.text, text = string(text), nil
			s.segs = append(s.segs, cur)
			cur = segment{}
		}
		if esc == 'd' {
			cur.delay += delayEscape
		} else {
			cur.delay += pauseEscape
		}
	})
	if err != nil {
		return nil, err
	}
	cur.text = string(text)
	s.segs = append(s.segs, cur)
	return s, nil
}

// unescapeMatch decodes an expect or ABORT string and trims the line
// breaks and spaces around it.
func unescapeMatch(t token, in place) (string, error) {
	var text []byte
	err := unescape(t, in, func(b byte) { text = append(text, b) }, nil)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(text))
	switch {
	case strings.ContainsAny(s, "\r\n"):
		return "", t.errorf("expect string %q spans lines; only single-line strings are supported", t.text)
	case s == "" && t.text != "":
		return "", t.errorf("expect string %q is blank", t.text)
	}
	return s, nil
}

// errSubExpect explains the one chat feature most likely to be missed.
var errSubExpect = errors.New(`sub-expects ("-") are not supported; write \- for a hyphen`)

// place says where a string appears in a chat script.
type place int

const (
	inSend place = iota
	inExpect
	inAbort
)

// unescape decodes the escapes of t, passing plain bytes to put and the
// send-only control escapes \c, \d and \p to ctl.
func unescape(t token, in place, put func(byte), ctl func(esc byte)) error {
	s := t.text
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' && in == inExpect:
			return t.errorf("%v", errSubExpect)
		case c == '^':
			if i+1 >= len(s) {
				return t.errorf("^ at the end of %q", s)
			}
			i++
			b, ok := control(s[i])
			if !ok {
				return t.errorf("invalid control character ^%c", s[i])
			}
			put(b)
		case c != '\\':
			put(c)
		case i+1 >= len(s):
			return t.errorf("backslash at the end of %q", s)
		default:
			n, err := escape(t, s[i+1:], in == inSend, put, ctl)
			if err != nil {
				return err
			}
			i += n
		}
	}
	return nil
}

// escape decodes the escape after a backslash, at the start of s, and
// returns its length.
func escape(t token, s string, send bool, put func(byte), ctl func(esc byte)) (int, error) {
	c := s[0]
	if b, ok := simpleEscape(c); ok {
		put(b)
		return 1, nil
	}
	switch c {
	case 'c', 'd', 'p', 'N':
		if !send {
			return 0, t.errorf(`\%c is only valid in a send string`, c)
		}
		if c == 'N' {
			put(0)
			return 1, nil
		}
		if c == 'c' && len(s) > 1 {
			return 0, t.errorf(`\c must end the send string`)
		}
		ctl(c)
		return 1, nil
	}
	if c >= '0' && c <= '7' {
		n, v := 0, 0
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v*8 + int(s[n]-'0')
			n++
		}
		if v > 0xff {
			return 0, t.errorf(`octal escape \%s is out of range`, s[:n])
		}
		put(byte(v))
		return n, nil
	}
	return 0, t.errorf(`unsupported escape \%c`, c)
}

// simpleEscape decodes the one-character escapes of chat(8).
func simpleEscape(c byte) (byte, bool) {
	switch c {
	case '\\', '\'', '"', '-':
		return c, true
	case 'r':
		return '\r', true
	case 'n':
		return '\n', true
	case 's':
		return ' ', true
	case 't':
		return '\t', true
	case 'b':
		return '\b', true
	}
	return 0, false
}

// control decodes ^C: ^@ to ^_ (and lower case) are 0 to 31, ^? is DEL.
func control(c byte) (byte, bool) {
	switch {
	case c == '?':
		return 0x7f, true
	case c >= '@' && c <= '_':
		return c - '@', true
	case c >= 'a' && c <= 'z':
		return c - 'a' + 1, true
	}
	return 0, false
}

package shim_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A transcript (testdata/*.txt) is a dialogue between a host and the shim,
// one step a line:
//
//	> AT+QIOPEN="TCP","10.64.64.1","7"   the host sends the line, CR-terminated
//	= Welcome\x1a                         the host sends raw bytes (no terminator);
//	                                      \r \n \xNN and \\ are escapes
//	< CONNECT OK                          the next response line is exactly this
//	< >                                   the next output is the "> " data prompt
//	<~ \+QISACK: 30, ?\d+, ?\d+           the next line matches the regular
//	                                      expression (anchored at both ends)
//	<= Welcome                            the next output is these raw bytes (data,
//	                                      which need not end a line)
//	* 0, CLOSED                           asynchronous output (URC or received
//	*~ +QIRDI: ...  *= data               data), line / pattern / raw as above
//	! pause 1.2s                          wait, reading whatever arrives (guard
//	                                      times around +++)
//	! await                               wait until every armed asynchronous
//	                                      step has been met
//	! quiet 1.5s                          nothing but blank space may arrive
//	                                      for that long
//	! dial 2020                           the network side connects to the
//	                                      client's address at that TCP port
//	! peer-send text / ! peer-expect text / ! peer-close
//	                                      the network side's connection sends,
//	                                      reads exactly, or closes
//
// {{local}} stands for the client's address (AT+QILOCIP), {{gw}} for the
// simulated network's (10.64.64.1) and {{port}} for a TCP port of the
// transcript's own (2020 plus its place in the sorted list). Lines
// starting with # and blank lines are comments.
//
// Matching: blank space (CR, LF, spaces) between outputs is skipped, and
// so is the echo of the command just sent if the shim echoes. An
// asynchronous step is armed by the host action before it (a > or = step,
// or a directive such as "! peer-send"), so that its output may come
// before, between or after the lines of the steps that follow. Output that
// matches neither the step awaited nor an armed asynchronous step fails
// the transcript. "! await" and the end of the transcript wait until every
// armed step has been met.

// step is one line of a transcript.
type step struct {
	line  int
	op    string // ">", "=", "<", "<~", "<=", "*", "*~", "*=", "!"
	text  string
	re    *regexp.Regexp
	async bool
	armed bool // an asynchronous step already armed by its host action
}

func (s *step) String() string { return fmt.Sprintf("line %d: %s %s", s.line, s.op, s.text) }

// parseTranscript reads a transcript, substituting vars.
func parseTranscript(t *testing.T, path string, vars map[string]string) []*step {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []*step
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		op, text, _ := strings.Cut(l, " ")
		s := &step{line: n, op: op, async: strings.HasPrefix(op, "*")}
		switch op {
		case ">", "=", "<", "<=", "*", "*=", "!":
			s.text = subst(text, vars, false)
		case "<~", "*~":
			s.text = subst(text, vars, true)
			if s.re, err = regexp.Compile("^(?:" + s.text + ")$"); err != nil {
				t.Fatalf("%s:%d: %v", path, n, err)
			}
		default:
			t.Fatalf("%s:%d: unknown step %q", path, n, op)
		}
		if op == "=" || op == "<=" || op == "*=" {
			if s.text, err = unescape(s.text); err != nil {
				t.Fatalf("%s:%d: %v", path, n, err)
			}
		}
		steps = append(steps, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

func subst(s string, vars map[string]string, quote bool) string {
	for k, v := range vars {
		if quote {
			v = regexp.QuoteMeta(v)
		}
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	return s
}

// unescape decodes \r, \n, \xNN and \\.
func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'r':
			b.WriteByte('\r')
		case 'n':
			b.WriteByte('\n')
		case '\\':
			b.WriteByte('\\')
		case 'x':
			if i+2 >= len(s) {
				return "", fmt.Errorf("short \\x escape in %q", s)
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", fmt.Errorf("bad \\x escape in %q", s)
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("unknown escape \\%c in %q", s[i], s)
		}
	}
	return b.String(), nil
}

// match reports how many bytes at the start of buf (which starts with a
// non-blank byte) the step's expected output takes: n > 0 on a match;
// more when buf could still match once more bytes arrive.
func (s *step) match(buf []byte) (n int, more bool) {
	switch s.op {
	case "<=", "*=":
		if len(buf) < len(s.text) {
			return 0, bytes.HasPrefix([]byte(s.text), buf)
		}
		if bytes.HasPrefix(buf, []byte(s.text)) {
			return len(s.text), false
		}
		return 0, false
	case "<":
		if s.text == ">" {
			if buf[0] == '>' {
				return 1, false
			}
			return 0, false
		}
	}
	i := bytes.IndexAny(buf, "\r\n")
	if i < 0 {
		return 0, true
	}
	l := string(buf[:i])
	if s.re != nil && s.re.MatchString(l) || s.re == nil && l == s.text {
		return i, false
	}
	return 0, false
}

// replayer runs a transcript against a shim.
type replayer struct {
	t       *testing.T
	h       *host
	st      *stack
	armed   []*step
	echo    string // the last command sent, until its echo or response
	peer    net.Conn
	timeout time.Duration
}

func (r *replayer) run(steps []*step) {
	r.t.Helper()
	for i, s := range steps {
		r.step(s)
		if s.op == ">" || s.op == "=" || s.op == "!" {
			r.arm(steps[i+1:])
		}
	}
	if len(r.armed) > 0 {
		r.await(nil)
	}
}

// arm arms the asynchronous steps that follow a host action, up to the
// next host action or directive.
func (r *replayer) arm(rest []*step) {
	for _, s := range rest {
		switch {
		case s.op == ">" || s.op == "=" || s.op == "!":
			return
		case s.async && !s.armed:
			s.armed = true
			r.armed = append(r.armed, s)
		}
	}
}

func (r *replayer) step(s *step) {
	r.t.Helper()
	switch {
	case s.op == ">":
		r.h.cmd(s.text)
		r.echo = s.text
	case s.op == "=":
		r.h.write([]byte(s.text))
		r.echo = ""
	case s.async:
		if !s.armed {
			s.armed = true
			r.armed = append(r.armed, s)
		}
	case s.op == "!":
		r.directive(s)
	default:
		r.await(s)
	}
}

// await consumes output until s matches (or, for nil, until every armed
// step has).
func (r *replayer) await(s *step) {
	r.t.Helper()
	deadline := time.Now().Add(r.timeout)
	for {
		r.h.buf = bytes.TrimLeft(r.h.buf, "\r\n ")
		if len(r.h.buf) > 0 {
			done, progress, more := r.consume(s)
			if done {
				return
			}
			if progress {
				continue
			}
			if !more {
				r.t.Fatalf("%v: unexpected output (armed: %v): %s", describe(s), r.armed, r.h.tail())
			}
		} else if s == nil && len(r.armed) == 0 {
			return
		}
		if !r.h.fill(deadline) {
			r.t.Fatalf("%v: not met within %v (armed: %v): %s", describe(s), r.timeout, r.armed, r.h.tail())
		}
	}
}

// consume tries the echo, the armed steps and s against the start of the
// input.
func (r *replayer) consume(s *step) (done, progress, more bool) {
	buf := r.h.buf
	if r.echo != "" {
		i := bytes.IndexAny(buf, "\r\n")
		if i >= 0 && string(buf[:i]) == r.echo {
			r.h.buf = buf[i:]
			r.echo = ""
			return false, true, false
		}
		more = more || i < 0 && bytes.HasPrefix([]byte(r.echo), buf)
	}
	for k, a := range r.armed {
		n, m := a.match(buf)
		if n > 0 {
			r.h.buf = buf[n:]
			r.armed = append(r.armed[:k:k], r.armed[k+1:]...)
			return s == nil && len(r.armed) == 0, true, false
		}
		more = more || m
	}
	if s != nil {
		n, m := s.match(buf)
		if n > 0 {
			r.h.buf = buf[n:]
			r.echo = ""
			return true, true, false
		}
		more = more || m
	}
	return false, false, more
}

func describe(s *step) string {
	if s == nil {
		return "end of transcript"
	}
	return s.String()
}

func (r *replayer) directive(s *step) {
	r.t.Helper()
	verb, arg, _ := strings.Cut(s.text, " ")
	switch verb {
	case "pause":
		d, err := time.ParseDuration(arg)
		if err != nil {
			r.t.Fatalf("%v: %v", s, err)
		}
		deadline := time.Now().Add(d)
		for r.h.fill(deadline) {
		}
		if d := time.Until(deadline); d > 0 {
			<-time.After(d) // the line ended early; keep the guard time
		}
	case "await":
		r.await(nil)
	case "quiet":
		d, err := time.ParseDuration(arg)
		if err != nil {
			r.t.Fatalf("%v: %v", s, err)
		}
		deadline := time.Now().Add(d)
		for {
			if len(bytes.Trim(r.h.buf, "\r\n ")) > 0 {
				r.t.Fatalf("%v: unexpected output: %s", s, r.h.tail())
			}
			if !r.h.fill(deadline) {
				break
			}
		}
	case "dial":
		port, err := strconv.Atoi(arg)
		if err != nil {
			r.t.Fatalf("%v: %v", s, err)
		}
		r.peer = r.st.dialClient(r.t, port)
	case "peer-send":
		data, err := unescape(arg)
		if err != nil {
			r.t.Fatalf("%v: %v", s, err)
		}
		r.peerConn(s).SetWriteDeadline(time.Now().Add(r.timeout))
		if _, err := r.peerConn(s).Write([]byte(data)); err != nil {
			r.t.Fatalf("%v: %v", s, err)
		}
	case "peer-expect":
		want, err := unescape(arg)
		if err != nil {
			r.t.Fatalf("%v: %v", s, err)
		}
		got := make([]byte, len(want))
		c := r.peerConn(s)
		c.SetReadDeadline(time.Now().Add(r.timeout))
		for k := 0; k < len(got); {
			n, err := c.Read(got[k:])
			k += n
			if err != nil {
				r.t.Fatalf("%v: the network side read %q: %v", s, got[:k], err)
			}
		}
		if string(got) != want {
			r.t.Fatalf("%v: the network side read %q", s, got)
		}
	case "peer-close":
		r.peerConn(s).Close()
	default:
		r.t.Fatalf("%v: unknown directive", s)
	}
}

func (r *replayer) peerConn(s *step) net.Conn {
	r.t.Helper()
	if r.peer == nil {
		r.t.Fatalf("%v: no connection from the network side (! dial first)", s)
	}
	return r.peer
}

// TestTranscripts replays Quectel's own dialogues: the examples of the
// GSM TCPIP Application Note V1.2 (seed 001, "an-*") and of the Chinese
// "GSM module TCPIP application flow guide" V1.2 (seed 002, "flow-*"),
// one subtest per seed section, each on a fresh shim over one link.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	sort.Strings(files)
	st := newStack(t)
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		vars := map[string]string{
			"local": st.clientAddr().String(),
			"gw":    gwAddr.String(),
			"port":  strconv.Itoa(2020 + i),
		}
		t.Run(name, func(t *testing.T) {
			steps := parseTranscript(t, f, vars)
			r := &replayer{t: t, h: st.startShim(t, shimOptions{}), st: st, timeout: 15 * time.Second}
			r.run(steps)
		})
	}
}

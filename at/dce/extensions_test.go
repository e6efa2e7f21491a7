package dce

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// A command whose answer comes later suspends the engine: input waits
// for Resume, and the handler's own answer ends the line.
func TestSuspend(t *testing.T) {
	r := newRig(t, Config{Commands: map[string]Handler{
		"+SLOW": func(e *Engine, c at.Command) error {
			e.Suspend()
			return ErrHandled
		},
	}})
	in := []byte("AT+SLOW\rAT\r")
	n := r.e.Input(in)
	if n != len("AT+SLOW\r") || r.out.Len() != 0 {
		t.Fatalf("took %d of %q and wrote %q; want the first line alone, unanswered", n, in, r.out.String())
	}
	if m := r.e.Input(in[n:]); m != 0 || !r.e.Suspended() {
		t.Fatalf("took %d bytes while suspended", m)
	}
	r.e.Result(nil) // the slow command's answer
	r.e.Resume()
	if got := r.send(string(in[n:])); got != "\r\nOK\r\n\r\nOK\r\n" {
		t.Errorf("after Resume: %q", got)
	}
}

// Control sees the control characters the engine leaves out of the
// line, not S3, LF or S5; what it does (here: a result code and a
// suspend) takes effect at once, and the line being typed goes on.
func TestControl(t *testing.T) {
	var seen []byte
	r := newRig(t, Config{Control: func(e *Engine, c byte) {
		seen = append(seen, c)
		if c == 0x03 {
			e.Result(nil)
			e.Suspend()
		}
	}})
	in := []byte("A\x01TT\x08\r\n\x03AT\r")
	n := r.e.Input(in)
	if string(seen) != "\x01\x03" || n != len(in)-3 {
		t.Fatalf("Control saw %q and Input took %d of %d; want \\x01 and \\x03, stopping after the suspend", seen, n, len(in))
	}
	if got := r.out.String(); got != "\r\nOK\r\n\r\nOK\r\n" {
		t.Errorf("wrote %q; want the line's OK (the \\x01 left out of it) and Control's", got)
	}
	r.out.Reset()
	r.e.Resume()
	if got := r.send(string(in[n:])); got != "\r\nOK\r\n" {
		t.Errorf("after Resume: %q", got)
	}
}

// NoiseError answers a line without "AT" as Quectel's GSM modules do.
func TestNoiseError(t *testing.T) {
	r := newRig(t, Config{NoiseError: true})
	for _, s := range []step{{"hello\r", "\r\nERROR\r\n"}, {" \r", ""}, {"\r\n", ""}, {"AT\r", "\r\nOK\r\n"}} {
		if got := r.send(s.send); got != s.want {
			t.Errorf("%q: got %q, want %q", s.send, got, s.want)
		}
	}
}

// A payload: the LF of the command line's CR LF is not payload, Edit
// lets backspace remove a byte, NoPrompt writes no prompt, EndPayload
// sends what came so far.
func TestPayloadOptions(t *testing.T) {
	var got []string
	done := func(e *Engine, data []byte) error {
		got = append(got, string(data))
		e.Info("SEND OK")
		return ErrHandled
	}
	r := newRig(t, Config{Commands: map[string]Handler{
		"+SEND":  func(e *Engine, c at.Command) error { return e.Capture(Payload{Edit: true, Done: done}) },
		"+QUIET": func(e *Engine, c at.Command) error { return e.Capture(Payload{NoPrompt: true, Done: done}) },
	}})
	if out := r.send("AT+SEND\r\nab\bc\x1a"); out != "\r\n> \r\nSEND OK\r\n" {
		t.Errorf("AT+SEND answered %q", out)
	}
	if out := r.send("AT+QUIET\rxy"); out != "" || !r.e.InPayload() {
		t.Errorf("AT+QUIET answered %q (in payload %v)", out, r.e.InPayload())
	}
	r.e.EndPayload()
	if out := r.send(""); out != "\r\nSEND OK\r\n" || r.e.InPayload() {
		t.Errorf("EndPayload answered %q", r.out.String())
	}
	if len(got) != 2 || got[0] != "ac" || got[1] != "xy" {
		t.Errorf("payloads %q, want [ac xy]", got)
	}
}

// The escape characters must come within EscapeGap of each other, and
// SetEscape(false) makes "+++" data.
func TestEscapeGap(t *testing.T) {
	r := newRig(t, Config{GuardTime: time.Second, EscapeGap: 100 * time.Millisecond})
	r.send("ATD*99#\r")
	r.clk.Advance(2 * time.Second)
	r.send("+")
	r.clk.Advance(200 * time.Millisecond) // too slow for the gap
	r.send("++")
	r.clk.Advance(2 * time.Second)
	r.send("x")
	if r.call.escaped != 0 || r.call.data.String() != "+++x" {
		t.Fatalf("escaped %d times, data %q; want no escape and +++x", r.call.escaped, r.call.data.String())
	}
	r.e.SetEscape(false)
	r.clk.Advance(2 * time.Second)
	r.send("+++")
	r.clk.Advance(2 * time.Second)
	r.send("")
	if r.call.escaped != 0 || r.call.data.String() != "+++x+++" {
		t.Fatalf("escape off: escaped %d times, data %q", r.call.escaped, r.call.data.String())
	}
}

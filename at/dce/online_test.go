package dce

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// After CONNECT the bytes go to the call; "+++" with guard times escapes
// to online command state, ATO goes back.
func TestOnline(t *testing.T) {
	r := newRig(t, Config{})
	// The bytes after the dial line are the call's.
	if got := r.send("ATD*99#\rhello"); got != "\r\nCONNECT 115200\r\n" {
		t.Fatalf("dial answered %q", got)
	}
	if !r.e.Online() || r.call.data.String() != "hello" {
		t.Fatalf("online %v, call got %q", r.e.Online(), r.call.data.String())
	}
	r.e.URC("RING")
	r.clk.Advance(time.Second)
	r.send("+++")
	if r.clk.Pending() != 1 {
		t.Fatalf("%d timers pending after +++, want the guard time", r.clk.Pending())
	}
	r.clk.Advance(999 * time.Millisecond)
	if got := r.send(""); got != "" || !r.e.Online() {
		t.Fatalf("escaped before the guard time: %q", got)
	}
	r.clk.Advance(time.Millisecond)
	if got := r.send(""); got != "\r\nOK\r\n\r\nRING\r\n" || r.e.Online() || r.call.escaped != 1 {
		t.Fatalf("after the guard time: %q, online %v", got, r.e.Online())
	}
	if got := r.send("AT+CSQ\r"); got != "\r\n+CSQ: 17,99\r\n\r\nOK\r\n" {
		t.Errorf("online command state answered %q", got)
	}
	if got := r.send("ATO\rmore"); got != "\r\nCONNECT\r\n" || r.call.data.String() != "hellomore" {
		t.Errorf("ATO answered %q, call got %q", got, r.call.data.String())
	}
	// A "+" that is data reaches the call.
	r.clk.Advance(time.Second)
	r.send("++")
	r.send("x")
	if got := r.call.data.String(); got != "hellomore++x" {
		t.Errorf("call got %q", got)
	}
	r.e.Hangup()
	if got := r.send("AT\r"); got != "\r\nOK\r\n" {
		t.Errorf("after Hangup: %q", got)
	}
}

func TestGuardTimeZero(t *testing.T) {
	r := newRig(t, Config{})
	r.send("ATS12=0\r")
	r.send("ATD*99#\r")
	if got := r.send("ab+++"); got != "\r\nOK\r\n" || r.call.data.String() != "ab" {
		t.Errorf("+++ answered %q, call got %q", got, r.call.data.String())
	}
}

func TestDTR(t *testing.T) {
	tests := []struct {
		dtr             int
		want            string
		online          bool
		escaped, hungUp int
	}{
		{dtr: 0, want: "", online: true},
		{dtr: 1, want: "\r\nOK\r\n", escaped: 1},
		{dtr: 2, want: "\r\nNO CARRIER\r\n", hungUp: 1},
	}
	for _, tt := range tests {
		r := newRig(t, Config{DTR: tt.dtr})
		r.send("ATD*99#\r")
		r.e.DTR(false)
		if got := r.send(""); got != tt.want || r.e.Online() != tt.online || r.call.escaped != tt.escaped || r.call.hungUp != tt.hungUp {
			t.Errorf("&D%d: DTR drop answered %q, online %v, call %+v", tt.dtr, got, r.e.Online(), r.call)
		}
	}
}

func TestPayload(t *testing.T) {
	var got []string
	send := func(e *Engine, c at.Command) error {
		n, _ := Number(c.Arg, 0, 100)
		return e.Capture(Payload{Length: n, Echo: true, Done: func(e *Engine, data []byte) error {
			got = append(got, string(data))
			e.Info("SEND OK")
			return nil
		}})
	}
	r := newRig(t, Config{Echo: true, Commands: map[string]Handler{"+SEND": send}})
	steps := []step{
		{"AT+SEND;+CSQ\r", "AT+SEND;+CSQ\r\r\n> "},
		{"hi\r\nthere\x1a", "hi\r\nthere\r\nSEND OK\r\n\r\nOK\r\n"},
		{"AT+SEND\rnever\x1b", "AT+SEND\r\r\n> never\r\nOK\r\n"},
		// A stray Ctrl-Z and CR LF after a fixed length are ignored.
		{"AT+SEND=3\rabc\x1a\r\n", "AT+SEND=3\r\r\n> abc\r\nSEND OK\r\n\r\nOK\r\n\x1a\r\n"},
		{"ATE0\r", "ATE0\r\r\nOK\r\n"},
		{"AT+SEND=2\rxy", "\r\n> \r\nSEND OK\r\n\r\nOK\r\n"},
	}
	for i, s := range steps {
		if out := r.send(s.send); out != s.want {
			t.Errorf("step %d: %q: got %q, want %q", i, s.send, out, s.want)
		}
	}
	if want := []string{"hi\r\nthere", "abc", "xy"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("payloads %q, want %q", got, want)
	}
}

package dce

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/internal/clock"
)

// fakeBackend is a modem with a SIM locked by PIN "1234".
type fakeBackend struct {
	locked bool
	reg    Registration
}

func (b *fakeBackend) Identity() Identity {
	return Identity{Manufacturer: "ACME", Model: "M1", Revision: "R1", Serial: "123", Info: []string{"ACME M1", "Revision: R1"}}
}

func (b *fakeBackend) PINState() (string, error) {
	if b.locked {
		return "SIM PIN", nil
	}
	return "READY", nil
}

func (b *fakeBackend) EnterPIN(pin, newPIN string) error {
	switch {
	case !b.locked:
		return at.NewCMEError(CMENotAllowed)
	case pin != "1234":
		return at.NewCMEError(16)
	}
	b.locked = false
	return nil
}

func (b *fakeBackend) SignalQuality() (int, int) { return 17, 99 }

func (b *fakeBackend) Registration(name string) (Registration, error) {
	if name == "+CEREG" && b.reg.Stat == 4 {
		return Registration{}, at.Error
	}
	return b.reg, nil
}

// call records what the engine hands a call in online data state.
type call struct {
	data            bytes.Buffer
	escaped, hungUp int
}

func (c *call) Data(b []byte) { c.data.Write(b) }
func (c *call) Escaped()      { c.escaped++ }
func (c *call) HangUp() error { c.hungUp++; return at.NoCarrier }

// rig is an engine with an output buffer, a manual clock and a dial
// command that connects to call.
type rig struct {
	t    *testing.T
	e    *Engine
	out  bytes.Buffer
	clk  *clock.Manual
	be   *fakeBackend
	call *call
}

func newRig(t *testing.T, cfg Config) *rig {
	r := &rig{t: t, clk: clock.NewManual(time.Unix(1e9, 0)), be: &fakeBackend{locked: true, reg: Registration{Stat: 1, Area: "00C3", Cell: "0000ABCD", AcT: "7"}}}
	cfg.Out, cfg.Clock, cfg.Backend = &r.out, r.clk, r.be
	if cfg.Commands == nil {
		cfg.Commands = map[string]Handler{}
	}
	cfg.Commands["D"] = func(e *Engine, c at.Command) error {
		if c.Arg != "*99#" {
			return at.NoCarrier
		}
		r.call = &call{}
		e.GoOnline(r.call)
		return at.Final{Code: at.Connect, Text: "115200"}
	}
	cfg.Commands["O"] = func(e *Engine, c at.Command) error {
		if r.call == nil {
			return at.NoCarrier
		}
		e.GoOnline(r.call)
		return at.Connect
	}
	r.e = New(cfg)
	return r
}

// send passes s to the engine, all of it, and returns what it wrote.
func (r *rig) send(s string) string {
	b := []byte(s)
	for len(b) > 0 {
		b = b[r.e.Input(b):]
	}
	got := r.out.String()
	r.out.Reset()
	return got
}

type step struct {
	send, want string
}

func TestCommandLines(t *testing.T) {
	long := "AT+CSQ;" + strings.Repeat("E0", 37) + "E" // a body of 80
	tests := []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{"echo", Config{Echo: true}, []step{
			{"AT\r", "AT\r\r\nOK\r\n"},
			{"ATE0\r", "ATE0\r\r\nOK\r\n"},
			{"AT\r", "\r\nOK\r\n"},
		}},
		{"backspace and DEL edit the line", Config{Echo: true}, []step{
			{"A", "A"}, {"X\b", "X\b"}, {"T+CSQ\x7f\x7fSQ\r", "T+CSQ\x7f\x7fSQ\r\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
		}},
		{"S5 is the backspace character", Config{}, []step{
			{"ATS5=35\r", "\r\nOK\r\n"}, {"ATX#+CSQ\r", "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
		}},
		{"line ends", Config{}, []step{
			{"\r\n\nAT\n", "\r\nOK\r\n"}, {"AT\r\n", "\r\nOK\r\n"},
		}},
		{"noise before AT and lines without it", Config{}, []step{
			{"~\x7d\x23hello\rxxAT\r", "\r\nOK\r\n"},
			{strings.Repeat("~\xff\x03", 1000) + "AT\r", "\r\nOK\r\n"},
		}},
		{"control characters are ignored", Config{}, []step{{"A\x00T\x1a+CSQ\r", "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"}}},
		{"A/ repeats the last line", Config{Echo: true}, []step{
			{"A/", "A/\r\nOK\r\n"},     // before any line: an empty one
			{"x A/", "x A/\r\nOK\r\n"}, // noise before the A is skipped
			{"AT+CSQ\r", "AT+CSQ\r\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
			{"a/", "a/\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
		}},
		{"overlong line", Config{MaxLine: 80}, []step{
			{long + "\r", "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
			{long + "0\r", "\r\nERROR\r\n"},
			{"AT\r", "\r\nOK\r\n"},
		}},
		{"numeric and quiet", Config{}, []step{
			{"ATV0\r", "0\r"},
			{"AT+CSQ\r", "+CSQ: 17,99\r\n0\r"},
			{"ATY\r", "4\r"},
			{"ATD1\r", "3\r"},
			{"ATV1Q1\r", ""},
			{"AT+CSQ\r", "\r\n+CSQ: 17,99\r\n"},
			{"ATQ\r", "\r\nOK\r\n"},
		}},
		{"Z and &F restore the power-on settings, not S-parameters", Config{Echo: true}, []step{
			{"ATE0V0S7=60\r", "ATE0V0S7=60\r0\r"},
			{"AT&F\r", "\r\nOK\r\n"},
			{"ATS7?\r", "ATS7?\r\r\n060\r\n\r\nOK\r\n"},
			{"ATS7=256\r", "ATS7=256\r\r\nERROR\r\n"},
			{"ATE2\r", "ATE2\r\r\nERROR\r\n"},
		}},
		{"errors stop the line", Config{}, []step{
			{"AT+CGMI;+FOO;+CGMM\r", "\r\nACME\r\n\r\nERROR\r\n"},
			{"AT#\r", "\r\nERROR\r\n"},
			{`AT+CPIN="12` + "\r", "\r\nERROR\r\n"},
		}},
		{"identity", Config{}, []step{
			{"ATI;+CGMI;+GMM;+CGMR;+CGSN\r", "\r\nACME M1\r\n\r\nRevision: R1\r\n\r\nACME\r\n\r\nM1\r\n\r\nR1\r\n\r\n123\r\n\r\nOK\r\n"},
			{"AT+CGMI?\r", "\r\nERROR\r\n"},
		}},
		{"PIN and CME modes", Config{CMEE: 1}, []step{
			{"AT+CPIN?\r", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n"},
			{`AT+CPIN="0000"` + "\r", "\r\n+CME ERROR: 16\r\n"},
			{"AT+CMEE=2;+CPIN=0000\r", "\r\n+CME ERROR: incorrect password\r\n"},
			{"AT+CMEE=0;+CPIN=0000\r", "\r\nERROR\r\n"},
			{"AT+CMEE?;+CMEE=?\r", "\r\n+CMEE: 0\r\n\r\n+CMEE: (0-2)\r\n\r\nOK\r\n"},
			{"AT+CMEE=1;+CMEE=3\r", "\r\n+CME ERROR: 50\r\n"},
			{`AT+CPIN="1234";+CPIN?` + "\r", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
		}},
		{"registration", Config{}, []step{
			{"AT+CREG?;+CEREG?\r", "\r\n+CREG: 0,1\r\n\r\n+CEREG: 0,1\r\n\r\nOK\r\n"},
			{"AT+CREG=2;+CEREG=4;+CREG?;+CEREG?\r", "\r\n+CREG: 2,1,\"00C3\",\"0000ABCD\",7\r\n\r\n+CEREG: 4,1,\"00C3\",\"0000ABCD\",7\r\n\r\nOK\r\n"},
			{"AT+CGREG=?;+CEREG=?\r", "\r\n+CGREG: (0-2)\r\n\r\n+CEREG: (0-5)\r\n\r\nOK\r\n"},
			{"AT+CREG=3\r", "\r\nERROR\r\n"},
		}},
		{"unknown commands", Config{Unknown: func(*Engine, at.Command) error { return nil }}, []step{
			{"AT+FOO=1;^BAR?;&K3\r", "\r\nOK\r\n"},
		}},
		{"a nil handler removes a built-in", Config{Commands: map[string]Handler{"+CSQ": nil}}, []step{
			{"AT+CSQ\r", "\r\nERROR\r\n"},
		}},
		{"BeforeLine drops a line", Config{BeforeLine: func(e *Engine, l string) bool {
			if l == "AT+CSQ" {
				e.Info("+URC: 1")
				return false
			}
			return true
		}}, []step{
			{"xAT+CSQ\r", "\r\n+URC: 1\r\n"},
			{"AT\r", "\r\nOK\r\n"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.cfg)
			for i, s := range tt.steps {
				if got := r.send(s.send); got != s.want {
					t.Errorf("step %d: %q: got %q, want %q", i, s.send, got, s.want)
				}
			}
		})
	}
}

func TestRegistrationURC(t *testing.T) {
	r := newRig(t, Config{})
	r.e.RegistrationChanged("+CREG")
	if got := r.send(""); got != "" {
		t.Errorf("URC mode 0 sent %q", got)
	}
	r.send("AT+CREG=1;+CGREG=2\r")
	r.e.RegistrationChanged("+CREG")
	r.e.RegistrationChanged("+CGREG")
	want := "\r\n+CREG: 1\r\n\r\n+CGREG: 1,\"00C3\",\"0000ABCD\",7\r\n"
	if got := r.send(""); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzInput feeds arbitrary bytes to an engine, which must never panic
// on what the line brings, whatever state it is in.
func FuzzInput(f *testing.F) {
	for _, in := range []string{
		"AT\r",
		"ATE0V0\rAT+CSQ\r",
		"A\bAT+CPIN?\n",
		`AT+CPIN="1234";+CREG?` + "\r",
		"ATS12=0S12?\r",
		"ATD*99#\r\x7e\xff\x7d\x23+++",
		"AT+SEND\rhello\x1aAT\r",
		"\xffAT\xfe+CGDCONT=1\rA/",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := newRig(t, Config{Echo: true, MaxLine: 40, Commands: map[string]Handler{
			"+SEND": func(e *Engine, c at.Command) error { return e.Capture(Payload{Echo: true}) },
		}})
		for len(in) > 0 {
			in = in[r.e.Input(in):]
		}
		r.e.DTR(false)
		r.e.Close()
	})
}

func ExampleEngine() {
	var out bytes.Buffer
	e := New(Config{Out: &out, Commands: map[string]Handler{
		"+HELLO": func(e *Engine, c at.Command) error {
			e.Info("+HELLO: " + at.Unquote(c.Arg))
			return nil
		},
	}})
	e.Input([]byte(`AT+hello="World";V0` + "\r"))
	fmt.Printf("%q\n", out.String())
	// Output: "\r\n+HELLO: World\r\n0\r"
}

package dce

import (
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/internal/clock"
)

// Handler runs one command of a command line. It writes information
// text with e.Info and returns nil to let the line go on, or the final
// result that ends the line: an at.Result (at.NoCarrier), an at.Final
// (CONNECT with its text), an *at.CMEError or *at.CMSError, or ErrHandled;
// any other error is answered ERROR.
type Handler func(e *Engine, c at.Command) error

// ErrHandled is what a Handler returns when it wrote the line's final
// answer itself, or when that answer comes later (see Suspend), or when
// the command has none (a module's AT+QILOCIP answers its address
// alone): the line ends without a result code from the engine.
var ErrHandled = errors.New("dce: answered by the handler")

// Config configures an Engine. Zero values take the defaults given.
type Config struct {
	// Backend answers the 27.007 basics; nil answers them as a modem
	// without a SIM and without an identity.
	Backend Backend
	// Commands adds handlers, keyed by command name as at.Command has it
	// ("D", "&K", "+CGDATA", "#SD"; "S" for all S-parameters), to the
	// built-in ones, replacing those of the same name. A nil Handler
	// removes a built-in command.
	Commands map[string]Handler
	// Bare leaves the built-in commands out: Commands is the whole
	// command set, for a modem whose basics answer otherwise.
	Bare bool
	// Unknown runs commands that have no handler; nil answers them ERROR.
	Unknown Handler
	// BeforeLine, if set, sees each command line, from "AT" on, before
	// it runs, and may write to the DTE; false drops the line without a
	// result code.
	BeforeLine func(e *Engine, line string) bool
	// Syntax is how command lines are parsed; the zero value is V.250's.
	Syntax at.Syntax
	// Control, if set, sees each control character the DTE types in
	// command state that the engine does not use itself (anything below
	// 0x20 but S3, LF and S5), which V.250 §5.2.2 has it leave out of the
	// command line. A modem that acts on one does it here: Multi-Tech's
	// IP stack aborts a listening #LTCPSTART at an ETX. The character
	// stays out of the line being typed either way.
	Control func(e *Engine, c byte)
	// NoiseError answers ERROR to a line that does not begin with "AT"
	// (as Quectel's GSM modules do); false ignores it, as noise on the
	// line is on most modems.
	NoiseError bool

	// Echo turns command echo on at power-on and after ATZ (ATE1).
	Echo bool
	// CMEE is the AT+CMEE mode at power-on and after ATZ.
	CMEE int
	// DTR is the AT&D mode at power-on and after ATZ: 0 ignores a DTR
	// drop, 1 escapes to online command state, 2 hangs up.
	DTR int
	// LineEnd frames verbose lines; "" means CR LF. See at.Formatter.
	LineEnd string
	// MaxLine is the longest command line body (after "AT") taken; a
	// longer one is discarded up to its end and answered ERROR, as
	// V.250 §5.2.1 has it. Zero means 512.
	MaxLine int
	// GuardTime is the escape guard time (S12) at power-on, rounded to
	// fiftieths of a second; zero means 1 s.
	GuardTime time.Duration
	// EscapeGap is the longest time between the escape characters; zero
	// means the guard time. See at.Escape.
	EscapeGap time.Duration

	// Out receives everything the engine sends to the DTE.
	Out io.Writer
	// Clock times the escape guard time; nil means the system clock.
	Clock clock.Clock
	// Post runs f on the goroutine that owns the engine, when the guard
	// timer fires; nil runs it on the timer's goroutine, and the
	// embedder must then hold its own lock around every call.
	Post func(f func())
	// Logger receives the command lines (PINs redacted) at debug level;
	// nil is silent.
	Logger *slog.Logger
}

// settings are what ATZ and AT&F reset.
type settings struct {
	echo bool
	f    at.Formatter
	dtr  int // AT&D
	dcd  int // AT&C
	regN map[string]int
}

// Engine is the modem side of one AT command line. See the package
// documentation.
type Engine struct {
	cfg  Config
	be   Backend
	clk  clock.Clock
	log  *slog.Logger
	cmds map[string]Handler

	settings
	sregs map[int]int

	out      []byte
	line     []byte // the command line being typed
	overflow bool   // the line is too long: discard to its end
	last     string // the last command line, for A/
	inLine   bool   // a command line is running

	state   state
	pending DataMode // GoOnline during a command line
	dm      DataMode // the call, in data or online command state
	urcs    []string // held during data state
	esc     at.Escape
	timer   clock.Timer
	payload *Payload
	data    []byte // the payload so far

	afterCR   bool // the last command-state byte was S3
	suspended bool // Suspend: no input until Resume
	noEscape  bool // SetEscape(false)
}

// state is what the engine does with input.
type state int

const (
	commandState state = iota // command lines, in command or online command state
	dataState                 // online data: bytes go to the DataMode
	payloadState              // a payload after a prompt
)

// New returns an engine at power-on with cfg.
func New(cfg Config) *Engine {
	e := &Engine{cfg: cfg, be: cfg.Backend, clk: cfg.Clock, log: cfg.Logger}
	e.esc.Gap = cfg.EscapeGap
	if e.be == nil {
		e.be = noBackend{}
	}
	if e.clk == nil {
		e.clk = clock.Real
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.cfg.MaxLine <= 0 {
		e.cfg.MaxLine = 512
	}
	if e.cfg.Out == nil {
		e.cfg.Out = io.Discard
	}
	e.settings = e.defaults()
	e.sregs = map[int]int{0: 0, 2: '+', 3: '\r', 4: '\n', 5: '\b', 7: 50, 12: s12(cfg.GuardTime)}
	e.cmds = builtins()
	if cfg.Bare {
		e.cmds = map[string]Handler{}
	}
	for name, h := range cfg.Commands {
		if h == nil {
			delete(e.cmds, name)
		} else {
			e.cmds[name] = h
		}
	}
	return e
}

func (e *Engine) defaults() settings {
	return settings{
		echo: e.cfg.Echo,
		f:    at.Formatter{CMEE: e.cfg.CMEE, LineEnd: e.cfg.LineEnd},
		dtr:  e.cfg.DTR,
		dcd:  1,
		regN: map[string]int{},
	}
}

// s12 is a guard time in fiftieths of a second, from 1 to 255.
func s12(d time.Duration) int {
	if d <= 0 {
		return 50
	}
	return min(max(int(d/(time.Second/50)), 1), 255)
}

// Input takes bytes from the DTE and returns how many it used. It stops
// early after a command line that entered online data state or began a
// payload, so that the embedder can act on that (start the call once
// CONNECT is out) before passing the rest, and takes nothing while
// suspended.
func (e *Engine) Input(b []byte) int {
	defer e.flush()
	if e.suspended {
		return 0
	}
	switch e.state {
	case dataState:
		e.dataInput(b)
		return len(b)
	case payloadState:
		return e.payloadInput(b)
	}
	return e.commandInput(b)
}

// Info writes a line of information text (V.250 §5.7.1).
func (e *Engine) Info(text string) {
	e.out = e.f.AppendInfo(e.out, text)
	e.flush()
}

// Result writes the final result code err stands for (nil is OK), as a
// Handler's return value is written.
func (e *Engine) Result(err error) {
	if err == nil {
		e.out = e.f.AppendResult(e.out, at.Final{Code: at.OK})
	} else {
		e.out = e.f.AppendError(e.out, err)
	}
	e.flush()
}

// URC writes an unsolicited result code; in online data state it is
// held until the engine leaves it.
func (e *Engine) URC(text string) {
	if e.state == dataState {
		e.urcs = append(e.urcs, text)
		return
	}
	e.Info(text)
}

// Write sends b to the DTE as it is: a prompt, a banner, data.
func (e *Engine) Write(b []byte) {
	e.out = append(e.out, b...)
	e.flush()
}

func (e *Engine) flush() {
	if len(e.out) == 0 {
		return
	}
	_, err := e.cfg.Out.Write(e.out)
	if err != nil {
		e.log.Debug("dce: write", "err", err)
	}
	e.out = e.out[:0]
}

// Suspend stops the engine taking input until Resume: a command whose
// answer comes later (a context activation, a payload waiting for room)
// holds the DTE's further input back, as a module's busy command line
// does. Input then returns 0, and the embedder keeps the bytes.
func (e *Engine) Suspend() { e.suspended = true }

// Resume lets Input take bytes again.
func (e *Engine) Resume() { e.suspended = false }

// Suspended reports whether input waits for Resume.
func (e *Engine) Suspended() bool { return e.suspended }

// Verbose reports ATV1 (verbose result codes).
func (e *Engine) Verbose() bool { return !e.f.Numeric }

// SetVerbose sets ATV1 (true) or ATV0.
func (e *Engine) SetVerbose(on bool) { e.f.Numeric = !on }

// Quiet reports ATQ1 (no result codes).
func (e *Engine) Quiet() bool { return e.f.Quiet }

// SetQuiet sets ATQ1 (true) or ATQ0.
func (e *Engine) SetQuiet(on bool) { e.f.Quiet = on }

// DTRMode returns the AT&D mode.
func (e *Engine) DTRMode() int { return e.dtr }

// SetDTRMode sets the AT&D mode (0, 1 or 2).
func (e *Engine) SetDTRMode(n int) { e.dtr = n }

// SetEscape turns the "+++" escape of online data state on (the
// default) or off.
func (e *Engine) SetEscape(on bool) { e.noEscape = !on }

// Echo reports whether command echo is on.
func (e *Engine) Echo() bool { return e.echo }

// SetEcho turns command echo on or off, as ATE does.
func (e *Engine) SetEcho(on bool) { e.echo = on }

// CMEE returns the AT+CMEE mode.
func (e *Engine) CMEE() int { return e.f.CMEE }

// SetCMEE sets the AT+CMEE mode, as AT+CMEE=<n> does.
func (e *Engine) SetCMEE(n int) { e.f.CMEE = n }

// S returns S-parameter n (V.250 §6.2), 0 if it was never set.
func (e *Engine) S(n int) int { return e.sregs[n] }

// SetS sets S-parameter n to v, as ATSn=v does.
func (e *Engine) SetS(n, v int) { e.sregs[n] = v }

// Close stops the escape guard timer. The engine must not be used after.
func (e *Engine) Close() {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
}

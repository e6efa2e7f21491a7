package attest

import (
	"cmp"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/at"
	atdce "github.com/gprsppp/gprsppp/at/dce"
)

// Config sets up a Modem's behaviour and faults. The zero value is a
// healthy modem: echo off, SIM ready without PIN, registered at home at
// once, answering ATD with CONNECT 115200.
type Config struct {
	// Echo starts with command echo on (ATE1), as most modems power up;
	// ATE0 turns it off.
	Echo bool
	// IgnoreE0 keeps echo on after ATE0.
	IgnoreE0 bool
	// LineEnd frames every answer line (before and after it, as ATV1
	// does). Empty means "\r\n"; "\r" is a modem that sends CR only.
	LineEnd string

	// Mute never answers anything: a dead modem or the wrong port.
	Mute bool
	// IgnoreFirst leaves the first n command lines unanswered, as a modem
	// still booting does.
	IgnoreFirst int

	// PIN, if not empty, is the PIN the SIM needs (+CPIN: SIM PIN).
	PIN string
	// PUK makes the SIM blocked (+CPIN: SIM PUK).
	PUK bool
	// PINTries is how many wrong PINs the SIM takes: the last one blocks
	// it (+CPIN: SIM PUK). Zero means 3.
	PINTries int
	// TriesQuery is the command that reports the PIN attempts left:
	// "AT+CPINR" (3GPP TS 27.007), "AT+QPINC" (Quectel) or "AT^CPIN"
	// (Huawei). The others answer ERROR; so do all three if it is empty.
	TriesQuery string
	// NoSIM makes the modem find no SIM (+CME ERROR: 10).
	NoSIM bool
	// VerboseErrors sends +CME ERROR with text, whatever AT+CMEE says.
	// Otherwise errors follow AT+CMEE: plain ERROR before AT+CMEE=1.
	VerboseErrors bool

	// Registration is what the registration queries report once the SIM
	// is ready and RegisterAfter has passed.
	Registration Registration
	// RegisterAfter is how long after the SIM is ready (at start, or when
	// the PIN is entered) the modem reports registration; before that it
	// reports searching (stat 2).
	RegisterAfter time.Duration
	// No4G makes AT+CEREG? fail with ERROR, as on a 2G/3G-only modem.
	No4G bool

	// ErrorOn lists command prefixes ("AT+CGDCONT") answered with ERROR.
	ErrorOn []string
	// Answers maps command lines ("AT+COPS?", any case) to the
	// information lines answered before OK, for commands the fake does
	// not otherwise know.
	Answers map[string][]string
	// DialResult is the answer to ATD: CONNECT with optional text, or
	// NO CARRIER, BUSY, NO ANSWER, NO DIALTONE, ERROR. Empty means
	// "CONNECT 115200".
	DialResult string
	// AfterConnect is written right after CONNECT, as the first bytes of
	// the data connection.
	AfterConnect []byte
	// Inject sends URCs in the middle of answers.
	Inject []Inject

	// Online starts in data mode, with a call up.
	Online bool
	// EscapeGuard is the silence the +++ escape needs before and after it
	// in data mode (V.250 S12). Zero accepts +++ at any time.
	EscapeGuard time.Duration
	// IgnoreDTR makes the modem ignore DTR drops (AT&D0).
	IgnoreDTR bool
	// Spew, while in data mode, is sent every SpewEvery, as by a network
	// whose PPP keeps sending LCP Configure-Requests to a client that is
	// gone.
	Spew      []byte
	SpewEvery time.Duration
	// HangupResult is the answer to ATH. Empty means "OK".
	HangupResult string
}

// Registration is the registration state the fake reports in +CREG,
// +CGREG and +CEREG.
type Registration int

// Registration states.
const (
	Home     Registration = iota // stat 1 in all three
	Roaming                      // stat 5 in all three
	Never                        // stat 2 (searching) for ever
	Denied                       // stat 3 in all three
	DeniedCS                     // +CREG stat 3, packet domain registered (a data-only SIM)
	LTEOnly                      // +CEREG stat 9 (registered, CSFB not preferred), the others 0
)

// Inject sends Lines as URCs after the echo of, and before the answer to,
// the first command that begins with Before (for example "AT+CSQ").
type Inject struct {
	Before string
	Lines  []string
}

// Modem is a fake modem (the DCE) serving AT commands on a byte stream.
// It reads one byte at a time and, after it answers CONNECT, stops
// reading, so the stream is the test's from then on; Resume makes it serve
// the data mode escapes (+++, DTR) and commands again.
//
// Commands, Connected, SetDTR and Close may be called at any time from any
// goroutine; Resume only after Connected, once per CONNECT.
type Modem struct {
	rw      io.ReadWriteCloser
	cfg     Config
	wg      sync.WaitGroup
	quit    chan struct{} // closed by Close
	spewing sync.WaitGroup

	mu        sync.Mutex
	eng       *atdce.Engine // the command line, data mode and escape
	simReady  bool
	readyAt   time.Time // when the SIM became ready
	cmds      []string
	pinLeft   int  // wrong PINs the SIM still takes
	blocked   bool // the SIM needs its PUK
	ignored   int
	injected  []bool
	connected chan struct{} // closed at the first CONNECT
}

// New starts a Modem serving rw.
func New(rw io.ReadWriteCloser, cfg Config) *Modem {
	m := &Modem{
		rw:        rw,
		cfg:       cfg,
		injected:  make([]bool, len(cfg.Inject)),
		connected: make(chan struct{}),
		pinLeft:   cmp.Or(cfg.PINTries, 3),
		blocked:   cfg.PUK,
		quit:      make(chan struct{}),
	}
	if cfg.PIN == "" && !cfg.PUK && !cfg.NoSIM {
		m.simReady, m.readyAt = true, time.Now()
	}
	m.eng = m.newEngine()
	if cfg.Online {
		m.eng.GoOnline(dropData{m})
	}
	m.wg.Add(1)
	go m.serve()
	if len(cfg.Spew) > 0 && cfg.SpewEvery > 0 {
		m.spewing.Add(1)
		go m.routineSpew()
	}
	return m
}

// newEngine returns the engine that runs the modem's command line: echo
// as Echo says (never for a Mute modem), errors as AT+CMEE says unless
// VerboseErrors, DTR drops hanging up unless IgnoreDTR, and EscapeGuard
// as S12, rounded to fiftieths of a second.
func (m *Modem) newEngine() *atdce.Engine {
	cfg := m.cfg
	cmee, dtr := 0, 2
	if cfg.VerboseErrors {
		cmee = 2
	}
	if cfg.IgnoreDTR {
		dtr = 0
	}
	e := atdce.New(atdce.Config{
		Backend:    backend{m},
		Commands:   m.commands(),
		Unknown:    func(*atdce.Engine, at.Command) error { return nil },
		BeforeLine: m.beforeLine,
		Echo:       cfg.Echo && !cfg.Mute,
		CMEE:       cmee,
		DTR:        dtr,
		LineEnd:    cfg.LineEnd,
		MaxLine:    1024,
		GuardTime:  cfg.EscapeGuard,
		Out:        m.rw,
		Post: func(f func()) {
			m.mu.Lock()
			defer m.mu.Unlock()
			f()
		},
	})
	if cfg.EscapeGuard <= 0 {
		e.SetS(12, 0)
	}
	return e
}

// routineSpew sends Spew every SpewEvery while in data mode, until Close.
func (m *Modem) routineSpew() {
	defer m.spewing.Done()
	t := time.NewTicker(m.cfg.SpewEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-m.quit:
			return
		}
		m.mu.Lock()
		if m.eng.Online() {
			m.write(string(m.cfg.Spew))
		}
		m.mu.Unlock()
	}
}

// Commands returns the command lines received so far, from "AT" on, and
// "+++" for each escape to command mode.
func (m *Modem) Commands() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.cmds...)
}

// Connected is closed once the modem has answered CONNECT.
func (m *Modem) Connected() <-chan struct{} { return m.connected }

// Resume serves the stream again after CONNECT: in data mode the modem
// drops what it reads and watches for the +++ escape; back in command mode
// it answers commands.
func (m *Modem) Resume() {
	m.wg.Wait()
	m.wg.Add(1)
	go m.serve()
}

// SetDTR is the DTE's Data Terminal Ready: dropping it in data mode hangs
// up and returns to command mode with NO CARRIER, unless IgnoreDTR is set.
func (m *Modem) SetDTR(on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.eng.DTR(on)
}

// DropCall ends the call from the network's side: in data mode the modem
// returns to command mode with NO CARRIER.
func (m *Modem) DropCall() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.eng.Online() {
		m.eng.Hangup()
		m.eng.Result(at.NoCarrier)
	}
}

// Close closes the stream and waits for the modem to stop.
func (m *Modem) Close() error {
	err := m.rw.Close()
	m.mu.Lock()
	m.eng.Close()
	select {
	case <-m.quit:
	default:
		close(m.quit)
	}
	m.mu.Unlock()
	m.wg.Wait()
	m.spewing.Wait()
	return err
}

// serve reads and handles bytes until the stream ends or CONNECT is sent.
func (m *Modem) serve() {
	defer m.wg.Done()
	var b [1]byte
	for {
		n, err := m.rw.Read(b[:])
		if err != nil {
			return
		}
		if n == 0 {
			continue
		}
		m.mu.Lock()
		stop := m.input(b[0])
		m.mu.Unlock()
		if stop {
			return
		}
	}
}

// input handles one byte and reports whether to stop reading: after
// CONNECT, the stream is the test's.
func (m *Modem) input(c byte) bool {
	online := m.eng.Online()
	m.eng.Input([]byte{c})
	if online || !m.eng.Online() {
		return false
	}
	m.write(string(m.cfg.AfterConnect))
	select {
	case <-m.connected:
	default:
		close(m.connected)
	}
	return true
}

// dropData is the call in data mode: the modem drops what it reads there
// and notes the escapes.
type dropData struct{ m *Modem }

func (dropData) Data([]byte) {}

func (d dropData) Escaped() { d.m.cmds = append(d.m.cmds, "+++") }

func (dropData) HangUp() error { return at.NoCarrier }

// write sends raw bytes. A write to a closed stream is dropped: the test
// is over.
func (m *Modem) write(s string) { _, _ = io.WriteString(m.rw, s) }

// beforeLine records each command line and answers it for the faults:
// nothing while Mute or booting (IgnoreFirst), the URCs to inject before
// the answer, ERROR for the ErrorOn commands.
func (m *Modem) beforeLine(e *atdce.Engine, cmd string) bool {
	m.cmds = append(m.cmds, cmd)
	if m.cfg.Mute || m.ignored < m.cfg.IgnoreFirst {
		m.ignored++
		return false
	}
	for j, in := range m.cfg.Inject {
		if !m.injected[j] && hasPrefixFold(cmd, in.Before) {
			m.injected[j] = true
			for _, l := range in.Lines {
				e.URC(l)
			}
		}
	}
	for _, p := range m.cfg.ErrorOn {
		if hasPrefixFold(cmd, p) {
			e.Result(at.Error)
			return false
		}
	}
	for c, lines := range m.cfg.Answers {
		if strings.EqualFold(strings.TrimSpace(cmd), c) {
			for _, l := range lines {
				e.Info(l)
			}
			e.Result(nil)
			return false
		}
	}
	return true
}

// URC sends line as an unsolicited result code now (held while in data
// mode, as a modem does).
func (m *Modem) URC(line string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.eng.URC(line)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

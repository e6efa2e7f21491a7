package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp"
	atdce "github.com/gprsppp/gprsppp/at/dce"
	"github.com/gprsppp/gprsppp/internal/clock"
)

// ModemConfig configures a simulated modem. Zero values take the defaults
// given.
type ModemConfig struct {
	// NoEcho turns command echo off at power-on, as ATE0 does; false
	// means echo on, as real modems start.
	NoEcho bool
	// PIN, if set, locks the SIM: AT+CPIN? answers "+CPIN: SIM PIN",
	// the modem does not register and dialling fails with +CME ERROR: 11
	// until AT+CPIN="<PIN>" is sent. A wrong PIN gets +CME ERROR: 16;
	// the third in a row blocks the SIM: AT+CPIN? answers
	// "+CPIN: SIM PUK" and the commands that need the SIM +CME ERROR: 12
	// until AT+CPIN="<PUK>","<new PIN>". AT+CPINR reports the attempts
	// left. Empty means no PIN.
	PIN string
	// PUK unblocks the SIM after three wrong PINs; empty means
	// "12345678". Ten wrong PUKs block the SIM for good (+CME ERROR: 13).
	PUK string
	// NoSIM makes the modem act as if no SIM were inserted: SIM commands
	// and dialling fail with +CME ERROR: 10 and it never registers.
	NoSIM bool
	// RegistrationDelay is how long after power-on (or after the PIN is
	// entered) the modem searches before it registers: until then
	// AT+CREG?, AT+CGREG? and AT+CEREG? report status 2 (searching)
	// and dialling gets NO CARRIER, then status 1 (registered, home).
	// Zero registers at once.
	RegistrationDelay time.Duration
	// DialResult is the final result code of every dial: "" (or
	// "CONNECT") connects; "NO CARRIER", "ERROR", "BUSY", "NO ANSWER" or
	// "NO DIALTONE" fail with that code.
	DialResult string
	// DropAfter, if positive, drops each call that long after CONNECT
	// as a radio loss would: PPP ends without LCP Terminate and the
	// modem reports NO CARRIER. Zero keeps calls up until hung up.
	DropAfter time.Duration
	// ConnectSpeed follows CONNECT in the verbose result code; empty
	// means "115200".
	ConnectSpeed string
	// Network configures the network side of each call (addresses, DNS,
	// authentication); see gprsppp.NetworkConfig for its defaults. A nil
	// Network.Logger takes Logger. Network.Ready, if set, runs after the
	// services have started.
	Network gprsppp.NetworkConfig
	// Services configures the services reachable during each call; see
	// Services for its defaults. A nil Services.Logger takes Logger.
	Services Services
	// GuardTime is the escape guard time at power-on, S12 (V.250
	// §6.2.12) in fiftieths of a second, from 1 to 255; zero means 1 s
	// (S12=50).
	GuardTime time.Duration
	// Clock drives registration, the escape guard times and DropAfter;
	// nil means the system clock. (The PPP timers use the system clock.)
	Clock clock.Clock
	// Logger receives the AT dialogue and call progress at debug and info
	// level; nil is silent. PINs are not logged.
	Logger *slog.Logger
}

// Modem is a simulated cellular modem: the DCE end of a serial line that
// answers AT commands and, on a packet data dial, runs the network side
// of PPP with Services behind it.
//
// At power-on, and after ATZ or AT&F, echo is on (unless NoEcho), result
// codes are verbose (V1) and not suppressed (Q0), and AT+CMEE is 1
// (numeric +CME ERROR codes). PDP contexts, S-parameters, the SIM lock
// and registration survive ATZ. The SIM's own state, its PIN and the
// wrong PINs and PUKs it still takes, survives power cycles as well: it
// belongs to the Modem. The command line is that of package at/dce: CR
// or LF terminated, edited with backspace or DEL, A/ repeating the last
// one; text before "AT" (in any case) is ignored, a line without "AT" is
// ignored as a whole, and a body longer than 512 characters is answered
// ERROR.
//
// The call ends, and the modem reports NO CARRIER, when the PPP link ends
// (the client terminated it, the network side's keepalive failed) or on
// DropAfter. After the escape sequence, ATH releases the call and answers
// OK, as V.250 has it; the client's PPP is not told, as it is not
// listening in command mode. A client that goes away without hanging up
// (DTR stays up on a pty) leaves the modem in data mode: only the escape,
// or the network ending the call, brings it back to command mode.
type Modem struct {
	cfg ModemConfig
	clk clock.Clock
	log *slog.Logger
	sim *simCard
}

// NewModem returns a modem with configuration cfg.
func NewModem(cfg ModemConfig) *Modem {
	m := &Modem{cfg: cfg, clk: cfg.Clock, log: cfg.Logger, sim: newSIMCard(cfg.PIN, cfg.PUK)}
	if m.clk == nil {
		m.clk = clock.Real
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.cfg.ConnectSpeed == "" {
		m.cfg.ConnectSpeed = "115200"
	}
	if m.cfg.Network.Logger == nil {
		m.cfg.Network.Logger = m.log.With("side", "network")
	}
	if m.cfg.Services.Logger == nil {
		m.cfg.Services.Logger = m.log
	}
	return m
}

// Serve runs the modem on line, the DCE side of a serial line, from
// power-on until ctx ends or line fails. Serve owns line and closes it
// before returning; a call in progress is dropped. It returns ctx.Err()
// when ctx ends, or the line's error.
//
// Each Serve is a power cycle: settings, the SIM lock and registration
// start from their power-on state.
func (m *Modem) Serve(ctx context.Context, line io.ReadWriteCloser) error {
	return newDCE(m, line).run(ctx)
}

// run runs the modem on its line until ctx ends or the line fails.
func (d *dce) run(ctx context.Context) error {
	d.ctx = ctx
	stop := context.AfterFunc(ctx, func() { d.line.Close() })
	defer stop()
	d.wg.Add(1)
	go d.routineRead()
	err := d.loop(ctx)
	d.line.Close()
	d.shutdown()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// event is a timer that fired: the engine's escape guard time or
// DropAfter.
type event struct {
	fn   func() // the engine's, to run on the loop
	drop *call  // the call to drop, if not nil
}

// dce is the state of one Serve: it belongs to the goroutine running
// loop, except for the fields under wmu.
type dce struct {
	m    *Modem
	line io.ReadWriteCloser
	ctx  context.Context // Serve's

	rx     chan []byte // bytes read from the line
	rxErr  chan error  // why the line failed
	events chan event
	stop   chan struct{} // closed when Serve ends
	wg     sync.WaitGroup

	// wmu serialises writes to the line by the loop and by a call's
	// dataPort, and guards the dataPort's online flag.
	wmu sync.Mutex

	eng      *atdce.Engine
	out      outBuffer // responses not yet written
	pinOK    bool      // the SIM is unlocked
	regStart time.Time // when the modem started searching for a network
	contexts map[int]string

	call *call // the call up, if any

	mux    *muxParams // AT+CMUX's, while the line is a multiplexer
	shared *muxShared // on a multiplexer's channel: what the channels share
}

// outBuffer collects what the engine writes until the loop flushes it.
type outBuffer []byte

func (b *outBuffer) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

func newDCE(m *Modem, line io.ReadWriteCloser) *dce {
	d := &dce{
		m:        m,
		line:     line,
		ctx:      context.Background(),
		rx:       make(chan []byte),
		rxErr:    make(chan error, 1),
		events:   make(chan event),
		stop:     make(chan struct{}),
		pinOK:    !m.sim.locked(),
		regStart: m.clk.Now(),
		contexts: map[int]string{1: `"IP","internet"`},
	}
	if m.cfg.Network.IPv6 != nil {
		d.contexts[1] = `"IPV4V6","internet"`
	}
	d.eng = atdce.New(atdce.Config{
		Backend:   d,
		Commands:  d.commands(),
		Echo:      !m.cfg.NoEcho,
		CMEE:      1,
		GuardTime: m.cfg.GuardTime,
		Out:       &d.out,
		Clock:     m.clk,
		Post:      d.post,
		Logger:    m.log,
	})
	return d
}

// post runs f on the loop.
func (d *dce) post(f func()) {
	select {
	case d.events <- event{fn: f}:
	case <-d.stop:
	}
}

// routineRead reads the line and hands each chunk to the loop.
func (d *dce) routineRead() {
	defer d.wg.Done()
	for {
		buf := make([]byte, 4096)
		n, err := d.line.Read(buf)
		if n > 0 {
			select {
			case d.rx <- buf[:n]:
			case <-d.stop:
				return
			}
		}
		if err != nil {
			d.rxErr <- err
			return
		}
	}
}

// loop runs the modem until ctx ends or the line fails.
func (d *dce) loop(ctx context.Context) error {
	d.m.log.Info("modem: power on")
	for {
		var callDone <-chan struct{}
		if d.call != nil {
			callDone = d.call.done
		}
		select {
		case b := <-d.rx:
			if err := d.input(b); err != nil {
				return err
			}
		case err := <-d.rxErr:
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("sim: modem line: %w", err)
		case ev := <-d.events:
			d.timer(ev)
		case <-callDone:
			d.callEnded()
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := d.flush(); err != nil {
			return err
		}
	}
}

// input passes bytes from the line to the engine: in command state it
// runs command lines, in data state it hands them to the call.
func (d *dce) input(b []byte) error {
	for len(b) > 0 {
		online := d.eng.Online()
		b = b[d.eng.Input(b):]
		// Anything a command line wrote (CONNECT) must reach the line
		// before the call's first frame.
		if err := d.flush(); err != nil {
			return err
		}
		if !online && d.eng.Online() {
			d.resume()
		}
		if d.mux != nil {
			return d.runMux(b)
		}
	}
	return nil
}

// flush writes the pending responses.
func (d *dce) flush() error {
	if len(d.out) == 0 {
		return nil
	}
	d.wmu.Lock()
	_, err := d.line.Write(d.out)
	d.wmu.Unlock()
	d.out = d.out[:0]
	if err != nil {
		return fmt.Errorf("sim: modem line: %w", err)
	}
	return nil
}

// timer handles a timer that fired.
func (d *dce) timer(ev event) {
	switch {
	case ev.fn != nil:
		ev.fn()
	case ev.drop != nil && ev.drop == d.call:
		d.m.log.Info("modem: dropping the call (DropAfter)")
		d.call.end()
	}
}

// after sends ev to the loop once d has passed.
func (d *dce) after(dur time.Duration, ev event) clock.Timer {
	return d.m.clk.AfterFunc(dur, func() {
		select {
		case d.events <- ev:
		case <-d.stop:
		}
	})
}

// shutdown ends a call in progress and waits for every goroutine.
func (d *dce) shutdown() {
	d.hangup()
	d.eng.Close()
	close(d.stop)
	d.wg.Wait()
	d.m.log.Info("modem: power off")
}

package dialer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// DialConfig configures Dial. The zero value dials context 1 with the
// modem's stored APN and no SIM PIN.
type DialConfig struct {
	// APN is the access point name written with AT+CGDCONT. Empty skips
	// AT+CGDCONT and dials whatever the context already holds.
	APN string
	// PDPType is the context's PDP type written with the APN: "IP",
	// "IPV6" or "IPV4V6" (3GPP TS 27.007 §10.1.1), in any case. Empty
	// means "IP".
	PDPType string
	// PIN is the SIM PIN, sent only when the modem answers +CPIN: SIM PIN.
	// It must be 4 to 8 digits. It never appears in logs or errors. Empty
	// makes a SIM that needs a PIN fail with ErrSIMPIN; a SIM PUK is never
	// sent. A PIN the SIM rejected is never sent again in this process,
	// and the last attempt is never used (see Dial).
	PIN string
	// ContextID is the PDP context <cid> for AT+CGDCONT and the dial
	// string. Zero means 1.
	ContextID int
	// DialString follows ATD. Empty means "*99***<cid>#" (3GPP TS 27.007
	// §10.2.1.1).
	DialString string
	// RegistrationTimeout bounds the wait for network registration. Zero
	// means 60 s.
	RegistrationTimeout time.Duration
	// GuardTime is the modem's escape guard time (V.250 S12), for
	// bringing back a modem left in data mode (see Dial). Zero means 1 s.
	GuardTime time.Duration
	// Script, if not nil, replaces the default script; its Send strings
	// may use $APN and $PIN. ParseChatScript reads one from a chat(8)
	// file. Dial adds its URC handlers for RING and the registration
	// URCs, and the standard aborts apply.
	Script *Script
	// Logger receives the dialogue at debug level and milestones at info
	// level. Nil means silent.
	Logger *slog.Logger
}

// Connect describes the data connection Dial set up.
type Connect struct {
	// Speed is the text after CONNECT ("115200" from "CONNECT 115200"),
	// empty if the modem sent none.
	Speed string
	// Signal is the answer to AT+CSQ as read, "<rssi>,<ber>" (for example
	// "20,99"), empty if the modem gave none or a custom Script ran.
	Signal string
	// Registration is the registration line that let the dial go on
	// (for example "+CGREG: 0,1"), empty if a custom Script ran.
	Registration string
}

// Default timing of the dial script.
const (
	syncInterval     = 500 * time.Millisecond // AT resend period while the modem wakes up
	syncTries        = 15                     // ATs sent before giving up
	syncEscapeAfter  = 4                      // unanswered ATs (2 s) before the escape
	pinQueryTries    = 5                      // AT+CPIN? while the SIM initialises (+CME ERROR: 14)
	regPollInterval  = time.Second
	defaultRegWait   = 60 * time.Second
	dialTimeout      = 30 * time.Second
	maxAPNLength     = 100 // octets, 3GPP TS 23.003 §9.1
	minPIN, maxPIN   = 4, 8
	defaultContextID = 1
)

// Dial brings a modem from command mode to data mode on l, following ITU-T
// V.250 and 3GPP TS 27.007: it synchronises with AT (resent every 500 ms,
// up to 15 times), turns echo off (ATE0) and numeric extended errors on
// (AT+CMEE=1), checks the SIM (AT+CPIN?) and enters the PIN if asked,
// polls AT+CREG?, AT+CGREG? and AT+CEREG? every second until one of them
// reports registration (home or roaming), logs AT+CSQ, sets the APN with
// AT+CGDCONT and dials, expecting CONNECT within 30 s.
//
// A modem that leaves the first 4 ATs (2 s) unanswered may still be in
// data mode, left there by a program that ended without hanging up (killed,
// say): on a line without DTR nothing else brings it back. Dial then hangs
// it up as Hangup does, with the +++ escape and its guard times (after a
// DTR drop, where the line has DTR), and sends AT again; it logs a warning
// if the modem was indeed online. Whatever the modem sends meanwhile, such
// as the PPP frames of the network side, is skipped.
//
// Before it sends the PIN, Dial asks how many attempts the SIM has left
// (AT+CPINR="SIM PIN", then Quectel's AT+QPINC="SC", then AT^CPIN?, as
// Huawei modems and others have it; ERROR means the modem does not say).
// With one attempt left it does not send the PIN: a wrong one would lock
// the SIM. A PIN the SIM rejected, or left unanswered, is remembered for
// the life of the process and never sent again, to any modem.
//
// A SIM blocked by its PUK and a network that denies registration fail at
// once, a missing SIM once AT+CPIN? has failed for 4 s (a SIM still starting
// up answers alike), a wrong PIN at its first rejection. Each error is a
// *StepError naming the step; the SIM's match ErrSIM.
// Registration counts if any of the three queries reports it: a 2G-only
// modem answering ERROR to AT+CEREG? and a data-only SIM denied circuit
// switched service are both fine. Unsolicited codes (RING, +CREG: 2, ...)
// may arrive at any time. Cancelling ctx interrupts Dial at any point.
//
// Dial reads l one byte at a time and returns as soon as it has read the
// CR (or LF) ending the CONNECT line, so the PPP bytes that follow are left
// to the caller. A modem that ends lines with CR LF leaves that LF in the
// stream; an HDLC receiver drops it while hunting for the first flag.
// Dial leaves l without a read deadline.
func Dial(ctx context.Context, l Line, cfg DialConfig) (Connect, error) {
	if err := cfg.check(); err != nil {
		return Connect{}, err
	}
	c := newChat(l, cfg.Logger)
	c.setVars(cfg.APN, cfg.PIN)
	release := watchContext(ctx, l)
	defer release()
	d := &dialer{c: c, l: l, cfg: cfg}
	c.urc = d.urcs()
	if cfg.Script != nil {
		return d.runScript(ctx, cfg.Script)
	}
	return d.run(ctx)
}

// check validates the configuration. Its errors never quote the PIN.
func (cfg *DialConfig) check() error {
	if n := len(cfg.PIN); n != 0 && (n < minPIN || n > maxPIN || !isDigits(cfg.PIN)) {
		return errors.New("dialer: the SIM PIN must be 4 to 8 digits")
	}
	if len(cfg.APN) > maxAPNLength || strings.ContainsFunc(cfg.APN, badParam) {
		return fmt.Errorf("dialer: invalid APN %q", cfg.APN)
	}
	if strings.ContainsFunc(cfg.DialString, badParam) {
		return fmt.Errorf("dialer: invalid dial string %q", cfg.DialString)
	}
	if cfg.ContextID < 0 {
		return fmt.Errorf("dialer: invalid context ID %d", cfg.ContextID)
	}
	switch strings.ToUpper(cfg.PDPType) {
	case "", "IP", "IPV6", "IPV4V6":
	default:
		return fmt.Errorf("dialer: PDP type %q is not IP, IPV6 or IPV4V6", cfg.PDPType)
	}
	return nil
}

// badParam reports characters that cannot go into a quoted AT parameter.
func badParam(r rune) bool { return r < 0x20 || r == '"' || r >= 0x7f }

// dialer runs the default script: the steps are data, the branches
// between them (SIM state, registration polling) are Go.
type dialer struct {
	c    *chat
	l    Line
	cfg  DialConfig
	conn Connect
	reg  registration
}

func (d *dialer) run(ctx context.Context) (Connect, error) {
	for _, phase := range []func(context.Context) error{
		d.sync, d.unlock, d.register, d.signal, d.attach, d.dial,
	} {
		if err := phase(ctx); err != nil {
			return Connect{}, err
		}
	}
	return d.conn, nil
}

// sync wakes the modem, then turns echo off and extended errors on. Some
// modems do not know AT+CMEE; they are still usable.
func (d *dialer) sync(ctx context.Context) error {
	if err := d.wake(ctx); err != nil {
		return err
	}
	for _, st := range []Step{
		{Name: "echo", Send: "ATE0"},
		{Name: "cmee", Send: "AT+CMEE=1", Optional: true},
	} {
		if _, err := d.c.step(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// wake sends AT until the modem answers. If the first few go unanswered,
// it escapes and hangs up in case the modem is still in data mode, then
// sends the rest.
func (d *dialer) wake(ctx context.Context) error {
	at := func(tries int) error {
		_, err := d.c.step(ctx, Step{Name: "sync", Send: "AT", Timeout: syncInterval,
			Retry: tries - 1, RetryInterval: syncInterval})
		return err
	}
	err := at(syncEscapeAfter)
	if !errors.Is(err, ErrTimeout) {
		return err
	}
	d.c.log.Info("dialer: no answer to AT: escaping and hanging up, in case the modem is still in data mode")
	online, herr := hangup(ctx, d.c, d.l, HangupConfig{GuardTime: d.cfg.GuardTime})
	if herr != nil && !tolerable(herr) {
		return herr
	}
	if err := at(syncTries - syncEscapeAfter); err != nil {
		if errors.Is(err, ErrTimeout) {
			err = &StepError{Step: "sync", Command: "AT", Err: fmt.Errorf(
				"%w: no answer to %d ATs, nor to the escape and ATH between them", ErrTimeout, syncTries)}
		}
		return err
	}
	if online {
		d.c.log.Warn("dialer: the modem was still online, left in data mode without a hang-up: brought back to command mode (+++ or DTR) and hung up (ATH)")
	}
	return nil
}

// signal logs the signal quality (3GPP TS 27.007 §8.5) for the record.
func (d *dialer) signal(ctx context.Context) error {
	_, err := d.c.step(ctx, Step{
		Name: "signal", Send: "AT+CSQ", Optional: true,
		Info: []Info{{Prefix: "+CSQ:", Handle: func(line string) error {
			d.conn.Signal = strings.TrimSpace(strings.TrimPrefix(line, "+CSQ:"))
			return nil
		}}},
	})
	if err == nil && d.conn.Signal != "" {
		d.c.log.Info("dialer: signal quality", "csq", d.conn.Signal, "dbm", csqDBm(d.conn.Signal))
	}
	return err
}

// csqDBm converts the <rssi> of +CSQ to dBm: 0 is -113 dBm or less, 31 is
// -51 dBm or more, 99 is unknown (returned as "unknown").
func csqDBm(csq string) string {
	rssi, _, _ := strings.Cut(csq, ",")
	n, err := strconv.Atoi(strings.TrimSpace(rssi))
	if err != nil || n < 0 || n > 31 {
		return "unknown"
	}
	return strconv.Itoa(-113 + 2*n)
}

// attach defines the PDP context (3GPP TS 27.007 §10.1.1).
func (d *dialer) attach(ctx context.Context) error {
	if d.cfg.APN == "" {
		return nil
	}
	send := fmt.Sprintf(`AT+CGDCONT=%d,"%s","$APN"`, d.contextID(), cmp.Or(strings.ToUpper(d.cfg.PDPType), "IP"))
	_, err := d.c.step(ctx, Step{Name: "apn", Send: send})
	return err
}

// dial requests packet domain service (3GPP TS 27.007 §10.2.1.1).
func (d *dialer) dial(ctx context.Context) error {
	dialString := cmp.Or(d.cfg.DialString, fmt.Sprintf("*99***%d#", d.contextID()))
	line, err := d.c.step(ctx, Step{Name: "dial", Send: "ATD" + dialString, Expect: []string{"CONNECT"}, Timeout: dialTimeout})
	if err != nil {
		return err
	}
	d.conn.Speed = connectSpeed(line)
	d.c.log.Info("dialer: connected", "speed", d.conn.Speed)
	return nil
}

func (d *dialer) contextID() int { return cmp.Or(d.cfg.ContextID, defaultContextID) }

// connectSpeed returns the text after CONNECT.
func connectSpeed(line string) string {
	rest, ok := strings.CutPrefix(line, "CONNECT")
	if !ok {
		return ""
	}
	return strings.TrimSpace(rest)
}

// runScript runs a custom script in place of the default one.
func (d *dialer) runScript(ctx context.Context, s *Script) (Connect, error) {
	d.c.abort = s.Abort
	d.c.urc = append(append([]URC(nil), s.URC...), d.c.urc...)
	var last string
	for i, st := range s.Steps {
		if st.Name == "" {
			st.Name = strconv.Itoa(i + 1)
		}
		line, err := d.c.step(ctx, st)
		if strings.Contains(st.Send, "$PIN") {
			err = rejected(d.cfg.PIN, err)
		}
		if err != nil {
			return Connect{}, err
		}
		if !st.NoResponse {
			last = line
		}
	}
	d.conn.Speed = connectSpeed(last)
	if strings.HasPrefix(last, "CONNECT") {
		d.c.log.Info("dialer: connected", "speed", d.conn.Speed)
	}
	return d.conn, nil
}

// urcs returns the URC handlers Dial installs: registration changes feed
// the registration wait; the others are only logged.
func (d *dialer) urcs() []URC {
	logURC := func(line string) { d.c.log.Debug("dialer: urc", "line", line) }
	reg := func(line string) {
		logURC(line)
		d.reg.note(line)
	}
	return []URC{
		{Prefix: "RING", Handle: logURC},
		{Prefix: "+CREG:", Handle: reg},
		{Prefix: "+CGREG:", Handle: reg},
		{Prefix: "+CEREG:", Handle: reg},
		{Prefix: "+CPIN:", Handle: logURC},
	}
}

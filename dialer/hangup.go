package dialer

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"
)

// HangupConfig configures Hangup. The zero value uses the V.250 defaults.
type HangupConfig struct {
	// GuardTime is the silence required before and after the +++ escape
	// sequence (V.250 S12). Zero means 1 s.
	GuardTime time.Duration
	// DTRDrop is how long DTR is held low on a line that can drop it.
	// Zero means 500 ms.
	DTRDrop time.Duration
	// Timeout bounds the wait for the answer to ATH. Zero means 3 s.
	Timeout time.Duration
	// Wait pauses for d or until ctx is done, returning ctx's error then.
	// Nil means a timer. Tests inject one so they need not really wait.
	Wait func(ctx context.Context, d time.Duration) error
	// Logger receives the dialogue at debug level. Nil means silent.
	Logger *slog.Logger
}

// DTRSetter is implemented by lines with a Data Terminal Ready output, such
// as serial ports; Hangup drops DTR on them first.
type DTRSetter interface {
	SetDTR(on bool) error
}

// Default timing of Hangup.
const (
	defaultGuardTime  = time.Second
	defaultDTRDrop    = 500 * time.Millisecond
	defaultATHTimeout = 3 * time.Second
	escapeSlack       = time.Second // wait for OK after +++ beyond the guard time
)

// Hangup ends a data connection on l and leaves the modem in command mode,
// trying in order:
//
//  1. If l implements DTRSetter, drop DTR for DTRDrop. A modem set to hang
//     up on DTR (AT&D2) answers NO CARRIER or OK within the guard time;
//     then only ATH follows, to make sure.
//  2. Otherwise, or if the modem said nothing, keep silent for GuardTime,
//     listening: a modem that says NO CARRIER meanwhile (the network
//     ended the call) is in command mode already. If it said nothing,
//     send +++ without CR and wait up to GuardTime + 1 s for OK: the
//     modem is back in command mode with the call still up.
//  3. Send ATH and expect OK. NO CARRIER is fine too (the call was already
//     gone), and ERROR is retried once (the +++ of a modem that was not
//     online may have prefixed the command).
//
// The error is a *StepError: "dtr" if SetDTR failed, "hangup" if the modem
// never answered ATH (ErrTimeout) or answered ERROR twice, or the step under
// way when ctx was cancelled. Hangup leaves l without a read deadline.
func Hangup(ctx context.Context, l Line, cfg HangupConfig) error {
	c := newChat(l, cfg.Logger)
	if cfg.Wait != nil {
		c.wait = cfg.Wait
	}
	release := watchContext(ctx, l)
	defer release()
	_, err := hangup(ctx, c, l, cfg)
	return err
}

// hangup runs Hangup's steps with c, which reads l. It also reports
// whether the modem showed that it had been online: it answered the DTR
// drop or the escape, or said NO CARRIER meanwhile. cfg.Wait and
// cfg.Logger are c's business.
func hangup(ctx context.Context, c *chat, l Line, cfg HangupConfig) (online bool, err error) {
	guard := cmp.Or(cfg.GuardTime, defaultGuardTime)
	escape, dtrDone := true, false
	if dtr, ok := l.(DTRSetter); ok {
		done, err := dropDTR(ctx, c, dtr, cmp.Or(cfg.DTRDrop, defaultDTRDrop), guard)
		switch {
		case errors.Is(err, errors.ErrUnsupported):
			// A port without modem lines (a pty): escape as if it had
			// no DTR at all.
			c.log.Debug("dialer: no DTR on this line", "err", err)
		case err != nil:
			return false, err
		default:
			escape, dtrDone, online = !done, true, done
		}
	}
	if !dtrDone {
		gone, err := listenNoCarrier(ctx, c, guard)
		if err != nil {
			return false, err
		}
		escape, online = !gone, gone
	}
	if escape {
		// The step's read window is the guard time after +++: nothing is
		// sent until OK arrives or the window ends.
		_, err := c.step(ctx, Step{Name: "escape", Send: "+++", NoCR: true,
			Expect: []string{"OK", "NO CARRIER"}, Timeout: guard + escapeSlack})
		if err != nil && !tolerable(err) {
			return false, err
		}
		online = online || err == nil
	}
	_, err = c.step(ctx, Step{Name: "hangup", Send: "ATH", Expect: []string{"OK", "NO CARRIER"},
		Timeout: cmp.Or(cfg.Timeout, defaultATHTimeout), Retry: 1})
	return online, err
}

// dropDTR pulses DTR low and reports whether the modem answered, that is,
// whether it is in command mode now. Listening for the answer for the
// guard time also provides the silence the +++ escape needs before it.
func dropDTR(ctx context.Context, c *chat, dtr DTRSetter, hold, guard time.Duration) (bool, error) {
	fail := func(err error) error { return &StepError{Step: "dtr", Err: err} }
	c.log.Debug("dialer: dropping DTR", "for", hold)
	if err := dtr.SetDTR(false); err != nil {
		return false, fail(err)
	}
	werr := c.wait(ctx, hold)
	if err := dtr.SetDTR(true); err != nil {
		return false, fail(err)
	}
	if werr != nil {
		return false, fail(werr)
	}
	return listen(ctx, c, Step{Name: "dtr", NoCR: true, Expect: []string{"NO CARRIER", "OK"}, Timeout: guard})
}

// listenNoCarrier keeps the silence the +++ escape needs before it,
// listening: a modem whose call the network has ended says NO CARRIER
// and is in command mode already, so it needs no escape. It reports
// whether the modem said so (or gave any other result).
func listenNoCarrier(ctx context.Context, c *chat, guard time.Duration) (bool, error) {
	return listen(ctx, c, Step{Name: "escape", NoCR: true, Expect: []string{"NO CARRIER"}, Timeout: guard})
}

// listen runs st, which sends nothing, and reports whether the modem
// gave a result in its time: the one expected or any other (an error
// result too says the modem is in command mode). Silence is no error.
func listen(ctx context.Context, c *chat, st Step) (bool, error) {
	_, err := c.step(ctx, st)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrTimeout):
		return false, nil
	case tolerable(err):
		return true, nil
	}
	return false, err
}

// tolerable reports whether a step error only says that the modem gave a
// result other than the one expected, or none, rather than that the line
// or ctx failed.
func tolerable(err error) bool {
	var se *StepError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Err.(type) {
	case *CMEError, *CMSError, abortError:
		return true
	}
	for _, e := range []error{ErrTimeout, ErrError, ErrNoCarrier, ErrBusy, ErrNoAnswer, ErrNoDialtone} {
		if errors.Is(se.Err, e) { // "timeout after 2 tries" too
			return true
		}
	}
	return false
}

package dialer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A SIM allows three wrong PINs (3GPP TS 31.102 §4.2.9 and ETSI TS 102 221
// §9.4) and then blocks until its PUK is entered; ten wrong PUKs block it
// for good. Dial therefore sends a PIN at most once per process, and never
// its last attempt.
const minUnattendedTries = 2 // PIN attempts that must be left to send one

// rejectedPINs remembers, for the life of the process, the PINs a SIM has
// rejected (or left unanswered), as SHA-256 digests: no retry of any dial
// sends them again, to any modem. A PIN corrected in the configuration is
// a different PIN and is sent.
var rejectedPINs struct {
	mu  sync.Mutex
	set map[[sha256.Size]byte]bool
}

// errRejectedBefore is the error for a PIN that pinRejected reports.
var errRejectedBefore error = &simError{msg: "the SIM rejected this PIN earlier",
	advice: "it is not sent again, as each wrong PIN uses up one of the SIM's few attempts: check the PIN"}

func pinRejected(pin string) bool {
	rejectedPINs.mu.Lock()
	defer rejectedPINs.mu.Unlock()
	return rejectedPINs.set[sha256.Sum256([]byte(pin))]
}

func rejectPIN(pin string) {
	rejectedPINs.mu.Lock()
	defer rejectedPINs.mu.Unlock()
	if rejectedPINs.set == nil {
		rejectedPINs.set = map[[sha256.Size]byte]bool{}
	}
	rejectedPINs.set[sha256.Sum256([]byte(pin))] = true
}

// unlock checks the SIM and enters the PIN if it needs one. The query is
// repeated for a few seconds: a SIM still initialising after power-up
// answers +CME ERROR: 14 (SIM busy) or even 10.
func (d *dialer) unlock(ctx context.Context) error {
	const query = "AT+CPIN?"
	var state string
	_, err := d.c.step(ctx, Step{
		Name: "pin", Send: query, Retry: pinQueryTries - 1, RetryInterval: time.Second,
		Info: []Info{{Prefix: "+CPIN:", Handle: func(line string) error {
			state = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(line, "+CPIN:")))
			return nil
		}}},
	})
	if err != nil {
		return err
	}
	fail := func(err error) error { return &StepError{Step: "pin", Command: query, Err: err} }
	switch state {
	case "READY":
		return nil
	case "SIM PIN":
		return d.enterPIN(ctx)
	case "SIM PUK":
		return fail(&simError{msg: "the SIM is blocked after too many wrong PINs", cause: ErrSIMPUK,
			advice: `unblock it by hand with its PUK: AT+CPIN="<PUK>","<new PIN>" (for example with gprsppp at)`})
	case "NOT INSERTED", "SIM NOT INSERTED":
		return fail(ErrSIMNotInserted)
	case "":
		return fail(errors.New("no +CPIN line in the answer"))
	}
	return fail(fmt.Errorf("SIM wants %s", state))
}

// enterPIN sends the PIN, once: not if it has been rejected before in this
// process, nor if the modem says that only the last attempt is left.
func (d *dialer) enterPIN(ctx context.Context) error {
	// Refusals name the query that found the SIM locked: no PIN was sent.
	fail := func(err error) error { return &StepError{Step: "pin", Command: "AT+CPIN?", Err: err} }
	switch {
	case d.cfg.PIN == "":
		return fail(fmt.Errorf("%w: no PIN is configured", ErrSIMPIN))
	case pinRejected(d.cfg.PIN):
		return fail(errRejectedBefore)
	}
	left, err := d.pinTriesLeft(ctx)
	if err != nil {
		return err
	}
	if left >= 0 && left < minUnattendedTries {
		attempts := "attempts"
		if left == 1 {
			attempts = "attempt"
		}
		return fail(&simError{msg: fmt.Sprintf("the SIM has %d PIN %s left before it locks to its PUK", left, attempts),
			advice: `not tried unattended: check the PIN and enter it by hand, AT+CPIN="<PIN>" ` +
				"(for example with gprsppp at), then dial again"})
	}
	d.c.log.Info("dialer: entering SIM PIN", "attempts_left", left)
	_, err = d.c.step(ctx, Step{Name: "pin", Send: `AT+CPIN="$PIN"`})
	return rejected(d.cfg.PIN, err)
}

// rejected remembers pin if err says that the modem refused it or did not
// answer, where the attempt may be spent as well, and makes err a SIM
// error then. It returns err.
func rejected(pin string, err error) error {
	var se *StepError
	if err == nil || !tolerable(err) || !errors.As(err, &se) {
		return err
	}
	rejectPIN(pin)
	e := &simError{msg: "the SIM rejected the PIN", cause: se.Err, advice: "it is not sent again: check it"}
	if errors.Is(se.Err, ErrTimeout) {
		e.msg, e.advice = "the modem did not answer the PIN", "the attempt may be spent, and the PIN is not sent again: check it"
	}
	se.Err = e
	return err
}

// pinQueries read how many PIN attempts the SIM has left, each for some
// modems: 3GPP TS 27.007 §8.65, Quectel, Huawei (and others copying it).
// Modems that do not know a query answer ERROR.
var pinQueries = []struct {
	send, prefix string
	parse        func(params string) (int, bool)
}{
	{`AT+CPINR="SIM PIN"`, "+CPINR:", parseCPINR},
	{`AT+QPINC="SC"`, "+QPINC:", parseQPINC},
	{"AT^CPIN?", "^CPIN:", parseHuaweiCPIN},
}

// pinTriesLeft returns how many PIN attempts the SIM has left, or -1 if
// the modem does not say.
func (d *dialer) pinTriesLeft(ctx context.Context) (int, error) {
	for _, q := range pinQueries {
		left := -1
		read := func(line string) error {
			if n, ok := q.parse(strings.TrimPrefix(line, q.prefix)); ok {
				left = n
			}
			return nil
		}
		st := Step{Name: "pin", Send: q.send, Optional: true, Info: []Info{{Prefix: q.prefix, Handle: read}}}
		if _, err := d.c.step(ctx, st); err != nil {
			return -1, err
		}
		if left >= 0 {
			return left, nil
		}
	}
	return -1, nil
}

// paramFields splits the parameters of an information line at commas and
// removes spaces and quotes around each.
func paramFields(params string) []string {
	f := strings.Split(params, ",")
	for i := range f {
		f[i] = strings.Trim(strings.TrimSpace(f[i]), `"`)
	}
	return f
}

func count(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= 99
}

// parseCPINR reads "+CPINR: <code>,<retries>[,<default_retries>]" for
// the code SIM PIN.
func parseCPINR(params string) (int, bool) {
	f := paramFields(params)
	if len(f) < 2 || !strings.EqualFold(f[0], "SIM PIN") {
		return 0, false
	}
	return count(f[1])
}

// parseQPINC reads Quectel's "+QPINC: "SC",<pin_counter>,<puk_counter>".
func parseQPINC(params string) (int, bool) {
	f := paramFields(params)
	if len(f) < 2 || !strings.EqualFold(f[0], "SC") {
		return 0, false
	}
	return count(f[1])
}

// parseHuaweiCPIN reads Huawei's "^CPIN: <code>,[<times>],<puk_times>,
// <pin_times>,<puk2_times>,<pin2_times>", where <pin_times> is the PIN's.
func parseHuaweiCPIN(params string) (int, bool) {
	f := paramFields(params)
	if len(f) < 4 {
		return 0, false
	}
	return count(f[3])
}

package dialer

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// regQueries are the registration queries, circuit switched, GPRS and EPS.
var regQueries = []struct{ send, prefix string }{
	{"AT+CREG?", "+CREG:"},
	{"AT+CGREG?", "+CGREG:"},
	{"AT+CEREG?", "+CEREG:"},
}

// regCommand names the registration queries in errors.
const regCommand = "AT+CREG?;+CGREG?;+CEREG?"

// registration collects the status each query (or URC) reported during
// one polling round.
type registration struct {
	lines map[string]string // prefix → last line
	stats map[string]int    // prefix → last status
}

func (r *registration) reset() {
	r.lines = map[string]string{}
	r.stats = map[string]int{}
}

// note records a +CREG, +CGREG or +CEREG line, answer or URC.
func (r *registration) note(line string) {
	for _, q := range regQueries {
		rest, ok := strings.CutPrefix(line, q.prefix)
		if !ok {
			continue
		}
		if stat, ok := regStat(rest); ok && r.stats != nil {
			r.lines[q.prefix], r.stats[q.prefix] = line, stat
		}
	}
}

// regStat finds <stat> in the parameters of a registration line. The
// answer to a query is "<n>,<stat>[,<lac>,<ci>[,<AcT>]]"; a URC is
// "<stat>" or "<stat>,<lac>,<ci>[,<AcT>]" with <lac> quoted (or empty).
// So one field means a URC, a quoted or empty second field means a URC
// with location, and otherwise the second field is <stat>.
func regStat(params string) (int, bool) {
	fields := strings.Split(params, ",")
	i := 1
	if len(fields) == 1 {
		i = 0
	} else if f := strings.TrimSpace(fields[1]); f == "" || strings.HasPrefix(f, `"`) {
		i = 0
	}
	stat, err := strconv.Atoi(strings.TrimSpace(fields[i]))
	if err != nil || stat < 0 || stat > 10 {
		return 0, false
	}
	return stat, true
}

// verdict reports whether some query shows registration, or which line
// shows a denial.
func (r *registration) verdict() (registered, denied string) {
	for _, q := range regQueries {
		switch r.stats[q.prefix] {
		case at.RegHome, at.RegRoaming, at.RegCSFBHome, at.RegCSFBRoaming:
			return r.lines[q.prefix], ""
		case at.RegDenied:
			denied = cmp.Or(denied, r.lines[q.prefix])
		}
	}
	return "", denied
}

// summary says the last status of each query in words ("+CREG:
// searching; +CGREG: registered, home"), for the log and errors.
func (r *registration) summary() string {
	var s []string
	for _, q := range regQueries {
		if stat, ok := r.stats[q.prefix]; ok {
			s = append(s, q.prefix+" "+regStatWords(stat))
		}
	}
	if len(s) == 0 {
		return "no status"
	}
	return strings.Join(s, "; ")
}

// register polls the three registration queries every second until one
// reports home or roaming registration. A round in which none does and one
// reports a denial fails at once: a data-only SIM may be denied circuit
// switched service (+CREG: 0,3) and still register for packet service.
// Each change of status is logged at info level, in words.
func (d *dialer) register(ctx context.Context) error {
	timeout := cmp.Or(d.cfg.RegistrationTimeout, defaultRegWait)
	start := time.Now()
	shown := ""
	for {
		d.reg.reset()
		for _, q := range regQueries {
			note := func(line string) error { d.reg.note(line); return nil }
			st := Step{Name: "register", Send: q.send, Optional: true, Info: []Info{{Prefix: q.prefix, Handle: note}}}
			if _, err := d.c.step(ctx, st); err != nil {
				return err
			}
		}
		registered, denied := d.reg.verdict()
		status, waited := d.reg.summary(), time.Since(start).Round(time.Second)
		if registered != "" {
			d.conn.Registration = registered
			d.c.log.Info("dialer: registered", "status", status, "waited", waited)
			return nil
		}
		if status != shown {
			shown = status
			d.c.log.Info("dialer: registration", "status", status, "waited", waited)
		}
		switch {
		case denied != "":
			return &StepError{Step: "register", Command: regCommand,
				Err: fmt.Errorf("%w: %w (%s)", ErrNotRegistered, ErrRegistrationDenied, status)}
		case time.Since(start) >= timeout:
			return &StepError{Step: "register", Command: regCommand,
				Err: fmt.Errorf("%w within %v (%s)", ErrNotRegistered, timeout, status)}
		}
		if err := d.c.wait(ctx, regPollInterval); err != nil {
			return &StepError{Step: "register", Command: regCommand, Err: err}
		}
	}
}

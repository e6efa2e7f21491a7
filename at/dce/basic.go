package dce

import (
	"fmt"
	"strconv"

	"github.com/gprsppp/gprsppp/at"
)

// builtins returns a new table of the commands the engine answers
// itself.
func builtins() map[string]Handler {
	return map[string]Handler{
		"E":  flag(func(e *Engine, on bool) { e.echo = on }),
		"V":  flag(func(e *Engine, on bool) { e.f.Numeric = !on }),
		"Q":  flag(func(e *Engine, on bool) { e.f.Quiet = on }),
		"&C": mode(func(e *Engine, n int) { e.dcd = n }),
		"&D": mode(func(e *Engine, n int) { e.dtr = n }),
		"Z":  reset,
		"&F": reset,
		"S":  sParameter,
		"+CMEE": func(e *Engine, c at.Command) error {
			return parameter(e, c, "+CMEE", 2, func() int { return e.f.CMEE }, func(n int) { e.f.CMEE = n })
		},
		"I":      identity(func(id Identity) []string { return id.Info }),
		"+CGMI":  identity(func(id Identity) []string { return []string{id.Manufacturer} }),
		"+GMI":   identity(func(id Identity) []string { return []string{id.Manufacturer} }),
		"+CGMM":  identity(func(id Identity) []string { return []string{id.Model} }),
		"+GMM":   identity(func(id Identity) []string { return []string{id.Model} }),
		"+CGMR":  identity(func(id Identity) []string { return []string{id.Revision} }),
		"+GMR":   identity(func(id Identity) []string { return []string{id.Revision} }),
		"+CGSN":  identity(func(id Identity) []string { return []string{id.Serial} }),
		"+GSN":   identity(func(id Identity) []string { return []string{id.Serial} }),
		"+CPIN":  cpin,
		"+CSQ":   Action(signalQuality, "+CSQ: (0-31,99),(0-7,99)"),
		"+CREG":  registration,
		"+CGREG": registration,
		"+CEREG": registration,
	}
}

// flag is a basic command that clears a setting with 0 (or no number)
// and sets it with 1.
func flag(set func(e *Engine, on bool)) Handler {
	return func(e *Engine, c at.Command) error {
		switch c.Arg {
		case "", "0":
			set(e, false)
		case "1":
			set(e, true)
		default:
			return at.Error
		}
		return nil
	}
}

// mode is a basic command that takes 0 (or no number), 1 or 2.
func mode(set func(e *Engine, n int)) Handler {
	return func(e *Engine, c at.Command) error {
		n, ok := Number(c.Arg, 0, 2)
		if !ok {
			return at.Error
		}
		set(e, n)
		return nil
	}
}

// reset is ATZ and AT&F: the settings return to their power-on values.
// S-parameters keep theirs.
func reset(e *Engine, _ at.Command) error {
	e.settings = e.defaults()
	return nil
}

// sParameter reads or sets an S-parameter (V.250 §5.3.2), from 0 to 255.
// S2 (the escape character), S3 (the line end), S5 (backspace) and S12
// (the guard time) are honoured; the others are only stored.
func sParameter(e *Engine, c at.Command) error {
	n, err := strconv.Atoi(c.Name[1:])
	if err != nil {
		return at.Error
	}
	switch c.Op {
	case at.Read:
		e.Info(fmt.Sprintf("%03d", e.sregs[n]))
	case at.Set:
		v, ok := Number(c.Arg, 0, 255)
		if !ok {
			return at.Error
		}
		e.sregs[n] = v
	}
	return nil
}

// parameter is an extended parameter taking 0 to hi: read, test and set
// (3GPP TS 27.007 §4.1). A bad value is +CME ERROR: 50.
func parameter(e *Engine, c at.Command, name string, hi int, get func() int, set func(int)) error {
	switch c.Op {
	case at.Read:
		e.Info(fmt.Sprintf("%s: %d", name, get()))
	case at.Test:
		e.Info(fmt.Sprintf("%s: (0-%d)", name, hi))
	case at.Set:
		n, ok := Number(c.Arg, 0, hi)
		if !ok {
			return at.NewCMEError(CMEBadParameters)
		}
		set(n)
	default:
		return at.Error
	}
	return nil
}

// Action returns an action command (3GPP TS 27.007 §4.1): AT<name> runs
// run, AT<name>=? writes test, if not empty, and the other forms are
// answered ERROR.
func Action(run Handler, test string) Handler {
	return func(e *Engine, c at.Command) error {
		switch c.Op {
		case at.Action:
			return run(e, c)
		case at.Test:
			if test != "" {
				e.Info(test)
			}
			return nil
		}
		return at.Error
	}
}

// Number parses an integer parameter in [lo, hi]; empty means lo.
func Number(s string, lo, hi int) (int, bool) {
	if s == "" {
		return lo, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && lo <= n && n <= hi
}

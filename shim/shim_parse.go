package shim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gprsppp/gprsppp/at"
)

// shimSyntax is how the M95 reads a command line beyond V.250: it takes
// the typographic quotes of its manuals, lets "&" end an extended command
// (AT+IPR=115200&W) and keeps unquoted parameters in their case (an APN,
// user name or host).
var shimSyntax = at.Syntax{TypographicQuotes: true, AmpersandEnds: true, RawParameters: true}

// shimArg is one parameter of a set command, without its quotes.
type shimArg struct {
	val    string
	quoted bool
}

// shimCmd is one command of a command line as the handlers take it: the
// command as package at parsed it, with its parameters split and
// unquoted. Basic commands carry their number, if any, as the only
// parameter.
type shimCmd struct {
	at.Command
	args []shimArg
}

var errShimSyntax = errors.New("shim: syntax error")

// parseShimLine splits the text after "AT" into commands.
func parseShimLine(body string) ([]shimCmd, error) {
	cmds, err := shimSyntax.ParseLine(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errShimSyntax, err)
	}
	out := make([]shimCmd, len(cmds))
	for i, c := range cmds {
		if out[i], err = newShimCmd(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newShimCmd splits c's parameters. A string must be a whole parameter
// (AT+X="a"b is an error), and "S" needs a register number.
func newShimCmd(c at.Command) (shimCmd, error) {
	sc := shimCmd{Command: c}
	switch {
	case c.Name == "S":
		return shimCmd{}, fmt.Errorf("%w: S without register", errShimSyntax)
	case !c.Extended():
		if c.Op == at.Set || c.Name == "D" || c.Arg != "" {
			sc.args = []shimArg{{val: c.Arg}}
		}
	case c.Op == at.Set:
		for _, p := range c.Args() {
			a, err := newShimArg(p)
			if err != nil {
				return shimCmd{}, fmt.Errorf("%w: %s", err, c.Name)
			}
			sc.args = append(sc.args, a)
		}
	}
	return sc, nil
}

// newShimArg takes one parameter as typed: white space around it is
// dropped, and a string loses its quotes.
func newShimArg(p string) (shimArg, error) {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, `"`) {
		return shimArg{val: p}, nil
	}
	if len(p) < 2 || strings.IndexByte(p[1:], '"') != len(p)-2 {
		return shimArg{}, fmt.Errorf("%w: junk after string", errShimSyntax)
	}
	return shimArg{val: p[1 : len(p)-1], quoted: true}, nil
}

// argc reports whether c has between lo and hi parameters.
func (c *shimCmd) argc(lo, hi int) bool { return len(c.args) >= lo && len(c.args) <= hi }

// intArg returns parameter k as an integer in [lo, hi].
func (c *shimCmd) intArg(k, lo, hi int) (int, bool) {
	if k >= len(c.args) {
		return 0, false
	}
	n, err := strconv.Atoi(c.args[k].val)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// basicValue returns the number of a basic command (E1), 0 when absent.
func (c *shimCmd) basicValue() (int, bool) {
	if len(c.args) == 0 {
		return 0, true
	}
	return c.intArg(0, 0, 255)
}

package atcompat

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// shimOp is the form of a command (V.250 §5.4).
type shimOp int

const (
	shimExec shimOp = iota // AT+X
	shimRead               // AT+X?
	shimTest               // AT+X=?
	shimSet                // AT+X=<params>
)

// shimArg is one parameter of a set command.
type shimArg struct {
	val    string
	quoted bool
}

// shimCmd is one command of a command line: its upper-cased name ("+QIOPEN",
// "E", "&W", "S0"), form and parameters. Basic commands carry their number,
// if any, as the only parameter.
type shimCmd struct {
	name string
	op   shimOp
	args []shimArg
}

var (
	errShimSyntax = errors.New("atcompat: shim: syntax error")
	errShimQuote  = errors.New("atcompat: shim: unterminated string")
)

// parseShimLine splits the text after "AT" into commands.
func parseShimLine(body string) ([]shimCmd, error) {
	body = strings.NewReplacer("\u201c", `"`, "\u201d", `"`).Replace(body)
	var cmds []shimCmd
	for i := 0; ; {
		for i < len(body) && (body[i] == ' ' || body[i] == ';') {
			i++
		}
		if i == len(body) {
			return cmds, nil
		}
		var (
			c   shimCmd
			err error
		)
		switch ch := body[i]; {
		case ch == '+' || ch == '#' || ch == '$' || ch == '^':
			c, i, err = parseShimExtended(body, i)
		case ch == '&':
			c, i, err = parseShimBasic(body, i+1, "&")
		case isShimLetter(ch):
			c, i, err = parseShimBasic(body, i, "")
		default:
			err = fmt.Errorf("%w: %q at %d", errShimSyntax, ch, i)
		}
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, c)
	}
}

func isShimLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isShimDigit(c byte) bool  { return c >= '0' && c <= '9' }

// parseShimExtended parses "+NAME[=?|?|=params]" at body[i].
func parseShimExtended(body string, i int) (shimCmd, int, error) {
	j := i + 1
	for j < len(body) && (isShimLetter(body[j]) || isShimDigit(body[j]) || body[j] == '_') {
		j++
	}
	if j == i+1 {
		return shimCmd{}, 0, fmt.Errorf("%w: empty command name", errShimSyntax)
	}
	c := shimCmd{name: strings.ToUpper(body[i:j])}
	switch {
	case strings.HasPrefix(body[j:], "=?"):
		c.op, j = shimTest, j+2
	case strings.HasPrefix(body[j:], "?"):
		c.op, j = shimRead, j+1
	case strings.HasPrefix(body[j:], "="):
		end, err := shimParamsEnd(body, j+1)
		if err != nil {
			return shimCmd{}, 0, err
		}
		args, err := parseShimArgs(body[j+1 : end])
		if err != nil {
			return shimCmd{}, 0, err
		}
		c.op, c.args, j = shimSet, args, end
	}
	for j < len(body) && body[j] == ' ' {
		j++
	}
	if j < len(body) && body[j] != ';' && body[j] != '&' {
		return shimCmd{}, 0, fmt.Errorf("%w: junk after %s", errShimSyntax, c.name)
	}
	return c, j, nil
}

// shimParamsEnd finds where parameters starting at body[i] end: at a ';'
// or '&' outside quotes (AT+IPR=115200&W), or the end of the line.
func shimParamsEnd(body string, i int) (int, error) {
	quoted := false
	for ; i < len(body); i++ {
		switch body[i] {
		case '"':
			quoted = !quoted
		case ';', '&':
			if !quoted {
				return i, nil
			}
		}
	}
	if quoted {
		return 0, errShimQuote
	}
	return i, nil
}

// parseShimArgs splits parameters at commas outside quotes.
func parseShimArgs(s string) ([]shimArg, error) {
	var args []shimArg
	for {
		a, rest, err := parseShimArg(s)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if rest == "" {
			return args, nil
		}
		s = rest[1:] // skip the comma
	}
}

// parseShimArg takes one parameter and returns the rest, which is empty or
// starts with a comma.
func parseShimArg(s string) (shimArg, string, error) {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if !strings.HasPrefix(t, `"`) {
		v, rest, found := strings.Cut(t, ",")
		if found {
			rest = "," + rest
		}
		return shimArg{val: strings.TrimSpace(v)}, rest, nil
	}
	end := strings.IndexByte(t[1:], '"')
	if end < 0 {
		return shimArg{}, "", errShimQuote
	}
	a := shimArg{val: t[1 : 1+end], quoted: true}
	rest := strings.TrimLeftFunc(t[2+end:], unicode.IsSpace)
	if rest != "" && rest[0] != ',' {
		return shimArg{}, "", fmt.Errorf("%w: junk after string", errShimSyntax)
	}
	return a, rest, nil
}

// parseShimBasic parses a basic command at body[i]: a letter and an
// optional number (E0, V1, I, &W, &D1), an S-register (S0=2, S7?), or D
// with the rest of the line as its dial string.
func parseShimBasic(body string, i int, prefix string) (shimCmd, int, error) {
	if i >= len(body) || !isShimLetter(body[i]) {
		return shimCmd{}, 0, fmt.Errorf("%w: missing letter", errShimSyntax)
	}
	name := prefix + strings.ToUpper(body[i:i+1])
	i++
	if name == "D" {
		return shimCmd{name: name, op: shimSet, args: []shimArg{{val: body[i:]}}}, len(body), nil
	}
	j := i
	for j < len(body) && isShimDigit(body[j]) {
		j++
	}
	if name == "S" {
		if j == i {
			return shimCmd{}, 0, fmt.Errorf("%w: S without register", errShimSyntax)
		}
		c := shimCmd{name: "S" + body[i:j]}
		switch {
		case strings.HasPrefix(body[j:], "?"):
			c.op, j = shimRead, j+1
		case strings.HasPrefix(body[j:], "="):
			k := j + 1
			for k < len(body) && isShimDigit(body[k]) {
				k++
			}
			c.op, c.args, j = shimSet, []shimArg{{val: body[j+1 : k]}}, k
		}
		return c, j, nil
	}
	c := shimCmd{name: name}
	if j > i {
		c.args = []shimArg{{val: body[i:j]}}
	}
	return c, j, nil
}

// String formats c back as command text (without "AT"), so that parsing
// the result gives c again.
func (c shimCmd) String() string {
	var b strings.Builder
	b.WriteString(c.name)
	isExt := c.name != "" && !isShimLetter(c.name[0]) && c.name[0] != '&'
	switch c.op {
	case shimRead:
		b.WriteString("?")
	case shimTest:
		b.WriteString("=?")
	case shimSet:
		if isExt || c.name[0] == 'S' {
			b.WriteString("=")
			if len(c.args) > 0 && !c.args[0].quoted && strings.HasPrefix(c.args[0].val, "?") {
				b.WriteString(" ") // "= ?" is a parameter, "=?" the test form
			}
		}
	}
	for k, a := range c.args {
		if k > 0 {
			b.WriteString(",")
		}
		if a.quoted {
			b.WriteString(`"` + a.val + `"`)
		} else {
			b.WriteString(a.val)
		}
	}
	return b.String()
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

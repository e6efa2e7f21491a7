package at

import (
	"errors"
	"fmt"
	"strings"
)

var (
	errUnterminated = errors.New("unterminated string")
	errSyntax       = errors.New("syntax error")
)

// Body returns what follows the first "AT", in any case, in line, and
// whether there is one. Text before it is noise that V.250 §5.2.1 has the
// DCE ignore; a line without "AT" is not a command line.
func Body(line string) (string, bool) {
	for i := 0; i+1 < len(line); i++ {
		if line[i]|0x20 == 'a' && line[i+1]|0x20 == 't' {
			return line[i+2:], true
		}
	}
	return "", false
}

// ParseLine splits the body of a command line (the text after "AT") into
// its commands. Following V.250 §5.1 and §5.2, spaces outside strings
// are ignored and case is folded outside strings. D takes the rest of the
// line (§6.3.1); an extended command runs to the next ";" outside a
// string (§5.4.1); stray ";" between commands are skipped.
func ParseLine(body string) ([]Command, error) { return Syntax{}.ParseLine(body) }

// Syntax is what a modem's command line parser accepts beyond V.250. The
// zero value is V.250 as ParseLine reads it; each field is a departure
// that some modem's manuals or clients rely on.
type Syntax struct {
	// TypographicQuotes takes “ and ” (U+201C, U+201D) for '"', as the
	// Quectel M95 does; clients copy commands from its PDF manuals.
	TypographicQuotes bool
	// AmpersandEnds ends an extended command at an "&" outside a string
	// as well as at ";", so that a basic "&" command may follow without
	// a ";" (AT+IPR=115200&W in Quectel's manuals).
	AmpersandEnds bool
	// RawParameters keeps an extended command's parameters as typed,
	// from after the "=" to the command's end: in their case and with
	// their spaces, so that an unquoted APN, user name or host keeps its
	// case. "=?" is then the test form only without a space between, and
	// "= ?" a parameter "?".
	RawParameters bool
}

// ParseLine is the package's ParseLine with the departures in x.
func (x Syntax) ParseLine(body string) ([]Command, error) {
	if x.TypographicQuotes {
		body = typographicQuotes.Replace(body)
	}
	s, pos, err := normalise(body)
	if err != nil {
		return nil, fmt.Errorf("at: %w", err)
	}
	p := parser{Syntax: x, raw: body, norm: s, pos: pos}
	var cmds []Command
	for len(s) > 0 {
		var c Command
		switch {
		case s[0] == ';':
			s = s[1:]
			continue
		case s[0] == 'D':
			c, s = Command{Name: "D", Arg: s[1:]}, ""
		case strings.IndexByte(extendedPrefixes, s[0]) >= 0:
			c, s, err = p.parseExtended(s)
		default:
			c, s, err = parseBasic(s)
		}
		if err != nil {
			return nil, fmt.Errorf("at: %q: %w", body, err)
		}
		cmds = append(cmds, c)
	}
	return cmds, nil
}

var typographicQuotes = strings.NewReplacer("\u201c", `"`, "\u201d", `"`)

// parser reads one command line; norm is raw normalised, and pos[i] is
// where norm[i] came from in raw.
type parser struct {
	Syntax
	raw, norm string
	pos       []int
}

// rawIndex returns where s, a suffix of p.norm, starts in p.raw.
func (p *parser) rawIndex(s string) int {
	if s == "" {
		return len(p.raw)
	}
	return p.pos[len(p.norm)-len(s)]
}

// FormatLine is the inverse of ParseLine: it joins cmds into a command
// line body, with ";" after each extended command that is not the last.
func FormatLine(cmds []Command) string {
	var b strings.Builder
	for i, c := range cmds {
		b.WriteString(c.String())
		if c.Extended() && i < len(cmds)-1 {
			b.WriteByte(';')
		}
	}
	return b.String()
}

// normalise removes spaces and folds case outside double-quoted strings.
// It also returns, for each byte of the result, its index in body.
func normalise(body string) (string, []int, error) {
	var b strings.Builder
	pos := make([]int, 0, len(body))
	quoted := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ' ':
			continue
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
		pos = append(pos, i)
	}
	if quoted {
		return "", nil, errUnterminated
	}
	return b.String(), pos, nil
}

// parseBasic parses one basic command at the start of s: a letter, or
// "&" or "\" and a letter, then a number; S-parameters take "=value" or
// "?" (V.250 §5.3.1, §5.3.2).
func parseBasic(s string) (Command, string, error) {
	n := 1
	if s[0] == '&' || s[0] == '\\' {
		n = 2
	}
	if len(s) < n || !isLetter(s[n-1]) {
		return Command{}, "", errSyntax
	}
	c := Command{Name: s[:n]}
	s = s[n:]
	num, s := digits(s)
	if c.Name != "S" {
		c.Arg = num
		return c, s, nil
	}
	c.Name += num
	switch {
	case strings.HasPrefix(s, "?"):
		c.Op, s = Read, s[1:]
	case strings.HasPrefix(s, "="):
		c.Op = Set
		c.Arg, s = digits(s[1:])
	}
	return c, s, nil
}

// parseExtended parses one extended command at the start of s: a prefix,
// a name, then "=?", "=" with parameters, "?" or nothing, then ";" or the
// end of the line (V.250 §5.4).
func (p *parser) parseExtended(s string) (Command, string, error) {
	n := 1
	for n < len(s) && isNameChar(s[n]) {
		n++
	}
	if n == 1 {
		return Command{}, "", errSyntax
	}
	c := Command{Name: s[:n]}
	s = s[n:]
	switch {
	case strings.HasPrefix(s, "=?") && (!p.RawParameters || p.rawIndex(s[1:]) == p.rawIndex(s)+1):
		c.Op, s = Test, s[2:]
	case strings.HasPrefix(s, "="):
		c.Op = Set
		end := p.argEnd(s[1:])
		c.Arg = s[1 : 1+end]
		if p.RawParameters {
			c.Arg = p.raw[p.rawIndex(s)+1 : p.rawIndex(s[1+end:])]
		}
		s = s[1+end:]
	case strings.HasPrefix(s, "?"):
		c.Op, s = Read, s[1:]
	}
	if s != "" && s[0] != ';' && (!p.AmpersandEnds || s[0] != '&') {
		return Command{}, "", errSyntax
	}
	return c, s, nil
}

// argEnd returns the index of the first ";" (or, with AmpersandEnds,
// "&") outside a string in s, or len(s).
func (p *parser) argEnd(s string) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case (s[i] == ';' || s[i] == '&' && p.AmpersandEnds) && !quoted:
			return i
		}
	}
	return len(s)
}

func digits(s string) (num, rest string) {
	n := 0
	for n < len(s) && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return s[:n], s[n:]
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

// isNameChar reports whether c may appear in an extended command name
// (V.250 §5.4.1: A-Z, 0-9 and ! % - . / : _).
func isNameChar(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || strings.IndexByte("!%-./:_", c) >= 0
}

package sim

import (
	"errors"
	"strings"
)

// command is one command of an AT command line (ITU-T V.250 §5.3; 3GPP
// TS 27.007 §4.1): a basic command such as "E0", "&F", "S7=60" or
// "D*99#", or an extended command such as `+CGDCONT=1,"IP","internet"`.
type command struct {
	// name is the command in upper case: "E", "&F", "S7", "D", "+CREG".
	name string
	// op is "", "=", "?" or "=?" (basic commands use "=" and "?" only
	// for S-parameters).
	op string
	// arg is a basic command's number, an S-parameter's value, the dial
	// string of D, or the text after an extended command's "=". Quoted
	// strings keep their case; everything else is upper case.
	arg string
}

// String formats c as it appears on a command line.
func (c command) String() string { return c.name + c.op + c.arg }

// extended reports whether c is an extended command (V.250 §5.4.1).
func (c command) extended() bool {
	return c.name != "" && strings.ContainsRune(extendedPrefixes, rune(c.name[0]))
}

// extendedPrefixes start extended command names: "+" (V.250, 3GPP) and
// the vendor prefixes "^" (Huawei) and "$".
const extendedPrefixes = "+^$"

var (
	errUnterminated = errors.New("unterminated string")
	errSyntax       = errors.New("syntax error")
)

// parseCommandLine splits the body of a command line (the text after
// "AT") into its commands. Following V.250 §5.1, spaces outside strings
// are ignored and case is folded outside strings. D takes the rest of the
// line; an extended command runs to the next ";" outside a string; stray
// ";" between commands are skipped.
func parseCommandLine(body string) ([]command, error) {
	s, err := normalise(body)
	if err != nil {
		return nil, err
	}
	var cmds []command
	for len(s) > 0 {
		var c command
		switch {
		case s[0] == ';':
			s = s[1:]
			continue
		case s[0] == 'D':
			c, s = command{name: "D", arg: s[1:]}, ""
		case strings.IndexByte(extendedPrefixes, s[0]) >= 0:
			c, s, err = parseExtended(s)
		default:
			c, s, err = parseBasic(s)
		}
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, c)
	}
	return cmds, nil
}

// normalise removes spaces and folds case outside double-quoted strings.
func normalise(body string) (string, error) {
	var b strings.Builder
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
	}
	if quoted {
		return "", errUnterminated
	}
	return b.String(), nil
}

// parseBasic parses one basic command at the start of s: a letter, or
// "&", "\" or "%" and a letter, then a number; S-parameters take "=value"
// or "?" (V.250 §5.3.1, §5.3.2).
func parseBasic(s string) (command, string, error) {
	n := 1
	if strings.IndexByte(`&\%`, s[0]) >= 0 {
		n = 2
	}
	if len(s) < n || !isLetter(s[n-1]) {
		return command{}, "", errSyntax
	}
	c := command{name: s[:n]}
	s = s[n:]
	num, s := digits(s)
	if c.name != "S" {
		c.arg = num
		return c, s, nil
	}
	c.name += num
	switch {
	case strings.HasPrefix(s, "?"):
		c.op, s = "?", s[1:]
	case strings.HasPrefix(s, "="):
		c.op = "="
		c.arg, s = digits(s[1:])
	}
	return c, s, nil
}

// parseExtended parses one extended command at the start of s: a prefix,
// a name, then "=?", "=" with arguments, "?" or nothing, then ";" or the
// end of the line (V.250 §5.4).
func parseExtended(s string) (command, string, error) {
	n := 1
	for n < len(s) && isNameChar(s[n]) {
		n++
	}
	if n == 1 {
		return command{}, "", errSyntax
	}
	c := command{name: s[:n]}
	s = s[n:]
	switch {
	case strings.HasPrefix(s, "=?"):
		c.op, s = "=?", s[2:]
	case strings.HasPrefix(s, "="):
		c.op = "="
		end := argEnd(s[1:])
		c.arg, s = s[1:1+end], s[1+end:]
	case strings.HasPrefix(s, "?"):
		c.op, s = "?", s[1:]
	}
	if s != "" && s[0] != ';' {
		return command{}, "", errSyntax
	}
	return c, s, nil
}

// argEnd returns the index of the first ";" outside a string in s, or
// len(s).
func argEnd(s string) int {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ';' && !quoted:
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

// formatCommandLine is the inverse of parseCommandLine: it joins cmds
// into a command line body, with ";" after each extended command that is
// not the last.
func formatCommandLine(cmds []command) string {
	var b strings.Builder
	for i, c := range cmds {
		b.WriteString(c.String())
		if c.extended() && i < len(cmds)-1 {
			b.WriteByte(';')
		}
	}
	return b.String()
}

// unquote returns s without the double quotes around it, if any.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// splitArgs splits an extended command's arguments at the commas outside
// strings.
func splitArgs(s string) []string {
	var args []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ',' && !quoted:
			args = append(args, s[start:i])
			start = i + 1
		}
	}
	return append(args, s[start:])
}

package at

import "strings"

// Op is what follows an extended command's name (V.250 §5.4.2,
// §5.4.4) or an S-parameter's number (§5.3.2).
type Op string

// The command operations.
const (
	Action Op = ""   // execute: "+CSQ", "E0", "D*99#"
	Set    Op = "="  // set a parameter: "+CMEE=2", "S7=60"
	Read   Op = "?"  // read a parameter: "+CREG?", "S12?"
	Test   Op = "=?" // list the supported values: "+CREG=?"
)

// Command is one command of a command line (V.250 §5.3, §5.4; 3GPP TS
// 27.007 §4.1): a basic command such as "E0", "&F", "S7=60" or "D*99#",
// or an extended command such as `+CGDCONT=1,"IP","internet"`.
type Command struct {
	// Name is the command in upper case: "E", "&F", "S7", "D", "+CREG",
	// "#SD", "^SYSINFO".
	Name string
	// Op is the operation. Basic commands use Set and Read only for
	// S-parameters.
	Op Op
	// Arg is a basic command's number, an S-parameter's value, the dial
	// string of D, or the text after an extended command's "=". Quoted
	// strings keep their case; everything else is upper case, without
	// spaces, unless Syntax.RawParameters keeps the parameters as typed.
	Arg string
}

// String formats c as it appears on a command line.
func (c Command) String() string { return c.Name + string(c.Op) + c.Arg }

// Extended reports whether c is an extended command (V.250 §5.4.1) or a
// vendor's command with one of the prefixes "#", "$", "^" or "%".
func (c Command) Extended() bool {
	return c.Name != "" && strings.IndexByte(extendedPrefixes, c.Name[0]) >= 0
}

// extendedPrefixes start extended command names: "+" (V.250, 3GPP) and
// the vendor prefixes "#" (Telit, Wavecom), "$" (Sierra), "^" (Huawei)
// and "%" (Novatel).
const extendedPrefixes = "+#$^%"

// Args splits an extended command's Arg into its parameters at the commas
// outside strings (V.250 §5.4.2.1). Strings keep their quotes; Unquote
// removes them. An empty Arg is one empty parameter.
func (c Command) Args() []string { return SplitArgs(c.Arg) }

// SplitArgs splits a parameter list at the commas outside double-quoted
// strings.
func SplitArgs(s string) []string {
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

// Unquote returns s without the double quotes around it, if it has them.
// Parameters may be sent unquoted (some clients send
// AT+CGDCONT=1,IP,"apn"), so both forms are accepted.
func Unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

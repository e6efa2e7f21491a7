package at

import (
	"strconv"
	"strings"
)

// Result is a result code of V.250 §5.7.1, table 1, numbered as it is
// sent in numeric (ATV0) mode. All but Ring are final result codes.
type Result int

// The result codes.
const (
	OK         Result = 0
	Connect    Result = 1
	Ring       Result = 2
	NoCarrier  Result = 3
	Error      Result = 4
	NoDialtone Result = 6
	Busy       Result = 7
	NoAnswer   Result = 8
)

// String returns the verbose (ATV1) text of r, or "" for a number that is
// not a result code.
func (r Result) String() string {
	switch r {
	case OK:
		return "OK"
	case Connect:
		return "CONNECT"
	case Ring:
		return "RING"
	case NoCarrier:
		return "NO CARRIER"
	case Error:
		return "ERROR"
	case NoDialtone:
		return "NO DIALTONE"
	case Busy:
		return "BUSY"
	case NoAnswer:
		return "NO ANSWER"
	}
	return ""
}

// Error returns the verbose text, so that a command handler can end its
// command line with a result code: return at.NoCarrier.
func (r Result) Error() string { return r.String() }

// Final reports whether r ends a command (all codes but RING).
func (r Result) Final() bool { return r != Ring }

// Failed reports whether r is a final result code that means the
// command failed: NO CARRIER, ERROR, NO DIALTONE, BUSY, NO ANSWER.
func (r Result) Failed() bool { return r.Final() && r != OK && r != Connect }

// Final is a result code with the text that follows it in verbose mode,
// as in "CONNECT 115200" (V.250 §6.3.1 and §5.7.1). It is an error so
// that a command handler can end its command line with it.
type Final struct {
	Code Result
	Text string // after the code and a space; "" for none
}

// String returns the verbose form: "CONNECT 115200".
func (f Final) String() string {
	if f.Text == "" {
		return f.Code.String()
	}
	return f.Code.String() + " " + f.Text
}

// Error returns the verbose form.
func (f Final) Error() string { return f.String() }

// ParseResult recognises a verbose result code on a line a modem sent,
// without its line ends: "OK", "CONNECT", "CONNECT 115200", "NO CARRIER"
// and the others of table 1. "NO DIAL TONE", as some modems spell it,
// counts as NO DIALTONE. +CME ERROR and +CMS ERROR are not result codes of
// this table; see ParseError.
func ParseResult(line string) (Final, bool) {
	if line == "NO DIAL TONE" {
		return Final{Code: NoDialtone}, true
	}
	for _, r := range []Result{OK, Connect, Ring, NoCarrier, Error, NoDialtone, Busy, NoAnswer} {
		text := r.String()
		if line == text {
			return Final{Code: r}, true
		}
		if r == Connect && strings.HasPrefix(line, text+" ") {
			return Final{Code: r, Text: line[len(text)+1:]}, true
		}
	}
	return Final{}, false
}

// Formatter renders what a DCE sends to the DTE: information text, final
// result codes and unsolicited result codes (V.250 §5.7), in the form the
// DCE's settings select. The zero value is a DCE after ATV1 Q0 and
// AT+CMEE=0.
type Formatter struct {
	// Numeric sends result codes as numbers (ATV0): information text
	// ends with CR LF but has none before it, a result code is its
	// number and CR.
	Numeric bool
	// Quiet suppresses result codes (ATQ1); information text and
	// unsolicited result codes are still sent.
	Quiet bool
	// CMEE is the AT+CMEE mode (3GPP TS 27.007 §9.1): 0 reports a
	// *CMEError as ERROR, 1 as +CME ERROR: <code>, 2 as +CME ERROR:
	// <text>. +CMS ERROR is numeric but for mode 2.
	CMEE int
	// LineEnd frames each verbose line, before and after it; "" means
	// CR LF (S3, S4). A modem that sends CR only has "\r".
	LineEnd string
}

func (f Formatter) lineEnd() string {
	if f.LineEnd == "" {
		return "\r\n"
	}
	return f.LineEnd
}

// AppendInfo appends a line of information text, or an unsolicited
// result code, to b.
func (f Formatter) AppendInfo(b []byte, text string) []byte {
	le := f.lineEnd()
	if !f.Numeric {
		b = append(b, le...)
	}
	b = append(b, text...)
	return append(b, le...)
}

// AppendResult appends the final result code r to b, or nothing if
// Quiet.
func (f Formatter) AppendResult(b []byte, r Final) []byte {
	switch {
	case f.Quiet:
		return b
	case f.Numeric:
		b = strconv.AppendInt(b, int64(r.Code), 10)
		return append(b, '\r')
	}
	return f.AppendInfo(b, r.String())
}

// AppendError appends the final result code that err ends a command
// with: a Result or Final as it is, a *CMEError or *CMSError as CMEE
// selects, anything else as ERROR.
func (f Formatter) AppendError(b []byte, err error) []byte {
	text := ""
	switch e := err.(type) {
	case Result:
		return f.AppendResult(b, Final{Code: e})
	case Final:
		return f.AppendResult(b, e)
	case *CMEError:
		text = e.format(f.CMEE)
	case *CMSError:
		text = e.format(f.CMEE)
	}
	switch {
	case text == "":
		return f.AppendResult(b, Final{Code: Error})
	case f.Quiet:
		return b
	case f.Numeric:
		b = append(b, text...)
		return append(b, '\r')
	}
	return f.AppendInfo(b, text)
}

package dialer

import (
	"fmt"

	"github.com/gprsppp/gprsppp/at"
)

// Final result codes of ITU-T V.250 §5.7.1 and 3GPP TS 27.007 §9.2 that end
// a command without success, in verbose form (ATV1).
const (
	cmePrefix = "+CME ERROR:"
	cmsPrefix = "+CMS ERROR:"
)

// resultError returns the error a failing final result code stands for, or
// nil if line is not one: a success code (OK, CONNECT), an information
// line or a URC.
func resultError(line string) error {
	if r, ok := at.ParseResult(line); ok {
		switch r.Code {
		case at.NoCarrier:
			return ErrNoCarrier
		case at.Busy:
			return ErrBusy
		case at.NoDialtone:
			return ErrNoDialtone
		case at.NoAnswer:
			return ErrNoAnswer
		case at.Error:
			return ErrError
		}
		return nil
	}
	switch e, _ := at.ParseError(line); e := e.(type) {
	case *at.CMEError:
		return (*CMEError)(e)
	case *at.CMSError:
		return (*CMSError)(e)
	}
	return nil
}

// codeLine formats a +CME or +CMS ERROR the way a modem would send it:
// numeric when the text is the standard one, verbose otherwise. It inverts
// resultError.
func codeLine(prefix string, code int, text string, table func(int) string) string {
	if code >= 0 && text == table(code) {
		return fmt.Sprintf("%s %d", prefix, code)
	}
	return prefix + " " + text
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// abortError is the error of a line matched by an Abort whose Err is nil
// and that is not a standard result code.
type abortError struct{ line string }

func (e abortError) Error() string { return fmt.Sprintf("aborted on %q", e.line) }

package atcompat

import (
	"fmt"
	"strconv"
	"strings"
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
	switch line {
	case "NO CARRIER":
		return ErrNoCarrier
	case "BUSY":
		return ErrBusy
	case "NO DIALTONE", "NO DIAL TONE":
		return ErrNoDialtone
	case "NO ANSWER":
		return ErrNoAnswer
	case "ERROR":
		return ErrError
	}
	if rest, ok := strings.CutPrefix(line, cmePrefix); ok {
		code, text := parseCode(rest, cmeText)
		return &CMEError{Code: code, Text: text}
	}
	if rest, ok := strings.CutPrefix(line, cmsPrefix); ok {
		code, text := parseCode(rest, cmsText)
		return &CMSError{Code: code, Text: text}
	}
	return nil
}

// parseCode reads the <err> of a +CME or +CMS ERROR: a number (AT+CMEE=1),
// for which it returns the standard text, or a text (AT+CMEE=2), which it
// keeps and looks up the code of (-1 if it is not a standard text).
func parseCode(s string, table map[int]string) (int, string) {
	s = strings.TrimSpace(s)
	if isDigits(s) && len(s) <= 6 {
		code, _ := strconv.Atoi(s)
		return code, table[code]
	}
	for code, text := range table {
		if strings.EqualFold(text, s) {
			return code, s
		}
	}
	return -1, s
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

// codeLine formats a +CME or +CMS ERROR the way a modem would send it:
// numeric when the text is the standard one, verbose otherwise. It inverts
// parseCode.
func codeLine(prefix string, code int, text string, table map[int]string) string {
	if code >= 0 && text == table[code] {
		return fmt.Sprintf("%s %d", prefix, code)
	}
	return prefix + " " + text
}

// abortError is the error of a line matched by an Abort whose Err is nil
// and that is not a standard result code.
type abortError struct{ line string }

func (e abortError) Error() string { return fmt.Sprintf("aborted on %q", e.line) }

package at

import (
	"fmt"
	"strconv"
	"strings"
)

// CMEError is the final result code +CME ERROR: <err> of 3GPP TS 27.007
// §9.2, a mobile termination error. A command handler returns one to end
// its command line with it; a DTE gets one from ParseError.
type CMEError struct {
	// Code is the <err> number; -1 for a verbose text that is not a
	// standard one.
	Code int
	// Text is the verbose text: the standard one (CMEText) or, as a DTE
	// received it, the modem's own.
	Text string
}

// NewCMEError returns the error with code and its standard text.
func NewCMEError(code int) *CMEError { return &CMEError{Code: code, Text: CMEText(code)} }

// Error returns, for example, "CME error 10: SIM not inserted".
func (e *CMEError) Error() string { return formatCode("CME", e.Code, e.Text) }

func (e *CMEError) format(mode int) string { return resultText("+CME ERROR: ", mode, e.Code, e.Text) }

// CMSError is the final result code +CMS ERROR: <err> of 3GPP TS 27.005
// §3.2.5, a message service error, with Code and Text as in CMEError.
type CMSError struct {
	Code int
	Text string
}

// NewCMSError returns the error with code and its standard text.
func NewCMSError(code int) *CMSError { return &CMSError{Code: code, Text: CMSText(code)} }

// Error returns, for example, "CMS error 310: SIM not inserted".
func (e *CMSError) Error() string { return formatCode("CMS", e.Code, e.Text) }

func (e *CMSError) format(mode int) string {
	return resultText("+CMS ERROR: ", max(mode, 1), e.Code, e.Text)
}

// resultText is the result code line for an error in +CMEE mode: empty
// for mode 0 (plain ERROR), the number for 1, the text for 2 (the number
// if there is no text).
func resultText(prefix string, mode, code int, text string) string {
	switch {
	case mode <= 0:
		return ""
	case mode == 1 && code >= 0, text == "":
		return prefix + strconv.Itoa(code)
	}
	return prefix + text
}

func formatCode(kind string, code int, text string) string {
	switch {
	case code < 0:
		return fmt.Sprintf("%s error: %s", kind, text)
	case text == "":
		return fmt.Sprintf("%s error %d", kind, code)
	}
	return fmt.Sprintf("%s error %d: %s", kind, code, text)
}

// ParseError recognises +CME ERROR and +CMS ERROR on a line a modem
// sent, numeric or verbose. A verbose text gets the standard code, or -1.
func ParseError(line string) (error, bool) {
	if rest, ok := strings.CutPrefix(line, "+CME ERROR:"); ok {
		code, text := parseCode(strings.TrimSpace(rest), CMEText, cmeCode)
		return &CMEError{Code: code, Text: text}, true
	}
	if rest, ok := strings.CutPrefix(line, "+CMS ERROR:"); ok {
		code, text := parseCode(strings.TrimSpace(rest), CMSText, cmsCode)
		return &CMSError{Code: code, Text: text}, true
	}
	return nil, false
}

// parseCode reads an <err>: a number (AT+CMEE=1), for which it returns
// the standard text, or a text (AT+CMEE=2), which it keeps and looks up
// the code of.
func parseCode(s string, text func(int) string, code func(string) int) (int, string) {
	if s != "" && len(s) <= 6 && strings.Trim(s, "0123456789") == "" {
		n, _ := strconv.Atoi(s)
		return n, text(n)
	}
	return code(s), s
}

// cmeCode returns the standard code of a verbose +CME ERROR text, or -1.
func cmeCode(text string) int { return findCode(text, CMEText, 0, 800) }

// cmsCode returns the standard code of a verbose +CMS ERROR text, or -1.
func cmsCode(text string) int { return findCode(text, CMSText, 0, 600) }

func findCode(text string, table func(int) string, lo, hi int) int {
	for n := lo; n < hi; n++ {
		if t := table(n); t != "" && strings.EqualFold(t, text) {
			return n
		}
	}
	return -1
}

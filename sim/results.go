package sim

import (
	"fmt"
	"strings"
)

// result is a final result code (ITU-T V.250 §5.7.1, table 1), numbered
// as in numeric (V0) mode.
type result int

const (
	resultOK         result = 0
	resultConnect    result = 1
	resultNoCarrier  result = 3
	resultError      result = 4
	resultNoDialtone result = 6
	resultBusy       result = 7
	resultNoAnswer   result = 8
)

var resultText = map[result]string{
	resultOK:         "OK",
	resultConnect:    "CONNECT",
	resultNoCarrier:  "NO CARRIER",
	resultError:      "ERROR",
	resultNoDialtone: "NO DIALTONE",
	resultBusy:       "BUSY",
	resultNoAnswer:   "NO ANSWER",
}

// parseDialResult maps ModemConfig.DialResult to a result code.
func parseDialResult(s string) result {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return resultConnect
	}
	for r, text := range resultText {
		if text == s && r != resultOK {
			return r
		}
	}
	return resultError
}

// Mobile termination error codes (3GPP TS 27.007 §9.2.1).
const (
	cmeNotAllowed    = 3
	cmeNotSupported  = 4
	cmeNoSIM         = 10
	cmeSIMPIN        = 11
	cmeSIMPUK        = 12
	cmeSIMFailure    = 13
	cmeWrongPassword = 16
	cmeBadParameters = 50
)

var cmeText = map[int]string{
	cmeNotAllowed:    "operation not allowed",
	cmeNotSupported:  "operation not supported",
	cmeNoSIM:         "SIM not inserted",
	cmeSIMPIN:        "SIM PIN required",
	cmeSIMPUK:        "SIM PUK required",
	cmeSIMFailure:    "SIM failure",
	cmeWrongPassword: "incorrect password",
	cmeBadParameters: "incorrect parameters",
}

// reply is how a command ended: resultOK lets the command line go on,
// anything else ends it with that final result code.
type reply struct {
	code result
	// cme, with resultError, is the +CME ERROR code; 0 means a plain
	// ERROR.
	cme int
}

var (
	replyOK    = reply{}
	replyError = reply{code: resultError}
)

func cmeError(n int) reply { return reply{code: resultError, cme: n} }

// info queues a line of information text (V.250 §5.7.1).
func (d *dce) info(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	if d.verbose {
		d.out = append(d.out, "\r\n"+text+"\r\n"...)
	} else {
		d.out = append(d.out, text+"\r\n"...)
	}
}

// result queues a final result code, unless Q1 silenced them.
func (d *dce) result(r result) { d.final(reply{code: r}) }

// final queues the final result code of r: verbose text framed by CR LF
// (V1) or the number and CR (V0); +CME ERROR as AT+CMEE selects.
func (d *dce) final(r reply) {
	if d.quiet {
		return
	}
	var text string
	switch {
	case r.code == resultError && r.cme > 0 && d.cmee == 1:
		text = fmt.Sprintf("+CME ERROR: %d", r.cme)
	case r.code == resultError && r.cme > 0 && d.cmee == 2:
		text = "+CME ERROR: " + cmeText[r.cme]
	case !d.verbose:
		d.out = fmt.Appendf(d.out, "%d\r", int(r.code))
		return
	case r.code == resultConnect:
		text = "CONNECT " + d.m.cfg.ConnectSpeed
	default:
		text = resultText[r.code]
	}
	if d.verbose {
		d.out = append(d.out, "\r\n"+text+"\r\n"...)
	} else {
		d.out = append(d.out, text+"\r"...)
	}
}

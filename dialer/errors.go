package dialer

import (
	"errors"
	"fmt"

	"github.com/gprsppp/gprsppp/at"
)

// Reasons a step fails. Dial, Hangup and WatchCarrier wrap them (usually in
// a *StepError); test with errors.Is.
var (
	// ErrNoCarrier: the modem answered NO CARRIER, or reported it in the
	// data stream after the connection ended (WatchCarrier).
	ErrNoCarrier = errors.New("no carrier")
	// ErrBusy: the modem answered BUSY.
	ErrBusy = errors.New("busy")
	// ErrNoDialtone: the modem answered NO DIALTONE.
	ErrNoDialtone = errors.New("no dialtone")
	// ErrNoAnswer: the modem answered NO ANSWER.
	ErrNoAnswer = errors.New("no answer")
	// ErrError: the modem answered ERROR (a command it does not support or
	// whose parameters it rejects, with extended errors off).
	ErrError = errors.New("modem answered ERROR")
	// ErrTimeout: the modem sent no expected answer in time.
	ErrTimeout = errors.New("timeout")
	// ErrSIM matches every SIM problem that takes a person to solve: no
	// SIM, a PIN needed and none configured, a PIN the SIM rejected, a
	// SIM blocked by its PUK, a PIN with only its last attempt left.
	// errors.Is(err, ErrSIM) holds for ErrSIMPIN, ErrSIMPUK and
	// ErrSIMNotInserted (and the +CME and +CMS ERRORs they stand for) as
	// well. Redialling does not help, and with a wrong PIN it would use
	// up the SIM's attempts.
	ErrSIM = errors.New("SIM problem")
	// ErrSIMPIN: the SIM needs its PIN and DialConfig.PIN is empty, or the
	// modem reported +CME ERROR: 11.
	ErrSIMPIN error = &simError{msg: "SIM PIN required"}
	// ErrSIMPUK: the SIM is blocked and needs its PUK, which Dial never
	// sends (+CPIN: SIM PUK or +CME ERROR: 12).
	ErrSIMPUK error = &simError{msg: "SIM PUK required"}
	// ErrSIMNotInserted: the modem reports no SIM (+CME ERROR: 10).
	ErrSIMNotInserted error = &simError{msg: "SIM not inserted"}
	// ErrNotRegistered: the network denied registration, or the modem did
	// not register within DialConfig.RegistrationTimeout.
	ErrNotRegistered = errors.New("not registered")
	// ErrRegistrationDenied: the network denied registration (<stat> 3).
	// Errors matching it match ErrNotRegistered too.
	ErrRegistrationDenied = errors.New("registration denied")
)

// simError is a SIM problem: it matches ErrSIM, and wraps its cause, if
// any. It reads "msg: cause; advice".
type simError struct {
	msg    string
	cause  error
	advice string
}

func (e *simError) Error() string {
	s := e.msg
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	if e.advice != "" {
		s += "; " + e.advice
	}
	return s
}

func (e *simError) Unwrap() error { return e.cause }

func (e *simError) Is(target error) bool { return target == ErrSIM }

// StepError reports the step of a script that failed, with the command it
// sent. Secrets in the command (the SIM PIN) are shown as "****".
type StepError struct {
	Step    string // name of the step: "sync", "pin", "register", "apn", "dial", ...
	Command string // command as sent, without CR; empty for a step that only waits
	Err     error  // why: one of the Err* sentinels, a *CMEError, a *CMSError, a context or I/O error
}

// Error returns, for example, "dialer: step dial (ATD*99***1#): no carrier".
func (e *StepError) Error() string {
	if e.Command == "" {
		return fmt.Sprintf("dialer: step %s: %v", e.Step, e.Err)
	}
	return fmt.Sprintf("dialer: step %s (%s): %v", e.Step, e.Command, e.Err)
}

// Unwrap returns e.Err.
func (e *StepError) Unwrap() error { return e.Err }

// CMEError is the final result code +CME ERROR: <err> of 3GPP TS 27.007
// §9.2, a mobile equipment or network error. With AT+CMEE=1 the modem
// sends a number and Text is the standard text for it ("" for codes not in
// the table); with AT+CMEE=2 it sends text, which is kept in Text, and Code
// is the standard code for that text, or -1 if the text is not a standard
// one.
//
// errors.Is(err, ErrSIMNotInserted) holds for code 10, ErrSIMPIN for 11 and
// ErrSIMPUK for 12, and errors.Is(err, ErrSIM) for all three.
type CMEError struct {
	Code int
	Text string
}

// Error returns, for example, "CME error 10: SIM not inserted".
func (e *CMEError) Error() string { return (*at.CMEError)(e).Error() }

// Is maps the SIM codes to the package's sentinels.
func (e *CMEError) Is(target error) bool {
	switch target {
	case ErrSIMNotInserted:
		return e.Code == 10
	case ErrSIMPIN:
		return e.Code == 11
	case ErrSIMPUK:
		return e.Code == 12
	case ErrSIM:
		return 10 <= e.Code && e.Code <= 12
	}
	return false
}

// CMSError is the final result code +CMS ERROR: <err> of 3GPP TS 27.005
// §3.2.5, a message service error, with Code and Text as in CMEError.
//
// errors.Is(err, ErrSIMNotInserted) holds for code 310, ErrSIMPIN for 311
// and ErrSIMPUK for 316, and errors.Is(err, ErrSIM) for all three.
type CMSError struct {
	Code int
	Text string
}

// Error returns, for example, "CMS error 310: SIM not inserted".
func (e *CMSError) Error() string { return (*at.CMSError)(e).Error() }

// Is maps the SIM codes to the package's sentinels.
func (e *CMSError) Is(target error) bool {
	switch target {
	case ErrSIMNotInserted:
		return e.Code == 310
	case ErrSIMPIN:
		return e.Code == 311
	case ErrSIMPUK:
		return e.Code == 316
	case ErrSIM:
		return e.Code == 310 || e.Code == 311 || e.Code == 316
	}
	return false
}

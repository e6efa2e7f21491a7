package main

import (
	"errors"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
)

// Exit codes, as documented in the command's help.
const (
	exitUsage    = 1
	exitDevice   = 2
	exitDial     = 3
	exitPPP      = 4
	exitAuth     = 5
	exitEnded    = 6
	exitListen   = 7
	exitGaveUp   = 8
	exitSIM      = 9
	exitInternal = 1
)

// exitError carries an exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exit(code int, err error) error { return &exitError{code: code, err: err} }

// classify maps why a dial or a link failed to an exit status.
func classify(err error) int {
	var step *dialer.StepError
	switch {
	case errors.Is(err, gprsppp.ErrSIM): // even after --maxfail dials: say what to fix
		return exitSIM
	case errors.Is(err, gprsppp.ErrMaxFail):
		return exitGaveUp
	case errors.As(err, new(*deviceError)):
		return exitDevice
	case errors.As(err, &step):
		return exitDial
	case errors.Is(err, gprsppp.ErrAuthFailed):
		return exitAuth
	case errors.Is(err, gprsppp.ErrNegotiation), errors.Is(err, gprsppp.ErrLoopback):
		return exitPPP
	}
	return exitEnded
}

// deviceError is a failure to open the modem's line, whatever its cause
// (missing, busy, not a terminal, a refused tcp:// address).
type deviceError struct{ err error }

func (e *deviceError) Error() string { return e.err.Error() }
func (e *deviceError) Unwrap() error { return e.err }

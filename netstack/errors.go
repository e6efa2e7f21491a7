package netstack

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// errnoOf maps the gVisor errors a socket user may branch on to the
// errno the kernel would return, so callers can write
// errors.Is(err, syscall.ECONNREFUSED) exactly as with the net package.
func errnoOf(err tcpip.Error) (syscall.Errno, bool) {
	switch err.(type) {
	case *tcpip.ErrConnectionRefused:
		return syscall.ECONNREFUSED, true
	case *tcpip.ErrConnectionReset:
		return syscall.ECONNRESET, true
	case *tcpip.ErrConnectionAborted, *tcpip.ErrAborted:
		return syscall.ECONNABORTED, true
	case *tcpip.ErrTimeout:
		return syscall.ETIMEDOUT, true
	case *tcpip.ErrPortInUse:
		return syscall.EADDRINUSE, true
	case *tcpip.ErrBadLocalAddress:
		return syscall.EADDRNOTAVAIL, true
	case *tcpip.ErrHostUnreachable:
		return syscall.EHOSTUNREACH, true
	case *tcpip.ErrNetworkUnreachable, *tcpip.ErrNoNet:
		return syscall.ENETUNREACH, true
	case *tcpip.ErrClosedForSend:
		return syscall.EPIPE, true
	case *tcpip.ErrNotConnected:
		return syscall.ENOTCONN, true
	case *tcpip.ErrMessageTooLong:
		return syscall.EMSGSIZE, true
	case *tcpip.ErrNoBufferSpace:
		return syscall.ENOBUFS, true
	case *tcpip.ErrNoPortAvailable:
		return syscall.EAGAIN, true
	case *tcpip.ErrNotPermitted:
		return syscall.EPERM, true
	case *tcpip.ErrAlreadyBound, *tcpip.ErrInvalidEndpointState, *tcpip.ErrBadAddress:
		return syscall.EINVAL, true
	}
	return 0, false
}

// convertError turns a gVisor error into a Go error; tcpip.Error values
// never leave this package. Known conditions become a syscall.Errno, the
// rest keep gVisor's message under the package prefix.
func convertError(err tcpip.Error) error {
	if err == nil {
		return nil
	}
	if errno, ok := errnoOf(err); ok {
		return errno
	}
	return fmt.Errorf("netstack: %s", err)
}

// gonetErrnos maps the messages of gVisor's errors to their errno.
// gonet reports data-path failures as errors.New(tcpipErr.String()), which
// loses the type; this table recovers it for the conditions in errnoOf.
var gonetErrnos = func() map[string]syscall.Errno {
	all := []tcpip.Error{
		&tcpip.ErrConnectionRefused{}, &tcpip.ErrConnectionReset{},
		&tcpip.ErrConnectionAborted{}, &tcpip.ErrAborted{}, &tcpip.ErrTimeout{},
		&tcpip.ErrHostUnreachable{}, &tcpip.ErrNetworkUnreachable{},
		&tcpip.ErrNoNet{}, &tcpip.ErrClosedForSend{}, &tcpip.ErrNotConnected{},
		&tcpip.ErrMessageTooLong{}, &tcpip.ErrNoBufferSpace{},
		&tcpip.ErrInvalidEndpointState{}, &tcpip.ErrBadAddress{},
	}
	m := make(map[string]syscall.Errno, len(all))
	for _, e := range all {
		errno, _ := errnoOf(e)
		m[e.String()] = errno
	}
	return m
}()

// fixOpError rewrites the message-only error inside a *net.OpError from
// gonet into the matching errno; other errors pass through unchanged.
func fixOpError(err error) error {
	var op *net.OpError
	if !errors.As(err, &op) || op.Err == nil {
		return err
	}
	if errno, ok := gonetErrnos[op.Err.Error()]; ok {
		op.Err = errno
	}
	return err
}

// LinkDownError is the error of a socket that failed because its link
// went down (Stack.CloseWithError). Errors.Is matches both the socket's
// own error (syscall.ECONNABORTED, ...) and the link's reason.
type LinkDownError struct {
	Err    error // the socket's error, as without the reason
	Reason error // why the link went down
}

func (e *LinkDownError) Error() string {
	return fmt.Sprintf("link down (%v): %v", e.Reason, e.Err)
}

// Unwrap returns both errors, for errors.Is and errors.As.
func (e *LinkDownError) Unwrap() []error { return []error{e.Err, e.Reason} }

// linkDown adds the reason the link went down to a socket error seen
// after CloseWithError.
func (s *Stack) linkDown(err error) error {
	if s.ctx.Err() == nil || s.downReason == nil {
		return err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		if _, done := op.Err.(*LinkDownError); !done {
			op.Err = &LinkDownError{Err: op.Err, Reason: s.downReason}
		}
		return err
	}
	if errors.Is(err, io.EOF) {
		return err // an orderly end of stream stays one
	}
	return &LinkDownError{Err: err, Reason: s.downReason}
}

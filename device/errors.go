package device

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"

	"go.bug.st/serial"
)

// Errors that Open wraps, so that callers can tell the common failures
// apart (for example, to retry while a USB modem re-enumerates).
var (
	// ErrNotFound means the device does not exist (a wrong name, or a
	// USB modem that is unplugged or still enumerating).
	ErrNotFound = errors.New("no such device")
	// ErrBusy means another program holds the device exclusively
	// (ModemManager, pppd, minicom, another gprsppp).
	ErrBusy = errors.New("in use by another program")
	// ErrPermission means the user may not open the device.
	ErrPermission = errors.New("permission denied")
)

// openError is an error from opening a device: a readable message that
// matches both the kind (one of the sentinels above, or syscall.ENOTTY) and
// the underlying cause.
type openError struct {
	msg   string
	kind  error
	cause error
}

func (e *openError) Error() string   { return e.msg }
func (e *openError) Unwrap() []error { return []error{e.kind, e.cause} }

// notFound, busy, denied and notTTY build the errors Open returns for the
// common failures on path (lockBusy, in lock.go, is the other kind of
// busy). notTTY takes what path is instead ("a directory"), or "" if that
// is unknown.
func notFound(path string, cause error) error {
	return &openError{fmt.Sprintf("device %s: %v", path, ErrNotFound), ErrNotFound, cause}
}

// busy is for EBUSY, which a tty another program opened with TIOCEXCL
// answers.
func busy(path string, cause error) error {
	msg := fmt.Sprintf("device %s is %v, which opened it exclusively; fuser -v %[1]s names it", path, ErrBusy)
	return &openError{msg, ErrBusy, cause}
}

func denied(path string, cause error) error {
	msg := fmt.Sprintf("device %s: %v; add your user to the %s group: sudo usermod -aG %[3]s $USER, then log in again",
		path, ErrPermission, deviceGroup(path))
	return &openError{msg, ErrPermission, cause}
}

func notTTY(path, what string, cause error) error {
	msg := fmt.Sprintf("device %s is %s, not a serial port", path, what)
	if what == "" {
		msg = fmt.Sprintf("device %s is not a serial port (not a terminal)", path)
	}
	return &openError{msg, syscall.ENOTTY, cause}
}

// openErr explains err, returned by os.OpenFile or serial.Open for path.
func openErr(path string, err error) error {
	// *serial.PortError, matched by its method so tests can fake it.
	var pe interface{ Code() serial.PortErrorCode }
	if errors.As(err, &pe) {
		switch pe.Code() {
		case serial.PortNotFound:
			return notFound(path, err)
		case serial.PortBusy:
			return busy(path, err)
		case serial.PermissionDenied:
			return denied(path, err)
		}
		return fmt.Errorf("device %s: %w", path, err)
	}
	switch {
	// ENXIO and ENODEV: the node exists but no hardware answers behind it.
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENXIO), errors.Is(err, syscall.ENODEV):
		return notFound(path, err)
	case errors.Is(err, syscall.EBUSY):
		return busy(path, err)
	case errors.Is(err, fs.ErrPermission):
		return denied(path, err)
	case errors.Is(err, syscall.EISDIR):
		return notTTY(path, "a directory", err)
	case errors.Is(err, syscall.ENOTTY):
		return notTTY(path, "", err)
	}
	return fmt.Errorf("device %s: %w", path, err)
}

// checkFile rejects paths that cannot be a serial port before anything
// opens them: opening a FIFO or a socket would misbehave or fail obscurely.
func checkFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return openErr(path, err)
	}
	switch m := fi.Mode(); {
	case m.IsDir():
		return notTTY(path, "a directory", syscall.ENOTTY)
	case m.IsRegular():
		return notTTY(path, "a regular file", syscall.ENOTTY)
	case m&fs.ModeSocket != 0:
		return &openError{fmt.Sprintf("device %s is a unix socket; use unix:%[1]s", path), syscall.ENOTTY, syscall.ENOTTY}
	case m&fs.ModeNamedPipe != 0:
		return notTTY(path, "a named pipe", syscall.ENOTTY)
	}
	return nil
}

// deviceGroup names the group that owns path, which is the group a user must
// join to open it: dialout on Debian and Fedora, uucp on Arch.
func deviceGroup(path string) string {
	const fallback = "dialout"
	fi, err := os.Stat(path)
	if err != nil {
		return fallback
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Gid == 0 {
		return fallback
	}
	g, err := user.LookupGroupId(strconv.FormatUint(uint64(st.Gid), 10))
	if err != nil {
		return fallback
	}
	return g.Name
}

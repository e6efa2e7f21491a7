// Package rawtty prepares pseudo-terminal ends for carrying binary data:
// raw mode (cfmakeraw(3) plus no software flow control and no modem
// control) and non-blocking descriptors the Go runtime polls, so that
// Close unblocks a pending Read.
package rawtty

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Pollable returns a non-blocking duplicate of f that the Go runtime
// polls, and closes f.
func Pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("dup %s: %w", f.Name(), err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("set %s non-blocking: %w", f.Name(), err)
	}
	// os.NewFile registers a non-blocking descriptor with the poller.
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// MakeRaw sets the terminal f to raw mode like cfmakeraw(3), and also
// turns off software flow control and modem-control signals.
func MakeRaw(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("raw %s: %w", f.Name(), err)
	}
	var terr error
	err = rc.Control(func(fd uintptr) {
		var tio *unix.Termios
		tio, terr = unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if terr != nil {
			return
		}
		tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP |
			unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF | unix.IXANY
		tio.Oflag &^= unix.OPOST
		tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		tio.Cflag &^= unix.CSIZE | unix.PARENB
		tio.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL
		tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
		terr = unix.IoctlSetTermios(int(fd), unix.TCSETS, tio)
	})
	if err == nil {
		err = terr
	}
	if err != nil {
		return fmt.Errorf("raw %s: %w", f.Name(), err)
	}
	return nil
}

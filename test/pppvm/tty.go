package pppvm

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// openSerial opens the tty at path as a modem's serial port: raw, 8 bits,
// no echo or flow control, stale input discarded. The descriptor is
// non-blocking and run by the Go poller, so deadlines work and Close
// unblocks a pending Read.
func openSerial(path string) (*os.File, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := makeRaw(fd); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("raw mode: %w", err)
	}
	if err := unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("flush: %w", err)
	}
	return os.NewFile(uintptr(fd), path), nil
}

// makeRaw sets the tty fd to raw mode like cfmakeraw(3), and also turns
// off software flow control and modem-control signals. (ppptest has the
// same few lines; a shared package for them would be a wider seam than the
// copy.)
func makeRaw(fd int) error {
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP |
		unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF | unix.IXANY
	tio.Oflag &^= unix.OPOST
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	tio.Cflag &^= unix.CSIZE | unix.PARENB
	tio.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL
	tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, tio)
}

// line is the serial port in data mode. Read first returns bytes that
// arrived with the CONNECT line, then reads the port.
type line struct {
	f       *os.File
	pending []byte // read by the dialogue after CONNECT; owned by Read
}

func (l *line) Read(p []byte) (int, error) {
	if len(l.pending) > 0 {
		n := copy(p, l.pending)
		l.pending = l.pending[n:]
		return n, nil
	}
	n, err := l.f.Read(p)
	if errors.Is(err, syscall.EIO) { // the VM's end of the pty is gone
		err = io.EOF
	}
	return n, err
}

func (l *line) Write(p []byte) (int, error) { return l.f.Write(p) }

// Close closes the port; it is idempotent.
func (l *line) Close() error {
	if err := l.f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return err
	}
	return nil
}

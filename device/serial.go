package device

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.bug.st/serial"
	"golang.org/x/sys/unix"
)

// serialPort is a serial device or pty slave opened through go.bug.st/serial.
//
// It holds two descriptors for the tty. sp is the library's: it does
// the line settings, exclusive access (TIOCEXCL), DTR, DCD and flushing.
// ctl is opened first, before TIOCEXCL shuts out further opens; it is
// non-blocking and run by the Go poller. The library has no switch for
// RTS/CTS (it forces CRTSCTS off), so ctl sets it. Reads and Writes go
// through ctl: the library's Write blocks in write(2), where Close cannot
// reach it (with RTS/CTS on and CTS never raised it would hang forever),
// and its Read adds a select(2) to every read(2) and takes a deadline
// only on entry, where the poller takes one at any time.
type serialPort struct {
	path string
	sp   serial.Port
	ctl  *os.File
	lock *lockFile // nil without a lock file
	log  *slog.Logger

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var (
	_ Port         = (*serialPort)(nil)
	_ ModemControl = (*serialPort)(nil)
	_ OutputQueuer = (*serialPort)(nil)
	_ InputQueuer  = (*serialPort)(nil)
)

// InputQueued implements InputQueuer: the octets the tty holds for
// reading.
func (p *serialPort) InputQueued() (int, error) {
	if p.closed.Load() {
		return 0, p.opErr("read input queue", net.ErrClosed)
	}
	var n int
	err := control(p.ctl, func(fd int) (err error) {
		n, err = unix.IoctlGetInt(fd, ioctlInQ)
		return err
	})
	if err != nil {
		return 0, p.opErr("read input queue", err)
	}
	return n, nil
}

// OutputQueued implements OutputQueuer: the octets the tty driver holds
// for the line.
func (p *serialPort) OutputQueued() (int, error) {
	if p.closed.Load() {
		return 0, p.opErr("read output queue", net.ErrClosed)
	}
	var n int
	err := control(p.ctl, func(fd int) (err error) {
		n, err = unix.IoctlGetInt(fd, ioctlOutQ)
		return err
	})
	if err != nil {
		return 0, p.opErr("read output queue", err)
	}
	return n, nil
}

// openSerial opens the serial device or pty slave at path.
func openSerial(ctx context.Context, path string, opt Options, mode *serial.Mode) (Port, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("device %s: %w", path, err)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	// The lock file comes first, as in pppd, so that a port in use is
	// reported with its holder's PID rather than as EBUSY.
	lock, err := lockDevice(path, opt)
	if err != nil {
		return nil, err
	}
	ctl, sp, err := openTTY(path, mode)
	if err != nil {
		lock.release()
		return nil, err
	}
	p := &serialPort{path: path, sp: sp, ctl: ctl, lock: lock, log: opt.logger()}
	if opt.RTSCTS {
		if err := p.setRTSCTS(); err != nil {
			p.Close()
			return nil, err
		}
	}
	p.log.Debug("device: opened serial port", "path", path, "baud", mode.BaudRate,
		"databits", mode.DataBits, "parity", opt.Parity, "stopbits", opt.StopBits, "rtscts", opt.RTSCTS)
	return p, nil
}

// openTTY opens the two descriptors of a serialPort. The library's open
// sets TIOCEXCL, after which a further open(2) of the tty fails with EBUSY
// (reported as ErrBusy) for any user but root, who is let through; the
// lock file covers root.
func openTTY(path string, mode *serial.Mode) (*os.File, serial.Port, error) {
	// O_NONBLOCK: do not wait for carrier, and let the Go poller run ctl.
	ctl, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, openErr(path, err)
	}
	if _, err := getTermios(ctl); err != nil {
		ctl.Close()
		return nil, nil, openErr(path, err)
	}
	sp, err := serial.Open(path, mode)
	if err != nil {
		ctl.Close()
		return nil, nil, openErr(path, err)
	}
	return ctl, sp, nil
}

// setRTSCTS turns on hardware flow control and checks that the driver kept
// it: tcsetattr succeeds even when some settings were not applied.
func (p *serialPort) setRTSCTS() error {
	t, err := getTermios(p.ctl)
	if err == nil {
		t.Cflag |= unix.CRTSCTS
		err = setTermios(p.ctl, t)
	}
	if err == nil {
		t, err = getTermios(p.ctl)
	}
	if err != nil {
		return fmt.Errorf("device %s: set RTS/CTS flow control: %w", p.path, err)
	}
	if t.Cflag&unix.CRTSCTS == 0 {
		return fmt.Errorf("device %s: the driver does not support RTS/CTS flow control: %w", p.path, errors.ErrUnsupported)
	}
	return nil
}

// Read reads through ctl, run by the Go poller: one read(2) for what
// the tty holds while data flows (the library's Read adds a select(2)
// to each), the read deadline and Close handled by the poller.
func (p *serialPort) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	if p.closed.Load() {
		return 0, p.opErr("read", net.ErrClosed)
	}
	n, err := p.ctl.Read(b)
	if err != nil {
		return n, p.readErr(err)
	}
	return n, nil
}

// readErr translates an error from Read.
func (p *serialPort) readErr(err error) error {
	if p.closed.Load() {
		return p.opErr("read", net.ErrClosed)
	}
	if errors.Is(err, io.EOF) {
		// The read came back empty: the device is gone.
		return io.EOF
	}
	if errors.Is(err, syscall.EIO) {
		// A hangup: the modem was unplugged or the pty master closed.
		return io.EOF
	}
	return p.opErr("read", err)
}

// Write writes through ctl (see serialPort).
func (p *serialPort) Write(b []byte) (int, error) {
	n, err := p.ctl.Write(b)
	if err != nil {
		if p.closed.Load() || errors.Is(err, os.ErrClosed) {
			err = net.ErrClosed
		}
		return n, p.opErr("write", err)
	}
	return n, nil
}

// SetReadDeadline implements Port.
func (p *serialPort) SetReadDeadline(t time.Time) error {
	if p.closed.Load() {
		return p.opErr("set deadline", net.ErrClosed)
	}
	if err := p.ctl.SetReadDeadline(t); err != nil {
		return p.opErr("set deadline", err)
	}
	return nil
}

// Close closes the library's descriptor, then ctl, which wakes a pending
// Read or Write.
// The last close drops DTR. Then it removes the lock file, if it still
// names this process. Close is idempotent.
func (p *serialPort) Close() error {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		err := errors.Join(p.sp.Close(), p.ctl.Close(), p.lock.release())
		if err != nil {
			p.closeErr = p.opErr("close", err)
		}
		p.log.Debug("device: closed serial port", "path", p.path, "err", err)
	})
	return p.closeErr
}

// SetDTR implements ModemControl. On a pty it fails with an error matching
// errors.ErrUnsupported.
func (p *serialPort) SetDTR(on bool) error {
	if p.closed.Load() {
		return p.opErr("set DTR", net.ErrClosed)
	}
	if err := p.sp.SetDTR(on); err != nil {
		return p.controlErr("set DTR", err)
	}
	return nil
}

// Carrier implements ModemControl. On a pty it fails with an error matching
// errors.ErrUnsupported; callers treat that as "carrier unknown".
func (p *serialPort) Carrier() (bool, error) {
	if p.closed.Load() {
		return false, p.opErr("read DCD", net.ErrClosed)
	}
	bits, err := p.sp.GetModemStatusBits()
	if err != nil {
		return false, p.controlErr("read DCD", err)
	}
	return bits.DCD, nil
}

// controlErr translates an error from a modem-control ioctl. Ptys have no
// control lines and answer ENOTTY; some USB serial drivers answer EINVAL.
func (p *serialPort) controlErr(op string, err error) error {
	if errors.Is(err, syscall.ENOTTY) || errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("device: %s %s: no modem control lines (%v): %w", op, p.path, err, errors.ErrUnsupported)
	}
	return p.opErr(op, err)
}

// resetInput discards what the tty has received but nobody has read.
func (p *serialPort) resetInput() error {
	if p.closed.Load() {
		return p.opErr("reset input", net.ErrClosed)
	}
	if err := p.sp.ResetInputBuffer(); err != nil {
		return p.opErr("reset input", err)
	}
	return nil
}

func (p *serialPort) opErr(op string, err error) error {
	return fmt.Errorf("device: %s %s: %w", op, p.path, err)
}

// getTermios and setTermios read and write f's terminal settings.
func getTermios(f *os.File) (*unix.Termios, error) {
	var t *unix.Termios
	err := control(f, func(fd int) (err error) {
		t, err = unix.IoctlGetTermios(fd, ioctlGetTermios)
		return err
	})
	return t, err
}

func setTermios(f *os.File, t *unix.Termios) error {
	return control(f, func(fd int) error { return unix.IoctlSetTermios(fd, ioctlSetTermios, t) })
}

// control runs fn on f's descriptor, which stays open meanwhile.
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

package device

import (
	"fmt"
	"log/slog"

	"go.bug.st/serial"
)

// Options configures the line. The serial settings apply to serial ports
// only: sockets carry bytes to a far end (ser2net, an emulator) that sets up
// its own line, so for them the settings are validated and then ignored.
type Options struct {
	// Baud is the line speed in bits per second, from 50 to 4000000;
	// rates without a standard termios constant are set through Linux's
	// BOTHER. Zero means 115200. USB modems ignore it, but the UART of a
	// modem module needs the rate it was configured for.
	Baud int
	// DataBits is the character size, 5 to 8. Zero means 8, which PPP
	// requires.
	DataBits int
	// Parity is "none", "even" or "odd". Empty means "none".
	Parity string
	// StopBits is 1 or 2. Zero means 1.
	StopBits int
	// RTSCTS turns on RTS/CTS hardware flow control. False (the zero
	// value) leaves flow control off, as go.bug.st/serial sets it.
	RTSCTS bool
	// LockDir is the directory for the UUCP lock file (LCK..ttyUSB2) that
	// marks a serial port as in use, as pppd's "lock" option does. Empty
	// means the GPRSPPP_LOCK_DIR environment variable if set, else
	// /var/lock or, failing that, /run/lock; where the default directory
	// cannot be written (an ordinary user on some systems) the port is
	// opened without a lock file. A directory given here or in the
	// environment must be writable. "-" turns lock files off. Sockets and
	// TCP lines take no lock file: they are not local ttys.
	LockDir string
	// Logger receives debug records about opening and closing the line.
	// Nil means silent.
	Logger *slog.Logger
}

// Defaults for the zero values of Options.
const (
	defaultBaud     = 115200
	defaultDataBits = 8
	defaultStopBits = 1
	minBaud         = 50
	maxBaud         = 4000000
)

// mode checks o and returns it as a go.bug.st/serial mode, zero values
// replaced by their defaults.
func (o Options) mode() (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: o.Baud, DataBits: o.DataBits}
	if m.BaudRate == 0 {
		m.BaudRate = defaultBaud
	}
	if m.BaudRate < minBaud || m.BaudRate > maxBaud {
		return nil, fmt.Errorf("device: baud rate %d out of range %d to %d", o.Baud, minBaud, maxBaud)
	}
	if m.DataBits == 0 {
		m.DataBits = defaultDataBits
	}
	if m.DataBits < 5 || m.DataBits > 8 {
		return nil, fmt.Errorf("device: %d data bits: want 5, 6, 7 or 8", o.DataBits)
	}
	switch o.Parity {
	case "", "none":
		m.Parity = serial.NoParity
	case "even":
		m.Parity = serial.EvenParity
	case "odd":
		m.Parity = serial.OddParity
	default:
		return nil, fmt.Errorf("device: parity %q: want none, even or odd", o.Parity)
	}
	switch o.StopBits {
	case 0, 1:
		m.StopBits = serial.OneStopBit
	case 2:
		m.StopBits = serial.TwoStopBits
	default:
		return nil, fmt.Errorf("device: %d stop bits: want 1 or 2", o.StopBits)
	}
	return m, nil
}

// logger returns o.Logger, or a logger that discards everything.
func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

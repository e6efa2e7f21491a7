package device

import (
	"io"
	"time"
)

// Port is an open line to a modem: a serial port, a pty, a unix socket or
// a raw TCP connection (ser2net).
type Port interface {
	io.ReadWriteCloser
	// SetReadDeadline bounds pending and future Reads; the zero time
	// removes the bound. A Read past the deadline returns an error for
	// which errors.Is(err, os.ErrDeadlineExceeded) holds.
	SetReadDeadline(t time.Time) error
}

// OutputQueuer is implemented by ports that tell how many octets they
// have accepted but not sent yet (TIOCOUTQ): a serial port's driver
// queues a few KiB, seconds of a slow line, that a writer would rather
// keep in a queue of its own where it can manage them.
type OutputQueuer interface {
	OutputQueued() (int, error)
}

// InputQueuer is implemented by ports that tell how many received
// octets wait to be read (FIONREAD, alias TIOCINQ), so that a reader
// can tell whether what it read is all there is for now.
type InputQueuer interface {
	InputQueued() (int, error)
}

// ModemControl is implemented by ports with modem control lines: real
// serial ports (not ptys, sockets or TCP).
type ModemControl interface {
	// SetDTR raises or drops Data Terminal Ready; dropping it makes most
	// modems hang up.
	SetDTR(on bool) error
	// Carrier reports Data Carrier Detect.
	Carrier() (bool, error)
}

package atcompat

import (
	"io"
	"time"
)

// Line is the byte stream to a modem that the dialer drives: any
// device.Port satisfies it.
type Line interface {
	io.ReadWriter
	// SetReadDeadline bounds Reads; the zero time removes the bound. A
	// Read past the deadline fails with an error for which
	// errors.Is(err, os.ErrDeadlineExceeded) holds.
	SetReadDeadline(t time.Time) error
}

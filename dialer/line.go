package dialer

import (
	"io"
	"time"
)

// Line is the byte stream to a modem that the dialer drives: any
// device.Port satisfies it.
type Line interface {
	io.ReadWriter
	// SetReadDeadline bounds pending and future Reads; the zero time
	// removes the bound. A Read past the deadline fails with an error for
	// which errors.Is(err, os.ErrDeadlineExceeded) holds. Dial and Hangup
	// call it from another goroutine to interrupt a Read when their
	// context is cancelled, so it must be safe to call concurrently with
	// Read.
	SetReadDeadline(t time.Time) error
}

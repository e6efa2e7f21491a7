package dialer

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ErrCarrierLost reports that the modem dropped Data Carrier Detect.
var ErrCarrierLost = errors.New("modem: carrier lost (DCD low)")

// Port is what an OnlineLine needs of a modem's port: its bytes, and a
// read deadline to unblock a pending Read when the line is given up.
type Port interface {
	io.ReadWriter
	SetReadDeadline(t time.Time) error
}

// CarrierDetector is implemented by ports that can read the modem's Data
// Carrier Detect (serial ports; not ptys or sockets).
type CarrierDetector interface {
	Carrier() (bool, error)
}

// OnlineLine is the data-mode view of a modem's port after Dial's
// CONNECT, for PPP to run on. Its Close only stops PPP's use of the
// line: the port stays open so that the modem can be hung up afterwards
// (Hangup). WatchDCD fails it when the modem drops its carrier.
type OnlineLine struct {
	port   Port
	closed atomic.Bool
	mu     sync.Mutex
	err    error // why the line failed, reported by Read
}

// NewOnlineLine returns the data-mode view of port.
func NewOnlineLine(port Port) *OnlineLine { return &OnlineLine{port: port} }

// Read reads the port, or fails with the reason the line was given up.
func (m *OnlineLine) Read(p []byte) (int, error) {
	if err := m.failure(); err != nil {
		return 0, err
	}
	n, err := m.port.Read(p)
	if ferr := m.failure(); ferr != nil {
		return n, ferr
	}
	return n, err
}

// Write writes the port until the line is given up.
func (m *OnlineLine) Write(p []byte) (int, error) {
	if err := m.failure(); err != nil {
		return 0, err
	}
	return m.port.Write(p)
}

// OutputQueued reports the octets the port holds unsent, where it
// tells them (device.OutputQueuer); else it fails with
// errors.ErrUnsupported.
func (m *OnlineLine) OutputQueued() (int, error) { return outputQueued(m.port) }

// outputQueued asks line for the octets it holds unsent, where it tells
// them (device.OutputQueuer); else it fails with errors.ErrUnsupported.
func outputQueued(line any) (int, error) {
	if q, ok := line.(interface{ OutputQueued() (int, error) }); ok {
		return q.OutputQueued()
	}
	return 0, errors.ErrUnsupported
}

// InputQueued reports the octets the port holds for reading, where it
// tells them (device.InputQueuer); else it fails with
// errors.ErrUnsupported.
func (m *OnlineLine) InputQueued() (int, error) { return inputQueued(m.port) }

// inputQueued asks line for the octets it holds for reading, or fails
// with errors.ErrUnsupported if it cannot tell.
func inputQueued(line any) (int, error) {
	if q, ok := line.(interface{ InputQueued() (int, error) }); ok {
		return q.InputQueued()
	}
	return 0, errors.ErrUnsupported
}

// Close makes pending and later Reads and Writes fail; the port stays
// open.
func (m *OnlineLine) Close() error {
	m.fail(net.ErrClosed)
	return nil
}

// fail ends the line's use with err, unblocking a pending Read.
func (m *OnlineLine) fail(err error) {
	m.mu.Lock()
	if m.err == nil {
		m.err = err
	}
	m.mu.Unlock()
	m.closed.Store(true)
	m.port.SetReadDeadline(time.Now())
}

func (m *OnlineLine) failure() error {
	if !m.closed.Load() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// WatchDCD polls Data Carrier Detect every interval and fails the line
// with ErrCarrierLost when it drops, until done is closed. Ports whose
// carrier cannot be read (no CarrierDetector, or a modem that does not
// drive DCD) are not watched.
func (m *OnlineLine) WatchDCD(done <-chan struct{}, interval time.Duration) {
	cd, ok := m.port.(CarrierDetector)
	if !ok {
		return
	}
	if up, err := cd.Carrier(); err != nil || !up {
		return // unknown, or a modem that does not drive DCD
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if up, err := cd.Carrier(); err == nil && !up {
				m.fail(fmt.Errorf("%w", ErrCarrierLost))
				return
			}
		}
	}
}

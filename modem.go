package gprsppp

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gprsppp/gprsppp/device"
)

// ErrCarrierLost reports that the modem dropped Data Carrier Detect.
var ErrCarrierLost = errors.New("modem: carrier lost (DCD low)")

// modemLine is the data-mode view of a modem's port handed to PPP. Its
// Close only stops PPP's use of the line: the port stays open so that
// the Link can hang the modem up afterwards.
type modemLine struct {
	port   device.Port
	closed atomic.Bool
	mu     sync.Mutex
	err    error // why the line failed, reported by Read
}

func (m *modemLine) Read(p []byte) (int, error) {
	if err := m.failure(); err != nil {
		return 0, err
	}
	n, err := m.port.Read(p)
	if ferr := m.failure(); ferr != nil {
		return n, ferr
	}
	return n, err
}

func (m *modemLine) Write(p []byte) (int, error) {
	if err := m.failure(); err != nil {
		return 0, err
	}
	return m.port.Write(p)
}

// Close makes pending and later Reads and Writes fail.
func (m *modemLine) Close() error {
	m.fail(net.ErrClosed)
	return nil
}

// fail ends the line's use with err, unblocking a pending Read.
func (m *modemLine) fail(err error) {
	m.mu.Lock()
	if m.err == nil {
		m.err = err
	}
	m.mu.Unlock()
	m.closed.Store(true)
	m.port.SetReadDeadline(time.Now())
}

func (m *modemLine) failure() error {
	if !m.closed.Load() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// watchDCD polls Data Carrier Detect every interval and fails the line
// when it drops, until done is closed. Ports whose carrier cannot be
// read (ptys, sockets) are not watched.
func (m *modemLine) watchDCD(done <-chan struct{}, interval time.Duration) {
	mc, ok := m.port.(device.ModemControl)
	if !ok {
		return
	}
	if up, err := mc.Carrier(); err != nil || !up {
		return // unknown, or a modem that does not drive DCD
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if up, err := mc.Carrier(); err == nil && !up {
				m.fail(fmt.Errorf("%w", ErrCarrierLost))
				return
			}
		}
	}
}

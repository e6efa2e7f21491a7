package shim_test

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// TestTinyGSMStallsOnOldNotices shows why the shim re-announces data
// after a partial AT+QIRD and caps what it announces: TinyGSM's drivers,
// modelled octet for octet, against a module that announces data as the
// shim used to (once when a connection's buffer becomes non-empty; under
// AT+QINDI=2 again only once everything announced was read, with the
// whole 64 KiB buffer as <tlen>) stop reading for good while the
// connection still holds data: the M95 driver after the 1500 octets it
// takes a +QIRDI for, the MC60 driver on a <tlen> its int16_t reads as
// negative. With the shim's present notices, the same module and drivers
// read everything.
func TestTinyGSMStallsOnOldNotices(t *testing.T) {
	const total = 128 << 10
	for _, tc := range []struct {
		name        string
		mc60, old   bool
		wantStalled bool
	}{
		{"M95 old", false, true, true},
		{"MC60 old", true, true, true},
		{"M95", false, false, false},
		{"MC60", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dce, dte := ppptest.Pipe()
			m := &noticeModule{rw: dce, indi: 1, old: tc.old, pattern: sim.Pattern(total), left: total}
			if tc.mc60 {
				m.indi = 2
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				m.serve()
			}()
			h := newHost(t, dte)
			t.Cleanup(func() {
				dce.Close()
				h.close()
				<-done
			})
			c := newTinyGSM(t, h, tc.mc60)
			c.rxBuffer = 1024
			c.sock[0].connected = true // connect() done
			// A stalled download never resumes here: nothing else
			// will come, so a short patience tells.
			data, stalled := c.download(0, 4096, 2*time.Second)
			if stalled != tc.wantStalled {
				t.Fatalf("stalled = %v after %d of %d octets (%v)", stalled, len(data), total, c.seen)
			}
			if !stalled {
				if !bytesEqualPattern(data, total) {
					t.Fatalf("read %d octets, not the %d of the pattern (%v)", len(data), total, c.seen)
				}
				return
			}
			// The reason, as the drivers see it.
			switch {
			case tc.mc60 && c.seen.dropped == 0:
				t.Errorf("stalled without ignoring a notice (%v)", c.seen)
			case !tc.mc60 && (c.seen.notices != 1 || c.seen.exhausted != 1):
				t.Errorf("stalled, but not after one notice's 1500 octets (%v)", c.seen)
			}
			t.Logf("stalled after %d of %d octets: %v", len(data), total, c.seen)
		})
	}
}

func bytesEqualPattern(b []byte, n int) bool {
	return len(b) == n && string(b) == string(sim.Pattern(n))
}

// noticeModule is a module with one connection (QIMUX=1, index 0) whose
// data arrives from a network much faster than the host: after every
// command the buffer is topped up with whole 1460-octet packets to the
// shim's 64 KiB, until left octets of sim.Pattern have arrived. It
// answers AT+QIRD=0,1,0,<n> and AT+QISTATE=1,0 (state 2 while open) and
// announces data under AT+QINDI=1 or 2, as the shim used to with old, or
// as it does now.
type noticeModule struct {
	rw   io.ReadWriter
	indi int
	old  bool

	pattern   []byte // what arrives, in order
	left      int    // octets still to arrive
	rx        [][]byte
	rxLen     int
	notified  bool
	announced int // old QINDI=2: octets announced and not yet read
}

const (
	noticePacket = 1460
	noticeBuffer = 64 << 10
)

func (m *noticeModule) serve() {
	in := bufio.NewReader(m.rw)
	m.arrive(noticePacket) // the first packet: the buffer becomes non-empty
	m.rw.Write([]byte(m.notice()))
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		out := m.command(strings.TrimSpace(line))
		m.arrive(noticeBuffer)
		if _, err := m.rw.Write([]byte(out + m.notice())); err != nil {
			return
		}
	}
}

func (m *noticeModule) command(line string) string {
	switch {
	case line == "AT+QISTATE=1,0":
		if m.left == 0 && m.rxLen == 0 {
			return "\r\nOK\r\n" // closed: no line
		}
		return "\r\n+QISTATE: 0,\"TCP\",\"10.64.64.1\",80,5087,2,1,0,0,\"uart1\"\r\n\r\nOK\r\n"
	case strings.HasPrefix(line, "AT+QIRD=0,1,0,"):
		n, err := strconv.Atoi(strings.TrimPrefix(line, "AT+QIRD=0,1,0,"))
		if err != nil || n < 1 || n > 1500 {
			return "\r\nERROR\r\n"
		}
		if m.rxLen == 0 {
			return "\r\nOK\r\n"
		}
		data := m.take(n)
		if !m.old {
			m.notified = false // announced again after the OK
		}
		return fmt.Sprintf("\r\n+QIRD: 10.64.64.1:80,TCP,%d\r\n%s\r\nOK\r\n", len(data), data)
	}
	return "\r\nERROR\r\n"
}

// arrive tops the buffer up to limit with whole packets.
func (m *noticeModule) arrive(limit int) {
	for m.left > 0 && m.rxLen+min(noticePacket, m.left) <= limit {
		k := min(noticePacket, m.left)
		off := len(m.pattern) - m.left
		m.rx = append(m.rx, m.pattern[off:off+k])
		m.left, m.rxLen = m.left-k, m.rxLen+k
	}
}

func (m *noticeModule) take(n int) []byte {
	var out []byte
	for len(m.rx) > 0 && len(out) < n {
		k := min(n-len(out), len(m.rx[0]))
		out = append(out, m.rx[0][:k]...)
		m.rx[0] = m.rx[0][k:]
		if len(m.rx[0]) == 0 {
			m.rx = m.rx[1:]
		}
	}
	m.rxLen -= len(out)
	m.announced = max(m.announced-len(out), 0)
	if m.rxLen == 0 {
		m.notified = false
	}
	return out
}

// notice is the +QIRDI due after a command, if any.
func (m *noticeModule) notice() string {
	if m.rxLen == 0 {
		return ""
	}
	if m.old && m.indi == 2 {
		// The old shim: a notice once all announced octets were read,
		// with the whole buffer.
		if m.announced > 0 {
			return ""
		}
		m.announced = m.rxLen
		return fmt.Sprintf("\r\n+QIRDI: 0,1,0,%d,%d,%d\r\n", len(m.rx), len(m.rx[len(m.rx)-1]), m.rxLen)
	}
	if m.notified {
		return ""
	}
	m.notified = true
	if m.indi == 1 {
		return "\r\n+QIRDI: 0,1,0\r\n"
	}
	// Now: no more than a module's 25 KiB.
	num, last, total := 0, 0, 0
	for _, p := range m.rx {
		if total == 25<<10 {
			break
		}
		last = min(len(p), 25<<10-total)
		num++
		total += last
	}
	return fmt.Sprintf("\r\n+QIRDI: 0,1,0,%d,%d,%d\r\n", num, last, total)
}

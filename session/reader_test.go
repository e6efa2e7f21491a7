package session

import (
	"io"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// inputLine is a line that tells as many octets waiting to be read as
// the test sets.
type inputLine struct {
	io.ReadWriteCloser
	queued atomic.Int64
}

func (l *inputLine) InputQueued() (int, error) { return int(l.queued.Load()), nil }

// udpPacket returns an IPv4 UDP packet of n octets (header checksum not
// set: the session does not look).
func udpPacket(n int) []byte {
	p := make([]byte, n)
	p[0], p[2], p[3], p[8], p[9] = 0x45, byte(n>>8), byte(n), 64, 17
	copy(p[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
	return p
}

// TestReaderFlushesWhenLineDrained checks when the reader ends a run of
// IP packets (SetIPFlush): not while the line says it holds more, and
// at once after a short read or once it holds nothing.
func TestReaderFlushesWhenLineDrained(t *testing.T) {
	a, b := ppptest.Pipe()
	line := &inputLine{ReadWriteCloser: a}
	client := Start(line, Config{})
	network := Start(b, Config{Role: RoleNetwork,
		LocalAddr: netip.MustParseAddr("10.0.0.1"), PeerAddr: netip.MustParseAddr("10.0.0.2")})
	t.Cleanup(func() {
		network.Close()
		client.Close()
	})
	waitFor(t, client.Up(), "link up")
	waitFor(t, network.Up(), "network side up")
	events := make(chan string, 16)
	client.SetIPFlush(func() { events <- "flush" })
	client.SetIPHandler(func(pkt []byte) { events <- "packet" })
	send := func(n int) {
		t.Helper()
		if err := network.WriteIPv4(udpPacket(n)); err != nil {
			t.Fatal(err)
		}
	}
	next := func() string {
		t.Helper()
		select {
		case e := <-events:
			return e
		case <-time.After(10 * time.Second):
			t.Fatal("nothing from the reader within 10 s")
			return ""
		}
	}
	expect := func(want ...string) {
		t.Helper()
		for _, w := range want {
			if got := next(); got != w {
				t.Fatalf("reader: %s, want %s", got, w)
			}
		}
	}

	// A drained line: each packet is flushed at once.
	send(1000)
	expect("packet", "flush")

	// The line holds more: the packet waits for the next read.
	line.queued.Store(1)
	send(1000)
	expect("packet")
	line.queued.Store(0)
	send(1000)
	expect("packet", "flush")

	// A short read says the line has no more, whatever it tells.
	line.queued.Store(1)
	send(100)
	expect("packet", "flush")

	// And the reader flushes after flushAfter octets, even while the
	// line holds more: one packet at a time, a flush shows before the
	// packet after it.
	for i := range flushAfter/1000 + 2 {
		send(1000)
		if e := next(); e == "flush" {
			if i*1000 < flushAfter-1000 {
				t.Errorf("flushed after %d packets of 1000 octets, before %d octets", i, flushAfter)
			}
			expect("packet")
			return
		} else if e != "packet" {
			t.Fatalf("reader: %s, want packet", e)
		}
	}
	t.Errorf("no flush in %d octets read while the line held more", flushAfter+2000)
}

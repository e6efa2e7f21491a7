package shim_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/sim"
)

func TestTinyGSMM95(t *testing.T) {
	st := newStack(t)
	c := newTinyGSM(t, st.startShim(t, shimOptions{}), false)
	c.bringUp(st)
	t.Run("echo", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(0, gwAddr.String(), 7) {
			t.Fatal("connect to the echo service failed")
		}
		c.echo(t, 0, 1, 23, 64, 65, 1000, 1460)
		c.stop(0, 75*time.Second)
	})
	t.Run("http", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(1, gwAddr.String(), 80) {
			t.Fatal("connect to the web server failed")
		}
		req := "GET / HTTP/1.0\r\nHost: " + hostName + "\r\n\r\n"
		if n := c.write(1, []byte(req)); n != len(req) {
			t.Fatalf("write = %d", n)
		}
		data, stalled := c.download(1, 512, 20*time.Second)
		resp := string(data)
		if stalled || !strings.HasPrefix(resp, "HTTP/1.0 200 OK\r\n") || !strings.Contains(resp, "hello from the gprsppp simulated network") {
			t.Fatalf("response %q (stalled %v)", resp, stalled)
		}
		c.stop(1, 75*time.Second)
	})
	// More than one +QIRDI's 1500 octets, through the default 64-octet
	// FIFO.
	t.Run("source 16KB", func(t *testing.T) {
		defer c.use(t)()
		c.source(t, 2, 16<<10)
	})
	t.Run("disconnect", func(t *testing.T) {
		defer c.use(t)()
		if !c.gprsDisconnect() {
			t.Fatal("AT+QIDEACT: no DEACT OK")
		}
	})
}

// TinyGSM's connected() asks AT+QISTATE=1,<n> whenever nothing is
// buffered; the shim answers it by default.
func TestTinyGSMM95Connected(t *testing.T) {
	st := newStack(t)
	c := newTinyGSM(t, st.startShim(t, shimOptions{}), false)
	c.pace = tinyMaintain // TinyGSM's own pace: a short dialogue
	c.bringUp(st)
	if !c.connect(0, gwAddr.String(), oncePort) {
		t.Fatal("connect failed")
	}
	if !c.connected(0) {
		t.Fatal("connected() = false on an open connection with nothing received")
	}
	msg := []byte("once\n")
	c.write(0, msg)
	if got := c.readFull(0, len(msg), 20*time.Second); !bytes.Equal(got, msg) {
		t.Fatalf("got %q", got)
	}
	deadline := time.Now().Add(20 * time.Second)
	for c.connected(0) {
		if time.Now().After(deadline) {
			t.Fatal("connected() still true 20 s after the server closed")
		}
	}
	c.stop(0, 75*time.Second)
}

func TestTinyGSMMC60(t *testing.T) {
	st := newStack(t)
	c := newTinyGSM(t, st.startShim(t, shimOptions{}), true)
	c.bringUp(st)
	for _, host := range []string{gwAddr.String(), hostName} {
		t.Run("echo "+host, func(t *testing.T) {
			defer c.use(t)()
			if !c.connect(0, host, 7) {
				t.Fatalf("connect to %s:7 failed", host)
			}
			c.echo(t, 0, 5, 300, 1460)
			c.stop(0, 75*time.Second)
		})
	}
	t.Run("source 16KB", func(t *testing.T) {
		defer c.use(t)()
		c.source(t, 3, 16<<10)
	})
	if !c.gprsDisconnect() {
		t.Fatal("AT+QIDEACT: no DEACT OK")
	}
}

// TestTinyGSMDownload fetches the simulator's 4 MiB /pattern.bin over
// HTTP with each driver and the shim's default settings, as TinyGSM's
// FileDownload example does (TINY_GSM_RX_BUFFER 1024), and checks it
// byte for byte. The network fills the shim's 64 KiB buffer far faster
// than the driver reads it, so the M95 driver's 1500 octets per +QIRDI
// and the MC60 driver's 16-bit <tlen> are both put to the test.
func TestTinyGSMDownload(t *testing.T) {
	for _, tc := range []struct {
		name string
		mc60 bool
	}{{"M95", false}, {"MC60", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStack(t)
			c := newTinyGSM(t, st.startShim(t, shimOptions{}), tc.mc60)
			c.rxBuffer = 1024
			c.bringUp(st)
			if !c.connect(0, gwAddr.String(), 80) {
				t.Fatal("connect to the web server failed")
			}
			req := "GET /pattern.bin HTTP/1.0\r\nHost: " + hostName + "\r\n\r\n"
			if n := c.write(0, []byte(req)); n != len(req) {
				t.Fatalf("write = %d", n)
			}
			start := time.Now()
			data, stalled := c.download(0, 4096, 30*time.Second)
			if stalled {
				t.Fatalf("stalled after %d octets (%v): %s", len(data), c.seen, c.h.tail())
			}
			checkPatternResponse(t, data, 4<<20)
			t.Logf("%d octets in %v: %v", len(data), time.Since(start).Round(time.Millisecond), c.seen)
			if c.seen.dropped > 0 {
				t.Errorf("the driver ignored %d notices", c.seen.dropped)
			}
			c.stop(0, 75*time.Second)
		})
	}
}

// echo sends the pattern in messages of each size to the echo service on
// connection mux and reads each back with AT+QIRD.
func (c *tinyGSM) echo(t *testing.T, mux int, sizes ...int) {
	t.Helper()
	for _, size := range sizes {
		msg := sim.Pattern(size)
		if n := c.write(mux, msg); n != size {
			t.Fatalf("write %d bytes = %d", size, n)
		}
		if got := c.readFull(mux, size, 20*time.Second); !bytes.Equal(got, msg) {
			t.Fatalf("echo of %d bytes differs", size)
		}
	}
}

// source asks the test's pattern source for size octets on connection
// mux, checks them, and closes the connection.
func (c *tinyGSM) source(t *testing.T, mux, size int) {
	t.Helper()
	if !c.connect(mux, gwAddr.String(), sourcePort) {
		t.Fatal("connect to the source failed")
	}
	c.write(mux, []byte(strconv.Itoa(size)+"\n"))
	got, stalled := c.download(mux, 1024, 30*time.Second)
	if stalled || !bytes.Equal(got, sim.Pattern(size)) {
		t.Fatalf("got %d octets, not the %d of the pattern (stalled %v; %v)", len(got), size, stalled, c.seen)
	}
	c.stop(mux, 75*time.Second)
}

package shim_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/sim"
)

// tinyClient is a model of one of TinyGSM's LTE-era drivers (BG96,
// SIM800) as a sketch sees it: GsmClient's connect, write, read,
// connected and stop on mux numbers, and gprsDisconnect.
type tinyClient interface {
	use(t *testing.T) (restore func())
	connect(mux int, host string, port int) bool
	write(mux int, p []byte) int
	read(mux, size int) []byte
	connected(mux int) bool
	stop(mux int)
	gprsDisconnect() bool
	// host is the host end the model talks through.
	host() *host
	// counts describes what the model saw, for failure messages.
	counts() string
}

// tinyReadFull reads n octets the way a sketch calling client.read(buf,
// n) in a loop does.
func tinyReadFull(t *testing.T, c tinyClient, mux, n int, timeout time.Duration) []byte {
	t.Helper()
	var out []byte
	deadline := time.Now().Add(timeout)
	for len(out) < n {
		if time.Now().After(deadline) {
			t.Fatalf("read %d of %d octets in %v (%s): %s", len(out), n, timeout, c.counts(), c.host().tail())
		}
		b := c.read(mux, n-len(out))
		if len(b) == 0 {
			c.host().idle(10 * time.Millisecond)
		}
		out = append(out, b...)
	}
	return out
}

// tinyDownload is a sketch's loop: client.read(buf, bufSize) while
// client.connected(). It reports a stall when nothing came for patience
// while connected() said the connection was still up.
func tinyDownload(c tinyClient, mux, bufSize int, patience time.Duration) (data []byte, stalled bool) {
	last := time.Now()
	for {
		if b := c.read(mux, bufSize); len(b) > 0 {
			data = append(data, b...)
			last = time.Now()
			continue
		}
		if !c.connected(mux) {
			return data, false
		}
		if time.Since(last) > patience {
			return data, true
		}
		c.host().idle(10 * time.Millisecond)
	}
}

// tinySketch is what differs between drivers in runTinySketch.
type tinySketch struct {
	// moduleText is the module's own words, put inside binary data that
	// must pass through untouched.
	moduleText string
	// otherMux is the second socket of "two sockets" (beside 4).
	otherMux int
	// disconnect names gprsDisconnect's commands, for its failure.
	disconnect string
}

// runTinySketch runs the GsmClient sketches every driver model must pass:
// echo of 1 to 1460 octets, every octet value through a connection opened
// by name, an HTTP request, a server that closes after its answer, two
// sockets at once, and gprsDisconnect.
func runTinySketch(t *testing.T, c tinyClient, sk tinySketch) {
	t.Run("echo", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(0, gwAddr.String(), 7) {
			t.Fatalf("connect to the echo service failed: %s", c.host().tail())
		}
		for _, size := range []int{1, 23, 64, 65, 1000, 1460} {
			msg := sim.Pattern(size)
			if n := c.write(0, msg); n != size {
				t.Fatalf("write %d octets = %d: %s", size, n, c.host().tail())
			}
			if got := tinyReadFull(t, c, 0, size, 20*time.Second); !bytes.Equal(got, msg) {
				t.Fatalf("echo of %d octets differs", size)
			}
		}
		if !c.connected(0) {
			t.Error("connected() = false on the open echo connection")
		}
		c.stop(0)
	})
	// Every octet value, 0x00 and 0x80-0xff included, which TinyGSM's
	// waitResponse would skip but its FIFO takes as they come, with the
	// module's own words inside the data.
	t.Run("binary echo", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(3, hostName, 7) {
			t.Fatal("connect to the echo service by name failed")
		}
		msg := make([]byte, 1460)
		for i := range msg {
			msg[i] = byte(255 - i%256)
		}
		copy(msg, sk.moduleText)
		for range 3 {
			if n := c.write(3, msg); n != len(msg) {
				t.Fatalf("write = %d: %s", n, c.host().tail())
			}
			if got := tinyReadFull(t, c, 3, len(msg), 20*time.Second); !bytes.Equal(got, msg) {
				t.Fatalf("binary echo differs")
			}
		}
		c.stop(3)
	})
	t.Run("http", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(1, gwAddr.String(), 80) {
			t.Fatal("connect to the web server failed")
		}
		req := "GET / HTTP/1.0\r\nHost: " + hostName + "\r\nConnection: close\r\n\r\n"
		if n := c.write(1, []byte(req)); n != len(req) {
			t.Fatalf("write = %d", n)
		}
		data, stalled := tinyDownload(c, 1, 512, 20*time.Second)
		resp := string(data)
		if stalled || !strings.HasPrefix(resp, "HTTP/1.0 200 OK\r\n") || !strings.Contains(resp, "hello from the gprsppp simulated network") {
			t.Fatalf("response %q (stalled %v)", resp, stalled)
		}
		c.stop(1)
	})
	// The server closes after its echo: connected() stays true while
	// data is buffered, then turns false by the module's close notice or
	// its state query.
	t.Run("remote close", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(2, gwAddr.String(), oncePort) {
			t.Fatal("connect failed")
		}
		msg := []byte("once\n")
		c.write(2, msg)
		if got := tinyReadFull(t, c, 2, len(msg), 20*time.Second); !bytes.Equal(got, msg) {
			t.Fatalf("got %q", got)
		}
		deadline := time.Now().Add(20 * time.Second)
		for c.connected(2) {
			if time.Now().After(deadline) {
				t.Fatalf("connected() still true 20 s after the server closed: %s", c.host().tail())
			}
			c.host().idle(10 * time.Millisecond)
		}
		c.stop(2)
	})
	t.Run("two sockets", func(t *testing.T) {
		defer c.use(t)()
		o := sk.otherMux
		if !c.connect(4, gwAddr.String(), 7) || !c.connect(o, gwAddr.String(), 7) {
			t.Fatal("connect failed")
		}
		a, b := []byte("to socket four"), []byte("and to the other socket")
		c.write(4, a)
		c.write(o, b)
		if got := tinyReadFull(t, c, o, len(b), 20*time.Second); !bytes.Equal(got, b) {
			t.Fatalf("socket %d got %q", o, got)
		}
		if got := tinyReadFull(t, c, 4, len(a), 20*time.Second); !bytes.Equal(got, a) {
			t.Fatalf("socket 4 got %q", got)
		}
		c.stop(4)
		c.stop(o)
	})
	t.Run("disconnect", func(t *testing.T) {
		defer c.use(t)()
		if !c.gprsDisconnect() {
			t.Fatalf("%s: not OK: %s", sk.disconnect, c.host().tail())
		}
	})
}

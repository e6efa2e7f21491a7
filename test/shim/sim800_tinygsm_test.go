package shim_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// bringUpSIM800 is the examples' setup: init, getModemInfo,
// waitForNetwork and gprsConnect.
func (c *tinySIM800) bringUp() {
	c.t.Helper()
	c.init()
	if info := c.modemInfo(); !strings.Contains(info, "SIM800") {
		c.t.Errorf("modem info %q, want the SIM800's", info)
	}
	if !c.waitForNetwork(10 * time.Second) {
		c.t.Fatal("waitForNetwork: AT+CREG? reports no registration")
	}
	if !c.gprsConnect("internet", "", "") {
		c.t.Fatal("gprsConnect failed")
	}
}

// TestTinyGSMSIM800 runs TinyGSM's SIM800 driver against the shim in the
// SIM800 dialect: the examples' bring-up, then GsmClients on the
// simulator's echo and web services, a server that closes, two sockets
// at once, and gprsDisconnect.
func TestTinyGSMSIM800(t *testing.T) {
	st := newStack(t)
	c := newTinySIM800(t, st.startShim(t, shimOptions{dialect: shim.DialectSIM800}))
	c.rxBuffer = 1024
	c.bringUp()
	t.Run("isGprsConnected", func(t *testing.T) {
		defer c.use(t)()
		ok, ip := c.gprsConnected()
		if !ok || ip != st.clientAddr().String() {
			t.Errorf("isGprsConnected = %v, localIP = %q, want true and %v: %s", ok, ip, st.clientAddr(), c.h.tail())
		}
	})
	t.Run("echo", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(0, gwAddr.String(), 7) {
			t.Fatalf("connect to the echo service failed: %s", c.h.tail())
		}
		for _, size := range []int{1, 23, 64, 65, 1000, 1460} {
			msg := sim.Pattern(size)
			if n := c.write(0, msg); n != size {
				t.Fatalf("write %d octets = %d: %s", size, n, c.h.tail())
			}
			if got := c.readFull(0, size, 20*time.Second); !bytes.Equal(got, msg) {
				t.Fatalf("echo of %d octets differs", size)
			}
		}
		if !c.connected(0) {
			t.Error("connected() = false on the open echo connection")
		}
		c.stop(0)
	})
	// Every octet value, with the module's own words inside the data,
	// through a connection opened by name.
	t.Run("binary echo", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(3, hostName, 7) {
			t.Fatal("connect to the echo service by name failed")
		}
		msg := make([]byte, 1460)
		for i := range msg {
			msg[i] = byte(255 - i%256)
		}
		copy(msg, "\r\nOK\r\n\r\n+CIPRXGET: 1,3\r\n3, CLOSED\r\nERROR\r\n")
		for range 3 {
			if n := c.write(3, msg); n != len(msg) {
				t.Fatalf("write = %d: %s", n, c.h.tail())
			}
			if got := c.readFull(3, len(msg), 20*time.Second); !bytes.Equal(got, msg) {
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
		data, stalled := c.download(1, 512, 20*time.Second)
		resp := string(data)
		if stalled || !strings.HasPrefix(resp, "HTTP/1.0 200 OK\r\n") || !strings.Contains(resp, "hello from the gprsppp simulated network") {
			t.Fatalf("response %q (stalled %v)", resp, stalled)
		}
		c.stop(1)
	})
	// The server closes after its echo: "<n>, CLOSED" clears
	// sock_connected, and connected() turns false once all is read.
	t.Run("remote close", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(2, gwAddr.String(), oncePort) {
			t.Fatal("connect failed")
		}
		msg := []byte("once\n")
		c.write(2, msg)
		if got := c.readFull(2, len(msg), 20*time.Second); !bytes.Equal(got, msg) {
			t.Fatalf("got %q", got)
		}
		deadline := time.Now().Add(20 * time.Second)
		for c.connected(2) {
			if time.Now().After(deadline) {
				t.Fatalf("connected() still true 20 s after the server closed: %s", c.h.tail())
			}
			c.h.idle(10 * time.Millisecond)
		}
		c.stop(2)
	})
	t.Run("two sockets", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(4, gwAddr.String(), 7) || !c.connect(0, gwAddr.String(), 7) {
			t.Fatal("connect failed")
		}
		a, b := []byte("to socket four"), []byte("and to socket zero")
		c.write(4, a)
		c.write(0, b)
		if got := c.readFull(0, len(b), 20*time.Second); !bytes.Equal(got, b) {
			t.Fatalf("socket 0 got %q", got)
		}
		if got := c.readFull(4, len(a), 20*time.Second); !bytes.Equal(got, a) {
			t.Fatalf("socket 4 got %q", got)
		}
		c.stop(4)
		c.stop(0)
	})
	t.Run("disconnect", func(t *testing.T) {
		defer c.use(t)()
		if !c.gprsDisconnect() {
			t.Fatalf("AT+CIPSHUT, AT+CGATT=0: not OK: %s", c.h.tail())
		}
		if ok, _ := c.gprsConnected(); ok {
			t.Errorf("isGprsConnected after gprsDisconnect: %s", c.h.tail())
		}
	})
	t.Logf("%v", c.seen)
}

// TestTinyGSMSIM800Download: 1 MiB through the pattern source, as a
// sketch with TINY_GSM_RX_BUFFER 1024 reads it: edge-triggered
// +CIPRXGET: 1,<n>, each drained by AT+CIPRXGET=2 reads of at most 1023
// octets whose field 4 (parsed as an int16_t) says how much is left, and
// the source's close seen once all is read.
func TestTinyGSMSIM800Download(t *testing.T) {
	st := newStack(t)
	c := newTinySIM800(t, st.startShim(t, shimOptions{dialect: shim.DialectSIM800}))
	c.rxBuffer = 1024
	c.bringUp()
	const size = 1 << 20
	if !c.connect(4, gwAddr.String(), sourcePort) {
		t.Fatal("connect to the source failed")
	}
	line := []byte(strconv.Itoa(size) + "\n")
	if n := c.write(4, line); n != len(line) {
		t.Fatalf("write = %d", n)
	}
	start := time.Now()
	got, stalled := c.download(4, 1024, 10*time.Second)
	if stalled || !bytes.Equal(got, sim.Pattern(size)) {
		t.Fatalf("got %d octets, not the %d of the pattern (stalled %v, first difference at %d; %v): %s",
			len(got), size, stalled, firstDiff(got, sim.Pattern(size)), c.seen, c.h.tail())
	}
	t.Logf("%d octets in %v: %v", len(got), time.Since(start).Round(time.Millisecond), c.seen)
	c.stop(4)
}

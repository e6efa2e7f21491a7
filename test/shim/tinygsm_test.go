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
		resp := string(c.readUntilClosed(1, 20*time.Second))
		if !strings.HasPrefix(resp, "HTTP/1.0 200 OK\r\n") || !strings.Contains(resp, "hello from the gprsppp simulated network") {
			t.Fatalf("response %q", resp)
		}
		c.stop(1, 75*time.Second)
	})
	t.Run("source 64KB", func(t *testing.T) {
		defer c.use(t)()
		c.source(t, 2, 64<<10)
	})
	t.Run("connected without compat", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(0, gwAddr.String(), 7) {
			t.Fatal("connect failed")
		}
		if c.connected(0) {
			t.Error("AT+QISTATE=1,0 reported state 2; a real M95 answers ERROR")
		}
		c.stop(0, 75*time.Second)
	})
	t.Run("disconnect", func(t *testing.T) {
		defer c.use(t)()
		if !c.gprsDisconnect() {
			t.Fatal("AT+QIDEACT: no DEACT OK")
		}
	})
}

// With CompatQISTATE, TinyGSM's connected() works.
func TestTinyGSMM95CompatQISTATE(t *testing.T) {
	st := newStack(t)
	c := newTinyGSM(t, st.startShim(t, shimOptions{compatQISTATE: true}), false)
	c.bringUp(st)
	if !c.connect(0, gwAddr.String(), oncePort) {
		t.Fatal("connect failed")
	}
	if !c.connected(0) {
		t.Fatal("connected() = false on an open connection")
	}
	msg := []byte("once\n")
	c.write(0, msg)
	if got := c.readUntilClosed(0, 20*time.Second); !bytes.Equal(got, msg) {
		t.Fatalf("got %q", got)
	}
	if c.connected(0) {
		t.Error("connected() = true after the server closed")
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
	t.Run("source 32KB", func(t *testing.T) {
		defer c.use(t)()
		c.source(t, 3, 32<<10)
	})
	if !c.gprsDisconnect() {
		t.Fatal("AT+QIDEACT: no DEACT OK")
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

// source asks the simulator's pattern source for size octets on
// connection mux, checks them, and closes the connection.
func (c *tinyGSM) source(t *testing.T, mux, size int) {
	t.Helper()
	if !c.connect(mux, gwAddr.String(), sourcePort) {
		t.Fatal("connect to the source failed")
	}
	c.write(mux, []byte(strconv.Itoa(size)+"\n"))
	if got := c.readUntilClosed(mux, 60*time.Second); !bytes.Equal(got, sim.Pattern(size)) {
		t.Fatalf("got %d bytes, not the %d of the pattern", len(got), size)
	}
	c.stop(mux, 75*time.Second)
}

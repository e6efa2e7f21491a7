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
		for _, size := range []int{1, 23, 64, 65, 1000, 1460} {
			msg := sim.Pattern(size)
			if n := c.write(0, msg); n != size {
				t.Fatalf("write %d bytes = %d", size, n)
			}
			if got := c.readFull(0, size, 20*time.Second); !bytes.Equal(got, msg) {
				t.Fatalf("echo of %d bytes differs", size)
			}
		}
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
		if !c.connect(2, gwAddr.String(), sourcePort) {
			t.Fatal("connect to the source failed")
		}
		const size = 64 << 10
		c.write(2, []byte(strconv.Itoa(size)+"\n"))
		if got := c.readUntilClosed(2, 60*time.Second); !bytes.Equal(got, sim.Pattern(size)) {
			t.Fatalf("got %d bytes, not the %d of the pattern", len(got), size)
		}
		c.stop(2, 75*time.Second)
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
			for _, size := range []int{5, 300, 1460} {
				msg := sim.Pattern(size)
				if n := c.write(0, msg); n != size {
					t.Fatalf("write %d bytes = %d", size, n)
				}
				if got := c.readFull(0, size, 20*time.Second); !bytes.Equal(got, msg) {
					t.Fatalf("echo of %d bytes differs", size)
				}
			}
			c.stop(0, 75*time.Second)
		})
	}
	t.Run("source 32KB", func(t *testing.T) {
		defer c.use(t)()
		if !c.connect(3, gwAddr.String(), sourcePort) {
			t.Fatal("connect to the source failed")
		}
		const size = 32 << 10
		c.write(3, []byte(strconv.Itoa(size)+"\n"))
		if got := c.readUntilClosed(3, 60*time.Second); !bytes.Equal(got, sim.Pattern(size)) {
			t.Fatalf("got %d bytes, not the %d of the pattern", len(got), size)
		}
		c.stop(3, 75*time.Second)
	})
	if !c.gprsDisconnect() {
		t.Fatal("AT+QIDEACT: no DEACT OK")
	}
}

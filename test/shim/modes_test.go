package shim_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// guard is the silence kept before and after +++: the application note
// asks for more than 500 ms; a second is what hosts use.
const guard = 1200 * time.Millisecond

// pause lets time pass without reading (the host is silent).
func pause(d time.Duration) { <-time.After(d) }

// echoExact writes p in data mode and reads the same bytes back.
func echoExact(t *testing.T, h *host, p []byte) {
	t.Helper()
	h.write(p)
	if got := h.readN(len(p), 10*time.Second); !bytes.Equal(got, p) {
		t.Fatalf("data mode echo %q, want %q", got, p)
	}
}

// escape sends +++ between guard times and expects OK no sooner than the
// trailing guard allows.
func escape(t *testing.T, h *host) {
	t.Helper()
	pause(guard)
	start := time.Now()
	h.write([]byte("+++"))
	h.expect(5*time.Second, "OK")
	if d := time.Since(start); d < 450*time.Millisecond {
		t.Errorf("OK %v after +++: the trailing guard time was not kept", d)
	}
}

func TestTransparentMode(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{})
	h.at("ATE0", "OK")
	h.at("AT+QIMODE=1", "OK")
	h.at("AT+QITCFG=3,2,512,1", "OK")
	h.at(fmt.Sprintf(`AT+QIOPEN="TCP","%v",7`, gwAddr), "OK", "CONNECT")
	h.crlf(5 * time.Second)
	t.Run("echo", func(t *testing.T) {
		defer h.use(t)()
		echoExact(t, h, []byte("hello through transparent mode\r\n"))
		echoExact(t, h, []byte("AT\rOK\r\nERROR\r\n+++\r\n"))
	})
	t.Run("+++ inside data", func(t *testing.T) {
		defer h.use(t)()
		echoExact(t, h, []byte("abc+++def"))
		h.write([]byte("xyz"))
		h.write([]byte("+++"))
		h.write([]byte("more"))
		if got := h.readN(10, 10*time.Second); string(got) != "xyz+++more" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("+++ without trailing guard", func(t *testing.T) {
		defer h.use(t)()
		pause(guard)
		h.write([]byte("+++"))
		h.write([]byte("tail"))
		if got := h.readN(7, 10*time.Second); string(got) != "+++tail" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("escape and ATO", func(t *testing.T) {
		defer h.use(t)()
		escape(t, h)
		h.at("AT", "OK")
		h.at("AT+QISTAT", "OK", "STATE: CONNECT OK")
		h.at("ATO", "CONNECT")
		h.crlf(5 * time.Second)
		echoExact(t, h, []byte("after ATO"))
	})
	t.Run("remote close", func(t *testing.T) {
		defer h.use(t)()
		escape(t, h)
		h.at("AT+QICLOSE", "CLOSE OK")
		h.at(fmt.Sprintf(`AT+QIOPEN="TCP","%v",%d`, gwAddr, oncePort), "OK", "CONNECT")
		h.crlf(5 * time.Second)
		echoExact(t, h, []byte("bye"))
		h.expect(10*time.Second, "CLOSED")
		// Back in command mode without +++.
		h.at("AT", "OK")
	})
}

func TestServerMode(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{})
	h.at("ATE0", "OK")
	h.at("AT+QIMUX=1", "OK")
	h.at(`AT+QILPORT="TCP",3000`, "OK")
	h.at("AT+QISERVER=0,3", "OK", "SERVER OK")
	h.at("AT+QILOCIP", st.clientAddr().String())
	remote := st.dialClient(t, 3000)
	h.expect(10*time.Second, "0, REMOTE IP: "+gwAddr.String())
	t.Run("network to host", func(t *testing.T) {
		defer h.use(t)()
		msg := "from the network side"
		remote.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := remote.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		h.expect(10*time.Second, fmt.Sprintf("+RECEIVE: 0, %d", len(msg)))
		h.crlf(5 * time.Second)
		if got := h.readN(len(msg), 5*time.Second); string(got) != msg {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("host to network", func(t *testing.T) {
		defer h.use(t)()
		h.at("AT+QISRVC=2", "OK")
		h.cmd("AT+QISEND=0,5")
		h.prompt(5 * time.Second)
		h.write([]byte("hello"))
		h.expect(5*time.Second, "SEND OK")
		buf := make([]byte, 5)
		remote.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.ReadFull(remote, buf); err != nil {
			t.Fatal(err)
		}
		if string(buf) != "hello" {
			t.Fatalf("the network side read %q", buf)
		}
	})
	t.Run("second client", func(t *testing.T) {
		defer h.use(t)()
		second := st.dialClient(t, 3000)
		h.expect(10*time.Second, "1, REMOTE IP: "+gwAddr.String())
		second.Close()
		h.expect(10*time.Second, "1, CLOSED")
	})
	t.Run("remote close", func(t *testing.T) {
		defer h.use(t)()
		remote.Close()
		h.expect(10*time.Second, "0, CLOSED")
	})
	h.at("AT+QIDEACT", "DEACT OK")
}

// Server mode with retrieval by command: the notice names role 2.
func TestServerModeRetrieve(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{})
	h.at("ATE0", "OK")
	h.at("AT+QIMUX=1", "OK")
	h.at("AT+QINDI=1", "OK")
	h.at(`AT+QILPORT="TCP",3001`, "OK")
	h.at("AT+QISERVER=0,3", "OK", "SERVER OK")
	remote := st.dialClient(t, 3001)
	h.expect(10*time.Second, "0, REMOTE IP: "+gwAddr.String())
	msg := []byte("retrieve me")
	remote.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := remote.Write(msg); err != nil {
		t.Fatal(err)
	}
	r := &qiReader{h: h, rd: "0,2,0", closed: "0, CLOSED", notice: "+QIRDI:0,2,0"}
	var got []byte
	for len(got) < len(msg) {
		r.wait(10 * time.Second)
		got = append(got, r.read(1500)...)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("got %q", got)
	}
	h.at("AT+QIDEACT", "DEACT OK")
}

// A short TinyGSM session through a real pseudo-terminal, the shim on the
// master as on a serial port.
func TestPtyTinyGSM(t *testing.T) {
	st := newStack(t)
	c := newTinyGSM(t, st.startShim(t, shimOptions{pty: true}), false)
	c.bringUp(st)
	if !c.connect(0, gwAddr.String(), 7) {
		t.Fatal("connect failed")
	}
	msg := []byte(strings.Repeat("pty line data ", 20))
	if n := c.write(0, msg); n != len(msg) {
		t.Fatalf("write = %d", n)
	}
	if got := c.readFull(0, len(msg), 20*time.Second); !bytes.Equal(got, msg) {
		t.Fatalf("got %q", got)
	}
	c.stop(0, 75*time.Second)
	if !c.gprsDisconnect() {
		t.Fatal("no DEACT OK")
	}
}

// Malformed input gets ERROR and the shim keeps answering.
func TestMalformedInput(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{})
	h.at("ATE0", "OK")
	h.at("AT+QIMUX=1", "OK")
	h.at(fmt.Sprintf(`AT+QIOPEN=0,"TCP","%v",7`, gwAddr), "OK", "0, CONNECT OK")
	garbage := make([]byte, 0, 512)
	for i := range 256 {
		if b := byte(i); b != '\r' && b != '\n' {
			garbage = append(garbage, b)
		}
	}
	for _, tc := range []struct {
		name string
		line string
		// want is the answer; "" accepts anything (the line is noise).
		want string
	}{
		{"overlong line", "AT+QISEND=" + strings.Repeat("9", 4000), "ERROR"},
		{"overlong noise", strings.Repeat("x", 10000), ""},
		{"binary garbage", string(garbage), ""},
		{"binary after AT", "AT" + string(garbage), "ERROR"},
		{"unknown command", "AT+FOOBAR", "ERROR"},
		{"unknown QI command", "AT+QIFOO=1", "ERROR"},
		{"unknown basic command", "ATB9", "ERROR"},
		{"open index 6", fmt.Sprintf(`AT+QIOPEN=6,"TCP","%v",7`, gwAddr), "ERROR"},
		{"open index -1", fmt.Sprintf(`AT+QIOPEN=-1,"TCP","%v",7`, gwAddr), "ERROR"},
		{"open port 70000", fmt.Sprintf(`AT+QIOPEN=1,"TCP","%v",70000`, gwAddr), "ERROR"},
		{"open protocol", fmt.Sprintf(`AT+QIOPEN=1,"SCTP","%v",7`, gwAddr), "ERROR"},
		{"send index 6", "AT+QISEND=6,10", "ERROR"},
		{"send index 99999999999", "AT+QISEND=99999999999,10", "ERROR"},
		{"send unopened", "AT+QISEND=2,10", "ERROR"},
		{"send 1461", "AT+QISEND=0,1461", "ERROR"},
		{"send 0", "AT+QISEND=0,0", "ERROR"},
		{"sack index 6", "AT+QISACK=6", "ERROR"},
		{"sack without index", "AT+QISACK", "ERROR"},
		{"read index 6", "AT+QIRD=0,1,6,100", "ERROR"},
		{"read context 2", "AT+QIRD=2,1,0,100", "ERROR"},
		{"read length 0", "AT+QIRD=0,1,0,0", "ERROR"},
		{"read length 1501", "AT+QIRD=0,1,0,1501", "ERROR"},
		{"close index 6", "AT+QICLOSE=6", "ERROR"},
		{"foreground context 2", "AT+QIFGCNT=2", "ERROR"},
		{"mux 2", "AT+QIMUX=2", "ERROR"},
		{"unterminated quote", `AT+QIOPEN=1,"TCP,"10.64.64.1",7`, "ERROR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer h.use(t)()
			h.cmd(tc.line)
			if tc.want != "" {
				l := h.line(10 * time.Second)
				if l != tc.want {
					t.Errorf("%.60q: got %q, want %q", tc.line, l, tc.want)
				}
			}
			h.sync(10 * time.Second)
		})
	}
	t.Run("ESC cancels QISEND", func(t *testing.T) {
		defer h.use(t)()
		h.cmd("AT+QISEND=0")
		h.prompt(5 * time.Second)
		h.write([]byte("never sent\x1b"))
		h.sync(10 * time.Second)
		h.cmd("AT+QISACK=0")
		if l := strings.ReplaceAll(h.line(5*time.Second), " ", ""); l != "+QISACK:0,0,0" {
			t.Errorf("after ESC: %q, want nothing sent", l)
		}
		h.expect(5*time.Second, "OK")
	})
	t.Run("still working", func(t *testing.T) {
		defer h.use(t)()
		h.cmd("AT+QISEND=0,4")
		h.prompt(5 * time.Second)
		h.write([]byte("ping"))
		h.expect(5*time.Second, "SEND OK")
		h.expect(10*time.Second, "+RECEIVE: 0, 4")
		h.crlf(5 * time.Second)
		if got := h.readN(4, 5*time.Second); string(got) != "ping" {
			t.Fatalf("got %q", got)
		}
	})
}

// A host that restarts its server on the same port, as firmware does after
// AT+QIDEACT or a reset, must get SERVER OK again: a real module listens
// anew at once.
func TestServerPortReuse(t *testing.T) {
	st := newStack(t)
	for i := range 2 {
		t.Run(fmt.Sprintf("session %d", i), func(t *testing.T) {
			h := st.startShim(t, shimOptions{})
			h.at("ATE0", "OK")
			h.at(`AT+QILPORT="TCP",3100`, "OK")
			h.at("AT+QISERVER", "OK", "SERVER OK")
			st.dialClient(t, 3100)
			h.expect(10*time.Second, "REMOTE IP: "+gwAddr.String())
			h.at("AT+QIDEACT", "DEACT OK")
		})
	}
}

// dropDTRInData opens a transparent connection to the echo service with
// AT&D set to mode, echoes through it, and drops DTR.
func dropDTRInData(t *testing.T, mode string) (*host, *atomic.Bool) {
	st := newStack(t)
	dtr := new(atomic.Bool)
	dtr.Store(true)
	h := st.startShim(t, shimOptions{dtr: dtr})
	h.at("ATE0", "OK")
	h.at("AT&D"+mode, "OK")
	h.at("AT+QIMODE=1", "OK")
	h.at(fmt.Sprintf(`AT+QIOPEN="TCP","%v",7`, gwAddr), "OK", "CONNECT")
	h.crlf(5 * time.Second)
	echoExact(t, h, []byte("before the DTR drop"))
	dtr.Store(false)
	return h, dtr
}

// The application note's hardware escape (section 4): after AT&D1, DTR
// going from ON to OFF in data mode returns to command mode.
func TestTransparentModeDTR(t *testing.T) {
	h, dtr := dropDTRInData(t, "1")
	h.expect(5*time.Second, "OK")
	h.at("AT+QISTAT", "OK", "STATE: CONNECT OK")
	dtr.Store(true)
	h.at("ATO", "CONNECT")
	h.crlf(5 * time.Second)
	echoExact(t, h, []byte("after ATO"))
}

// AT&D2: DTR going from ON to OFF in data mode disconnects the connection
// and returns to command mode.
func TestTransparentModeDTRDisconnect(t *testing.T) {
	h, dtr := dropDTRInData(t, "2")
	h.expect(5*time.Second, "CLOSED")
	h.expect(5*time.Second, "OK")
	h.at("AT+QISTAT", "OK", "STATE: IP CLOSE")
	dtr.Store(true)
	h.at("ATO", "ERROR")
}

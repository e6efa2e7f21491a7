package shim_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tinyGSM is TinyGSM's Quectel driver (TinyGsmClientM95.h, or
// TinyGsmClientMC60.h with mc60) as far as the shim can tell: the same
// commands in the same order, and its way of matching responses, a suffix
// test on the bytes accumulated since the command was sent, with URCs
// spotted the same way in between.
type tinyGSM struct {
	t    *testing.T
	h    *host
	mc60 bool
	sock [6]tinySocket
}

// tinySocket is a GsmClient's state: TINY_GSM_BUFFER_READ_NO_CHECK with
// the 64-byte rx FIFO (TINY_GSM_RX_BUFFER).
type tinySocket struct {
	connected bool
	available int // sock_available
	rx        []byte
}

const (
	tinyRxBuffer = 64
	// tinyTimeout is waitResponse's default and Stream's _timeout.
	tinyTimeout = time.Second
)

func (c *tinyGSM) sendAT(args ...any) {
	c.t.Helper()
	c.h.write([]byte("AT" + fmt.Sprint(args...) + "\r\n"))
}

// waitResponse returns the 1-based index of the first of rs (default "OK\r\n",
// "ERROR\r\n") that the accumulated input ends with, or 0 on timeout, and
// the input it accumulated.
func (c *tinyGSM) waitResponse(timeout time.Duration, rs ...string) (int, string) {
	if len(rs) == 0 {
		rs = []string{"OK\r\n", "ERROR\r\n"}
	}
	deadline := time.Now().Add(timeout)
	var data []byte
	for {
		b, ok := c.h.byte(deadline)
		if !ok {
			return 0, string(data)
		}
		if b == 0 {
			continue
		}
		data = append(data, b)
		for i, r := range rs {
			if bytes.HasSuffix(data, []byte(r)) {
				return i + 1, string(data)
			}
		}
		if c.handleURC(data) {
			data = data[:0]
		}
	}
}

// handleURC is handleURCsImpl: +QIRDI, "<mux>, CLOSED" and +QNITZ.
func (c *tinyGSM) handleURC(data []byte) bool {
	switch {
	case bytes.HasSuffix(data, []byte("\r\n+QIRDI:")):
		c.h.skipUntil(',', tinyTimeout) // context
		c.h.skipUntil(',', tinyTimeout) // role
		if !c.mc60 {
			mux := c.h.getIntBefore('\n', tinyTimeout)
			if mux >= 0 && mux < len(c.sock) {
				c.sock[mux].available = 1500 // the real size is unknown
			}
			return true
		}
		mux := c.h.getIntBefore(',', tinyTimeout)
		c.h.getIntBefore(',', tinyTimeout) // num
		c.h.skipUntil(',', tinyTimeout)    // len
		tlen := c.h.getIntBefore('\n', tinyTimeout)
		if mux >= 0 && mux < len(c.sock) {
			c.sock[mux].available = tlen
		}
		return true
	case bytes.HasSuffix(data, []byte("CLOSED\r\n")):
		s := string(data)
		nl := strings.LastIndex(s[:len(s)-8], "\r\n")
		coma := strings.Index(s[nl+2:], ",")
		if nl < 0 || coma < 0 {
			c.t.Errorf("CLOSED URC %q has no <mux>, prefix", s)
			return true
		}
		mux, err := strconv.Atoi(s[nl+2 : nl+2+coma])
		if err == nil && mux >= 0 && mux < len(c.sock) {
			c.sock[mux].connected = false
		}
		return true
	case bytes.HasSuffix(data, []byte("+QNITZ:")):
		c.h.skipUntil('\n', tinyTimeout)
		return true
	}
	return false
}

// must fails the test unless waitResponse matched want.
func (c *tinyGSM) must(step string, want int, timeout time.Duration, rs ...string) string {
	c.t.Helper()
	got, data := c.waitResponse(timeout, rs...)
	if got != want {
		c.t.Fatalf("%s: waitResponse = %d after %q, want %d: %s", step, got, data, want, c.h.tail())
	}
	return data
}

// init is TinyGsmM95::initImpl.
func (c *tinyGSM) init() {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.sendAT("")
		if r, _ := c.waitResponse(200 * time.Millisecond); r == 1 {
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("testAT: no OK within 10 s: %s", c.h.tail())
		}
		<-time.After(100 * time.Millisecond) // the driver's pacing
	}
	c.sendAT("E0")
	c.must("ATE0", 1, tinyTimeout)
	c.sendAT("+CMEE=0")
	c.waitResponse(tinyTimeout)
	c.sendAT("+CGMI")
	maker := c.must("AT+CGMI", 1, tinyTimeout)
	c.sendAT("+CGMM")
	model := c.must("AT+CGMM", 1, tinyTimeout)
	if !strings.Contains(maker, "Quectel") {
		c.t.Errorf("AT+CGMI answered %q, want Quectel", maker)
	}
	if !c.mc60 && !strings.Contains(model, "M95") {
		c.t.Errorf("AT+CGMM answered %q, want M95", model)
	}
	c.sendAT("+QNITZ=1")
	c.must("AT+QNITZ=1", 1, 10*time.Second)
	c.sendAT("+CPIN?")
	c.must("AT+CPIN?", 1, tinyTimeout, "+CPIN:")
	c.must("AT+CPIN? status", 1, tinyTimeout, "READY", "SIM PIN", "SIM PUK", "NOT INSERTED", "NOT READY")
	c.waitResponse(tinyTimeout)
}

// registered is getRegistrationStatusXREG("CREG") in (1, 5).
func (c *tinyGSM) registered() bool {
	c.t.Helper()
	c.sendAT("+CREG?")
	if r, _ := c.waitResponse(tinyTimeout, "\r\n+CREG:"); r != 1 {
		return false
	}
	c.h.skipUntil(',', tinyTimeout)
	stat := c.h.getIntBefore('\n', tinyTimeout)
	c.waitResponse(tinyTimeout)
	return stat == 1 || stat == 5
}

// signal is getSignalQualityImpl.
func (c *tinyGSM) signal() int {
	c.sendAT("+CSQ")
	if r, _ := c.waitResponse(tinyTimeout, "\r\n+CSQ:"); r != 1 {
		return 99
	}
	rssi := c.h.getIntBefore(',', tinyTimeout)
	c.waitResponse(tinyTimeout)
	return rssi
}

// gprsConnect is gprsConnectImpl; it returns the local IP.
func (c *tinyGSM) gprsConnect(apn, user, pwd string) string {
	c.t.Helper()
	c.gprsDisconnect()
	c.sendAT("+QIFGCNT=0")
	c.must("AT+QIFGCNT=0", 1, tinyTimeout)
	c.sendAT(`+QICSGP=1,"`, apn, `","`, user, `","`, pwd, `"`)
	c.must("AT+QICSGP", 1, tinyTimeout)
	if c.mc60 {
		c.sendAT(`+CGDCONT=1,"IP","`, apn, `"`)
		c.waitResponse(tinyTimeout)
		c.sendAT("+CGACT=1,1")
		c.waitResponse(60 * time.Second)
	}
	c.sendAT("+QIMODE=0")
	c.must("AT+QIMODE=0", 1, tinyTimeout)
	c.sendAT("+QIMUX=1")
	c.must("AT+QIMUX=1", 1, tinyTimeout)
	if c.mc60 {
		c.sendAT("+QISRVC=1")
		c.must("AT+QISRVC=1", 1, tinyTimeout)
	}
	c.sendAT(`+QIREGAPP="`, apn, `","`, user, `","`, pwd, `"`)
	c.must("AT+QIREGAPP", 1, tinyTimeout)
	c.sendAT("+QIACT")
	c.must("AT+QIACT", 1, 60*time.Second)
	ip := c.localIP()
	if c.mc60 {
		c.sendAT("+QINDI=2")
	} else {
		c.sendAT("+QINDI=1")
	}
	data := c.must("AT+QINDI", 1, tinyTimeout)
	// A trailing OK after the QILOCIP address would have been taken as
	// this command's answer, leaving QINDI's own OK for the next one.
	if n := strings.Count(data, "OK"); n != 1 {
		c.t.Errorf("AT+QINDI: %d OKs in %q: AT+QILOCIP must answer the address alone", n, data)
	}
	return ip
}

// localIP is getLocalIPImpl: skip to the first \n, take the next line.
func (c *tinyGSM) localIP() string {
	c.sendAT("+QILOCIP")
	c.h.skipUntil('\n', tinyTimeout)
	res, _ := c.h.readStringUntil('\n', tinyTimeout)
	return strings.TrimSpace(res)
}

func (c *tinyGSM) gprsDisconnect() bool {
	c.sendAT("+QIDEACT")
	r, _ := c.waitResponse(60*time.Second, "DEACT OK", "ERROR")
	return r == 1
}

// connect is GsmClient::connect: stop, then modemConnect.
func (c *tinyGSM) connect(mux int, host string, port int) bool {
	c.t.Helper()
	c.stop(mux, 75*time.Second)
	if c.mc60 {
		// Inverted, as TinyGSM does it (issue #824): an IP gets 1.
		if isIP(host) {
			c.sendAT("+QIDNSIP=1")
		} else {
			c.sendAT("+QIDNSIP=0")
		}
		c.must("AT+QIDNSIP", 1, tinyTimeout)
	}
	c.sendAT("+QIOPEN=", mux, `,"TCP","`, host, `",`, port)
	r, _ := c.waitResponse(75*time.Second, "CONNECT OK\r\n", "CONNECT FAIL\r\n", "ALREADY CONNECT\r\n")
	c.sock[mux] = tinySocket{connected: r == 1}
	return r == 1
}

func isIP(s string) bool {
	return strings.Trim(s, "0123456789.") == ""
}

// stop is GsmClient::stop: drain what the modem holds, then QICLOSE.
func (c *tinyGSM) stop(mux int, maxWait time.Duration) {
	c.t.Helper()
	for c.sock[mux].available > 0 {
		if c.modemRead(min(tinyRxBuffer, c.sock[mux].available), mux) == 0 {
			break
		}
		c.sock[mux].rx = c.sock[mux].rx[:0]
	}
	c.sendAT("+QICLOSE=", mux)
	c.sock[mux].connected = false
	c.waitResponse(maxWait, "CLOSED", "CLOSE OK", "ERROR")
}

// write is modemSend: QISEND with the length, the prompt, the data, and
// SEND OK within the default second; the MC60 then polls QISACK until
// nothing is unacknowledged.
func (c *tinyGSM) write(mux int, p []byte) int {
	c.t.Helper()
	c.sendAT("+QISEND=", mux, ",", len(p))
	if r, _ := c.waitResponse(tinyTimeout, ">"); r != 1 {
		return 0
	}
	c.h.write(p)
	if r, data := c.waitResponse(tinyTimeout, "\r\nSEND OK"); r != 1 {
		c.t.Errorf("no SEND OK within 1 s of the data: %q", data)
		return 0
	}
	if !c.mc60 {
		return len(p)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c.sendAT("+QISACK=", mux)
		if r, _ := c.waitResponse(5*time.Second, "\r\n+QISACK:"); r != 1 {
			return -1
		}
		c.h.skipUntil(',', tinyTimeout)
		c.h.skipUntil(',', tinyTimeout)
		if c.h.getIntBefore('\n', tinyTimeout) == 0 {
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatal("QISACK still reports unacknowledged data after 30 s")
		}
	}
	c.waitResponse(5 * time.Second)
	return len(p)
}

// modemRead is modemReadImpl: QIRD for up to size bytes into the FIFO.
func (c *tinyGSM) modemRead(size, mux int) int {
	c.t.Helper()
	c.sendAT("+QIRD=0,1,", mux, ",", size)
	r, data := c.waitResponse(tinyTimeout, "+QIRD:", "OK\r\n", "ERROR\r\n")
	if r != 1 {
		if r != 2 {
			c.t.Errorf("AT+QIRD=0,1,%d,%d: %d after %q", mux, size, r, data)
		}
		c.sock[mux].available = 0
		return 0
	}
	c.h.skipUntil(':', tinyTimeout) // IP
	c.h.skipUntil(',', tinyTimeout) // port
	c.h.skipUntil(',', tinyTimeout) // TCP/UDP
	n := c.h.getIntBefore('\n', tinyTimeout)
	if n <= 0 || n > size {
		c.t.Fatalf("AT+QIRD=0,1,%d,%d announced %d bytes: %s", mux, size, n, c.h.tail())
	}
	c.sock[mux].rx = append(c.sock[mux].rx, c.h.readN(n, tinyTimeout)...)
	c.waitResponse(tinyTimeout)
	if n < size {
		c.sock[mux].available = 0 // a short read: wait for the next +QIRDI
	}
	return n
}

// maintain is the idle loop: handle whatever URCs arrive for d.
func (c *tinyGSM) maintain(d time.Duration) {
	c.waitResponse(d, "\x00never")
}

// readFull reads n bytes from the socket the way a sketch calling
// client.read() in a loop does, waiting for +QIRDI between chunks.
func (c *tinyGSM) readFull(mux, n int, timeout time.Duration) []byte {
	c.t.Helper()
	var out []byte
	deadline := time.Now().Add(timeout)
	for len(out) < n {
		if time.Now().After(deadline) {
			c.t.Fatalf("read %d of %d bytes in %v: %s", len(out), n, timeout, c.h.tail())
		}
		s := &c.sock[mux]
		if s.available <= 0 {
			c.waitURC(mux, deadline)
			continue
		}
		if c.modemRead(min(tinyRxBuffer-len(s.rx), s.available), mux) > 0 {
			out = append(out, s.rx...)
			s.rx = s.rx[:0]
		}
	}
	return out
}

// readUntilClosed reads until the socket is closed and nothing is left.
func (c *tinyGSM) readUntilClosed(mux int, timeout time.Duration) []byte {
	c.t.Helper()
	var out []byte
	deadline := time.Now().Add(timeout)
	for {
		s := &c.sock[mux]
		if s.available > 0 {
			if c.modemRead(min(tinyRxBuffer, s.available), mux) > 0 {
				out = append(out, s.rx...)
				s.rx = s.rx[:0]
			}
			continue
		}
		if !s.connected {
			return out
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("connection %d not closed within %v (%d bytes read): %s", mux, timeout, len(out), c.h.tail())
		}
		c.waitURC(mux, deadline)
	}
}

// waitURC runs maintain until the socket has data or is closed.
func (c *tinyGSM) waitURC(mux int, deadline time.Time) {
	for c.sock[mux].available <= 0 && c.sock[mux].connected && time.Now().Before(deadline) {
		c.maintain(50 * time.Millisecond)
	}
}

// connected is GsmClient::connected for the M95: with nothing buffered it
// asks AT+QISTATE=1,<mux> (BG96 syntax) for state 2.
func (c *tinyGSM) connected(mux int) bool {
	if c.sock[mux].available > 0 {
		return true
	}
	c.sendAT("+QISTATE=1,", mux)
	if r, _ := c.waitResponse(tinyTimeout, "+QISTATE:"); r != 1 {
		return false
	}
	for range 5 {
		c.h.skipUntil(',', tinyTimeout)
	}
	state := c.h.getIntBefore(',', tinyTimeout)
	c.waitResponse(tinyTimeout)
	return state == 2
}

func newTinyGSM(t *testing.T, h *host, mc60 bool) *tinyGSM {
	return &tinyGSM{t: t, h: h, mc60: mc60}
}

// bringUp runs init, the network checks and gprsConnect.
func (c *tinyGSM) bringUp(st *stack) {
	c.t.Helper()
	c.init()
	if !c.registered() {
		c.t.Fatal("AT+CREG? does not report registration")
	}
	if rssi := c.signal(); rssi == 99 || rssi < 0 {
		c.t.Errorf("AT+CSQ rssi %d", rssi)
	}
	if ip := c.gprsConnect("internet", "", ""); ip != st.clientAddr().String() {
		c.t.Fatalf("localIP = %q, want %v", ip, st.clientAddr())
	}
}

// use makes the client report to t (a subtest) until the returned
// function restores the previous test.
func (c *tinyGSM) use(t *testing.T) (restore func()) {
	prev, restoreHost := c.t, c.h.use(t)
	c.t = t
	return func() { c.t = prev; restoreHost() }
}

package shim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// tinyGSM is TinyGSM's Quectel driver (src/TinyGsmClientM95.h, or
// src/TinyGsmClientMC60.h with mc60; v0.12.0) with its GsmClient in
// TINY_GSM_BUFFER_READ_NO_CHECK mode (src/TinyGsmTCP.tpp), as far as the
// shim can tell: the same commands in the same order; answers matched as
// a suffix of the bytes accumulated since the command was sent, with URCs
// spotted the same way in between (waitResponseImpl); integers parsed by
// streamGetIntBefore into the same C types; sock_available set and counted
// down octet by octet as the drivers do; reads no larger than the FIFO's
// free space; and a maintain() before every read from the module.
type tinyGSM struct {
	t    *testing.T
	h    *host
	mc60 bool
	// rxBuffer is the sketch's TINY_GSM_RX_BUFFER: a socket's FIFO holds
	// rxBuffer-1 octets (TinyGsmFifo keeps a slot free), which bounds
	// every AT+QIRD. TinyGSM's default is 64; its FileDownload example
	// sets 1024.
	rxBuffer int
	// pace is how long maintain() listens for URCs in real time. TinyGSM
	// listens tinyMaintain; the model listens tinyPace by default so
	// that downloads fit a test's time (the driver's logic is what is
	// tested, not its speed) while it still reads much more slowly than
	// the simulated network delivers, so the shim's buffer fills as it
	// does under a real microcontroller.
	pace time.Duration
	sock [6]tinySocket
	seen tinyStats
}

// tinySocket is a GsmClient's state.
type tinySocket struct {
	connected bool   // sock_connected, cleared by the CLOSED URC
	available uint16 // sock_available
	rx        []byte // the FIFO's contents
}

// tinyStats counts what the driver went through, for failure messages
// and logs.
type tinyStats struct {
	notices   int // +QIRDI taken
	dropped   int // +QIRDI the MC60 driver ignored (a negative field)
	maxTLen   int // the largest <tlen> taken (MC60)
	reads     int // AT+QIRD sent
	exhausted int // full reads that counted sock_available down to 0
}

func (s tinyStats) String() string {
	return fmt.Sprintf("%d +QIRDI taken, %d ignored, largest <tlen> %d, %d AT+QIRD, %d notices used up by full reads",
		s.notices, s.dropped, s.maxTLen, s.reads, s.exhausted)
}

const (
	// tinyTimeout is waitResponse's default.
	tinyTimeout = time.Second
	// tinyMaintain is how long TinyGSM's maintain() listens for URCs
	// (maintainImpl: waitResponse(100, NULL, NULL)), before every read
	// from the module and every write.
	tinyMaintain = 100 * time.Millisecond
	// tinyPace is the model's default pace: a fiftieth of TinyGSM's.
	tinyPace = tinyMaintain / 50
)

func newTinyGSM(t *testing.T, h *host, mc60 bool) *tinyGSM {
	return &tinyGSM{t: t, h: h, mc60: mc60, rxBuffer: 64, pace: tinyPace}
}

// scaled converts a TinyGSM listening time to the model's pace.
func (c *tinyGSM) scaled(d time.Duration) time.Duration {
	return d * c.pace / tinyMaintain
}

func (c *tinyGSM) sendAT(args ...any) {
	c.t.Helper()
	c.h.write([]byte("AT" + fmt.Sprint(args...) + "\r\n"))
}

// waitResponse is waitResponseImpl: it returns the 1-based index of the
// first of rs that the accumulated input ends with, or 0 after timeout,
// and the input it accumulated. As in C++, r1 defaults to "OK\r\n" and
// r2 to "ERROR\r\n": waitResponse(GF("+QISTATE:")) also stops at ERROR.
func (c *tinyGSM) waitResponse(timeout time.Duration, rs ...string) (int, string) {
	switch len(rs) {
	case 0:
		rs = []string{"OK\r\n", "ERROR\r\n"}
	case 1:
		rs = []string{rs[0], "ERROR\r\n"}
	}
	return c.wait(timeout, rs)
}

// listen is waitResponse(d, NULL, NULL): URCs only, for all of d.
func (c *tinyGSM) listen(d time.Duration) { c.wait(d, nil) }

// maintain is maintainImpl.
func (c *tinyGSM) maintain() { c.listen(c.pace) }

func (c *tinyGSM) wait(timeout time.Duration, rs []string) (int, string) {
	deadline := time.Now().Add(timeout)
	var data []byte
	for {
		b, ok := c.h.byte(deadline)
		if !ok {
			return 0, string(data)
		}
		if int8(b) <= 0 {
			continue // read into an int8_t: 0x00 and 0x80-0xff are skipped
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
		if c.mc60 {
			c.qirdiMC60()
			return true
		}
		mux := int8(c.h.getIntBefore('\n'))
		if mux >= 0 && int(mux) < len(c.sock) {
			// "We have no way of knowing how much data actually came
			// in, so we set the value to 1500".
			c.sock[mux].available = 1500
			c.seen.notices++
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
		mux := int8(atoi([]byte(s[nl+2 : nl+2+coma])))
		if mux >= 0 && int(mux) < len(c.sock) {
			c.sock[mux].connected = false
		}
		return true
	case bytes.HasSuffix(data, []byte("+QNITZ:")):
		c.h.skipUntil('\n', tinyTimeout)
		return true
	}
	return false
}

// qirdiMC60 parses the rest of "+QIRDI: <id>,<sc>,<sid>,<num>,<len>,<tlen>"
// as the MC60 driver does: <sid> and <num> into int8_t, <tlen> into
// int16_t, and a notice with a negative one is ignored.
func (c *tinyGSM) qirdiMC60() {
	mux := int8(c.h.getIntBefore(','))
	num := int8(c.h.getIntBefore(','))
	c.h.skipUntil(',', tinyTimeout) // <len>
	tlen := c.h.getIntBefore('\n')
	if mux < 0 || int(mux) >= len(c.sock) || num < 0 || tlen < 0 {
		c.seen.dropped++
		return
	}
	c.sock[mux].available = uint16(tlen)
	c.seen.notices++
	c.seen.maxTLen = max(c.seen.maxTLen, int(tlen))
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
	if r, _ := c.waitResponse(tinyTimeout, "+CREG:", "+CGREG:", "+CEREG:"); r < 1 {
		return false
	}
	c.h.skipUntil(',', tinyTimeout)
	stat := c.h.parseInt()
	c.waitResponse(tinyTimeout)
	return stat == 1 || stat == 5
}

// signal is getSignalQualityImpl.
func (c *tinyGSM) signal() int {
	c.sendAT("+CSQ")
	if r, _ := c.waitResponse(tinyTimeout, "+CSQ:"); r != 1 {
		return 99
	}
	rssi := int8(c.h.getIntBefore(','))
	c.waitResponse(tinyTimeout)
	return int(rssi)
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
	return strings.TrimSpace(c.h.readStringUntil('\n'))
}

func (c *tinyGSM) gprsDisconnect() bool {
	c.sendAT("+QIDEACT")
	r, _ := c.waitResponse(60*time.Second, "DEACT OK", "ERROR")
	return r == 1
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

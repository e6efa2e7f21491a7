package shim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// tinyBG96 is TinyGSM's BG96 driver (src/TinyGsmClientBG96.h, HEAD
// 4c55210) with its GsmClient in TINY_GSM_BUFFER_READ_AND_CHECK_SIZE mode
// (src/TinyGsmTCP.tpp), built without TINY_GSM_DEBUG, as far as the shim
// can tell: the same commands in the same order, each ended by "\r\n"
// (AT_NL); answers matched as a suffix of the bytes accumulated since the
// command was sent, with +QIURC spotted the same way in between
// (waitResponseImpl, handleURCs); integers parsed by streamGetIntBefore
// into the same C types; "recv" setting got_data, which the next
// maintain() turns into AT+QIRD=<mux>,0; every AT+QIRD=<mux>,<size>
// followed by AT+QIRD=<mux>,0 for the unread count, and AT+QISTATE=1,<mux>
// (field 6) when that count is 0; the 500 ms re-check of available() and
// read() for modules that "forget" the URC.
type tinyBG96 struct {
	t *testing.T
	h *host
	// rxBuffer is the sketch's TINY_GSM_RX_BUFFER: a socket's FIFO holds
	// rxBuffer-1 octets, which bounds every AT+QIRD. TinyGSM's default is
	// 64; its FileDownload example sets 1024.
	rxBuffer int
	sock     [12]bg96Socket // TINY_GSM_MUX_COUNT
	seen     bg96Stats
}

// bg96Socket is a GsmClientBG96's state.
type bg96Socket struct {
	exists    bool   // sockets[mux] != nullptr: the sketch made this client
	connected bool   // sock_connected
	available uint16 // sock_available
	gotData   bool   // got_data
	prevCheck time.Time
	rx        []byte // the FIFO's contents
}

// bg96Stats counts what the driver went through, for failure messages
// and logs.
type bg96Stats struct {
	recvURCs  int // +QIURC: "recv" taken
	reads     int // AT+QIRD=<mux>,<size> sent
	checks    int // AT+QIRD=<mux>,0 sent
	states    int // AT+QISTATE=1,<mux> sent
	rechecked int // 500 ms re-checks that found data no URC had announced
}

func (s bg96Stats) String() string {
	return fmt.Sprintf("%d recv URCs, %d AT+QIRD reads, %d AT+QIRD=<id>,0, %d AT+QISTATE, %d re-checks found unannounced data",
		s.recvURCs, s.reads, s.checks, s.states, s.rechecked)
}

// bg96Recheck is the 500 ms after which available() and read() ask the
// module anyway.
const bg96Recheck = 500 * time.Millisecond

func newTinyBG96(t *testing.T, h *host) *tinyBG96 {
	return &tinyBG96{t: t, h: h, rxBuffer: 64}
}

func (c *tinyBG96) sendAT(args ...any) {
	c.t.Helper()
	c.h.write([]byte("AT" + fmt.Sprint(args...) + "\r\n"))
}

// waitResponse is waitResponseImpl: r1 defaults to "OK\r\n", r2 to
// "ERROR\r\n".
func (c *tinyBG96) waitResponse(timeout time.Duration, rs ...string) (int, string) {
	switch len(rs) {
	case 0:
		rs = []string{"OK\r\n", "ERROR\r\n"}
	case 1:
		rs = []string{rs[0], "ERROR\r\n"}
	}
	return c.wait(timeout, rs)
}

func (c *tinyBG96) wait(timeout time.Duration, rs []string) (int, string) {
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

// handleURC is TinyGsmBG96::handleURCs: only "\r\n+QIURC:" is a URC.
func (c *tinyBG96) handleURC(data []byte) bool {
	if !bytes.HasSuffix(data, []byte("\r\n+QIURC:")) {
		return false
	}
	c.h.skipUntil('"', tinyTimeout)
	urc := c.h.readStringUntil('"')
	c.h.skipUntil(',', tinyTimeout)
	switch urc {
	case "recv":
		mux := int8(c.h.getIntBefore('\n'))
		if mux >= 0 && int(mux) < len(c.sock) && c.sock[mux].exists {
			c.sock[mux].gotData = true
			c.seen.recvURCs++
		}
	case "closed":
		mux := int8(c.h.getIntBefore('\n'))
		if mux >= 0 && int(mux) < len(c.sock) && c.sock[mux].exists {
			c.sock[mux].connected = false
		}
	default:
		c.h.skipUntil('\n', tinyTimeout)
	}
	return true
}

func (c *tinyBG96) must(step string, want int, timeout time.Duration, rs ...string) string {
	c.t.Helper()
	got, data := c.waitResponse(timeout, rs...)
	if got != want {
		c.t.Fatalf("%s: waitResponse = %d after %q, want %d: %s", step, got, data, want, c.h.tail())
	}
	return data
}

// maintain is maintainImpl (READ_AND_CHECK_SIZE): the sockets with
// got_data ask for their unread count, then URCs are taken while bytes
// are waiting, 15 ms at a time.
func (c *tinyBG96) maintain() {
	for mux := range c.sock {
		s := &c.sock[mux]
		if s.exists && s.gotData {
			s.gotData = false
			s.available = uint16(c.modemGetAvailable(mux))
		}
	}
	for c.h.ready() {
		c.wait(15*time.Millisecond, nil)
	}
}

// streamClear is streamClear: 50 ms at a time while anything waits.
func (c *tinyBG96) streamClear() {
	for c.h.ready() {
		c.wait(50*time.Millisecond, nil)
	}
}

// testAT is testATImpl with its default 10 s.
func (c *tinyBG96) testAT() bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.sendAT("")
		if r, _ := c.waitResponse(200 * time.Millisecond); r == 1 {
			return true
		}
		<-time.After(100 * time.Millisecond) // delay(100)
	}
	return false
}

// init is TinyGsmBG96::initImpl without a PIN, built without
// TINY_GSM_DEBUG (so AT+CMEE=0 and no getModemName).
func (c *tinyBG96) init() {
	c.t.Helper()
	if !c.testAT() {
		c.t.Fatalf("testAT: no OK within 10 s: %s", c.h.tail())
	}
	c.sendAT("E0")
	c.must("ATE0", 1, tinyTimeout)
	c.sendAT("+CMEE=0")
	c.waitResponse(tinyTimeout)
	c.sendAT("+CTZR=0")
	c.must("AT+CTZR=0", 1, 10*time.Second)
	c.sendAT("+CTZU=1")
	c.must("AT+CTZU=1", 1, 10*time.Second)
	if st := c.simStatus(); st != "READY" {
		c.t.Fatalf("getSimStatus: %q, want READY", st)
	}
}

// simStatus is getSimStatusImpl: AT+CPIN? retried each second for 10 s.
func (c *tinyBG96) simStatus() string {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.sendAT("+CPIN?")
		if r, _ := c.waitResponse(tinyTimeout, "+CPIN:"); r != 1 {
			<-time.After(time.Second) // delay(1000)
			continue
		}
		r, _ := c.waitResponse(tinyTimeout, "READY", "SIM PIN", "SIM PUK", "NOT INSERTED", "NOT READY")
		c.waitResponse(tinyTimeout)
		return [...]string{"ERROR", "READY", "SIM PIN", "SIM PUK", "ERROR", "ERROR"}[r]
	}
	return "ERROR"
}

// modemInfo is getModemInfoImpl (ATI), as the examples print it.
func (c *tinyBG96) modemInfo() string {
	c.sendAT("I")
	r, res := c.waitResponse(tinyTimeout)
	if r != 1 {
		return ""
	}
	res = strings.ReplaceAll(res, "\r\nOK\r\n", "")
	res = strings.ReplaceAll(res, "\r\n", " ")
	return strings.TrimSpace(res)
}

// xreg is getRegistrationStatusXREG.
func (c *tinyBG96) xreg(cmd string) int {
	c.sendAT("+", cmd, "?")
	if r, _ := c.waitResponse(tinyTimeout, "+CREG:", "+CGREG:", "+CEREG:"); r < 1 || r > 3 {
		return -1
	}
	c.h.skipUntil(',', tinyTimeout)
	stat := c.h.parseInt()
	c.waitResponse(tinyTimeout)
	return int(stat)
}

// networkConnected is isNetworkConnectedImpl: CEREG first, then CREG.
func (c *tinyBG96) networkConnected() bool {
	s := c.xreg("CEREG")
	if s != 1 && s != 5 {
		s = c.xreg("CREG")
	}
	return s == 1 || s == 5
}

// waitForNetwork is waitForNetworkImpl, polling every 250 ms.
func (c *tinyBG96) waitForNetwork(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if c.networkConnected() {
			return true
		}
		<-time.After(250 * time.Millisecond) // delay(250)
	}
	return false
}

// gprsConnect is gprsConnectImpl.
func (c *tinyBG96) gprsConnect(apn, user, pwd string) bool {
	c.t.Helper()
	c.gprsDisconnect()
	c.sendAT(`+QICSGP=1,1,"`, apn, `","`, user, `","`, pwd, `"`)
	if r, _ := c.waitResponse(tinyTimeout); r != 1 {
		c.t.Errorf("AT+QICSGP: not OK: %s", c.h.tail())
		return false
	}
	c.sendAT("+QIACT=1")
	if r, _ := c.waitResponse(150 * time.Second); r != 1 {
		c.t.Errorf("AT+QIACT=1: not OK: %s", c.h.tail())
		return false
	}
	c.sendAT("+CGATT=1")
	if r, _ := c.waitResponse(60 * time.Second); r != 1 {
		c.t.Errorf("AT+CGATT=1: not OK: %s", c.h.tail())
		return false
	}
	return true
}

// gprsDisconnect is gprsDisconnectImpl.
func (c *tinyBG96) gprsDisconnect() bool {
	c.sendAT("+QIDEACT=1")
	r, _ := c.waitResponse(40 * time.Second)
	return r == 1
}

// gprsConnected is isGprsConnectedImpl: AT+CGATT? then localIP() not
// 0.0.0.0.
func (c *tinyBG96) gprsConnected() (bool, string) {
	c.sendAT("+CGATT?")
	if r, _ := c.waitResponse(tinyTimeout, "+CGATT:"); r != 1 {
		return false, ""
	}
	res := int8(c.h.getIntBefore('\n'))
	c.waitResponse(tinyTimeout)
	if res != 1 {
		return false, ""
	}
	ip := c.localIP()
	return ip != "0.0.0.0", ip
}

// localIP is localIP(): getLocalIPImpl (AT+CGPADDR=1, the text after
// the first comma up to CR) through TinyGsmIpFromString.
func (c *tinyBG96) localIP() string {
	c.sendAT("+CGPADDR=1")
	if r, _ := c.waitResponse(tinyTimeout, "+CGPADDR:"); r != 1 {
		return "0.0.0.0"
	}
	c.h.skipUntil(',', tinyTimeout)
	res := c.h.readStringUntil('\r')
	if r, _ := c.waitResponse(tinyTimeout); r != 1 {
		return "0.0.0.0"
	}
	return ipFromString(res)
}

// ipFromString is TinyGsmIpFromString.
func ipFromString(s string) string {
	var parts [4]int
	part := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '.':
			part++
			if part > 3 {
				return "0.0.0.0"
			}
		case ch >= '0' && ch <= '9':
			parts[part] = parts[part]*10 + int(ch-'0')
		default:
			if part == 3 {
				i = len(s)
			}
		}
	}
	return fmt.Sprintf("%d.%d.%d.%d", byte(parts[0]), byte(parts[1]), byte(parts[2]), byte(parts[3]))
}

// bringUp is the examples' setup: init, getModemInfo, waitForNetwork
// and gprsConnect. (The examples' isGprsConnected() is checkGprs.)
func (c *tinyBG96) bringUp() {
	c.t.Helper()
	c.init()
	c.t.Logf("modem info %q", c.modemInfo())
	if !c.waitForNetwork(10 * time.Second) {
		c.t.Fatal("waitForNetwork: neither AT+CEREG? nor AT+CREG? reports registration")
	}
	if !c.gprsConnect("internet", "", "") {
		c.t.Fatal("gprsConnect failed")
	}
}

// checkGprs is the examples' isGprsConnected() and localIP(), which
// should give the stack's address.
func (c *tinyBG96) checkGprs(st *stack) {
	c.t.Helper()
	ok, ip := c.gprsConnected()
	if !ok || ip != st.clientAddr().String() {
		c.t.Errorf("isGprsConnected = %v, localIP = %q, want true and %v: %s", ok, ip, st.clientAddr(), c.h.tail())
	}
}

// connect is GsmClientBG96::connect(host, port): stop, clear the FIFO,
// modemConnect with TINY_GSM_CLIENT_CONNECT_OVERRIDES' 75 s.
func (c *tinyBG96) connect(mux int, host string, port int) bool {
	c.t.Helper()
	c.sock[mux].exists = true
	c.stop(mux)
	c.sock[mux].rx = nil
	c.sock[mux].connected = c.modemConnect(mux, host, port, 75*time.Second)
	return c.sock[mux].connected
}

// modemConnect: AT+QIOPEN=1,<mux>,"TCP","<host>",<port>,0,0, one
// waitResponse() for OK, then "\r\n+QIOPEN:" with the same mux and
// error 0.
func (c *tinyBG96) modemConnect(mux int, host string, port int, timeout time.Duration) bool {
	c.sendAT(`+QIOPEN=1,`, mux, `,"TCP","`, host, `",`, port, `,0,0`)
	c.waitResponse(tinyTimeout)
	if r, _ := c.waitResponse(timeout, "\r\n+QIOPEN:"); r != 1 {
		return false
	}
	if int(c.h.getIntBefore(',')) != mux {
		return false
	}
	return c.h.getIntBefore('\n') == 0
}

// stop is GsmClientBG96::stop() (15 s): drain what the modem holds, then
// AT+QICLOSE and one waitResponse.
func (c *tinyBG96) stop(mux int) {
	const maxWait = 15 * time.Second
	start := time.Now()
	s := &c.sock[mux]
	for s.available > 0 && time.Since(start) < maxWait {
		s.rx = nil
		c.modemRead(min(c.free(mux), s.available), mux)
	}
	s.rx = nil
	c.streamClear()
	c.sendAT("+QICLOSE=", mux)
	s.connected = false
	c.waitResponse(maxWait - time.Since(start))
}

// free is rx.free().
func (c *tinyBG96) free(mux int) uint16 {
	return uint16(c.rxBuffer - 1 - len(c.sock[mux].rx))
}

// write is GsmClient::write: maintain, then modemSend: AT+QISEND with
// the length, ">", the data, "\r\nSEND OK" within a second.
func (c *tinyBG96) write(mux int, p []byte) int {
	c.t.Helper()
	c.maintain()
	c.sendAT("+QISEND=", mux, ",", uint16(len(p)))
	if r, _ := c.waitResponse(tinyTimeout, ">"); r != 1 {
		return 0
	}
	c.h.write(p)
	if r, _ := c.waitResponse(tinyTimeout, "\r\nSEND OK"); r != 1 {
		return 0
	}
	return len(p)
}

// modemRead: AT+QIRD=<mux>,<size>, "+QIRD:", the count before "\n",
// that many octets into the FIFO, waitResponse(), then the unread count
// from modemGetAvailable becomes sock_available.
func (c *tinyBG96) modemRead(size uint16, mux int) int {
	c.t.Helper()
	s := &c.sock[mux]
	c.sendAT("+QIRD=", mux, ",", size)
	c.seen.reads++
	if r, _ := c.waitResponse(tinyTimeout, "+QIRD:"); r != 1 {
		return 0
	}
	n := c.h.getIntBefore('\n')
	if int(n) > int(size) || n < 0 {
		// The driver would overfill its FIFO (losing octets), or read a
		// garbled count.
		c.t.Fatalf("AT+QIRD=%d,%d: count %d: %s", mux, size, n, c.h.tail())
	}
	for range n {
		c.moveCharToFifo(mux)
	}
	c.waitResponse(tinyTimeout)
	s.available = uint16(c.modemGetAvailable(mux))
	return int(n)
}

// moveCharToFifo is moveCharFromStreamToFifo.
func (c *tinyBG96) moveCharToFifo(mux int) {
	ch := c.h.timedRead()
	s := &c.sock[mux]
	if len(s.rx) < c.rxBuffer-1 {
		s.rx = append(s.rx, byte(ch))
	}
}

// modemGetAvailable: AT+QIRD=<mux>,0, the third field of "+QIRD:"; when
// it is 0, sock_connected = modemGetConnected. The int16_t from
// streamGetIntBefore goes through a 32-bit size_t.
func (c *tinyBG96) modemGetAvailable(mux int) uint32 {
	var result uint32
	c.sendAT("+QIRD=", mux, ",0")
	c.seen.checks++
	if r, _ := c.waitResponse(tinyTimeout, "+QIRD:"); r == 1 {
		c.h.skipUntil(',', tinyTimeout) // total received
		c.h.skipUntil(',', tinyTimeout) // have read
		result = uint32(int32(c.h.getIntBefore('\n')))
		c.waitResponse(tinyTimeout)
	}
	if result == 0 {
		c.sock[mux].connected = c.modemGetConnected(mux)
	}
	return result
}

// modemGetConnected: AT+QISTATE=1,<mux>, skip five commas, the state
// before the sixth; 2 is connected.
func (c *tinyBG96) modemGetConnected(mux int) bool {
	c.sendAT("+QISTATE=1,", mux)
	c.seen.states++
	if r, _ := c.waitResponse(tinyTimeout, "+QISTATE:"); r != 1 {
		return false
	}
	for range 5 {
		c.h.skipUntil(',', tinyTimeout)
	}
	res := int8(c.h.getIntBefore(','))
	c.waitResponse(tinyTimeout)
	return res == 2
}

// recheck is the "modules forget to notify" workaround of available()
// and read().
// It reports whether it set got_data that no URC had set.
func (c *tinyBG96) recheck(mux int) bool {
	s := &c.sock[mux]
	if time.Since(s.prevCheck) > bg96Recheck {
		fired := !s.gotData
		s.gotData = true
		s.prevCheck = time.Now()
		return fired
	}
	return false
}

// read is GsmClient::read(buf, size) in READ_AND_CHECK_SIZE mode.
func (c *tinyBG96) read(mux, size int) []byte {
	s := &c.sock[mux]
	var out []byte
	c.maintain()
	for len(out) < size {
		if k := min(size-len(out), len(s.rx)); k > 0 {
			out = append(out, s.rx[:k]...)
			s.rx = s.rx[k:]
			continue
		}
		urcs, had := c.seen.recvURCs, s.available
		fired := c.recheck(mux)
		c.maintain()
		if fired && urcs == c.seen.recvURCs && had == 0 && s.available > 0 {
			c.seen.rechecked++
		}
		if s.available == 0 {
			break
		}
		if c.modemRead(min(c.free(mux), s.available), mux) == 0 {
			break
		}
	}
	return out
}

// available is GsmClient::available in READ_AND_CHECK_SIZE mode.
func (c *tinyBG96) available(mux int) int {
	s := &c.sock[mux]
	if len(s.rx) == 0 {
		c.recheck(mux)
		c.maintain()
	}
	return len(s.rx) + int(s.available)
}

// connected is GsmClient::connected: available() or sock_connected.
func (c *tinyBG96) connected(mux int) bool {
	if c.available(mux) > 0 {
		return true
	}
	return c.sock[mux].connected
}

// download is tinyDownload.
func (c *tinyBG96) download(mux, bufSize int, patience time.Duration) ([]byte, bool) {
	return tinyDownload(c, mux, bufSize, patience)
}

func (c *tinyBG96) host() *host { return c.h }

func (c *tinyBG96) counts() string { return fmt.Sprint(c.seen) }

// idle lets up to d pass unless received bytes are waiting: the time a
// sketch's loop spends between calls, without spinning the test's CPU.
func (h *host) idle(d time.Duration) {
	if len(h.buf) == 0 {
		h.fill(time.Now().Add(d))
	}
}

// use makes the client report to t until the returned function restores
// the previous test.
func (c *tinyBG96) use(t *testing.T) (restore func()) {
	prev, restoreHost := c.t, c.h.use(t)
	c.t = t
	return func() { c.t = prev; restoreHost() }
}

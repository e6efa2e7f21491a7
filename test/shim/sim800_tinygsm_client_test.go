package shim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// tinySIM800 is TinyGSM's SIM800 driver (src/TinyGsmClientSIM800.h, HEAD
// 4c55210) with its GsmClient in TINY_GSM_BUFFER_READ_AND_CHECK_SIZE mode
// (src/TinyGsmTCP.tpp), built without TINY_GSM_DEBUG, as far as the shim
// can tell: the same commands in the same order, each ended by "\r\n"
// (AT_NL); answers matched as a suffix of the bytes accumulated since the
// command was sent (waitResponseImpl, which tries the expected answers
// before handleURCs), with "\r\n+CIPRXGET:" and a line ending in
// "CLOSED\r\n" taken as URCs in between; integers parsed by
// streamGetIntBefore into the same C types; +CIPRXGET: 1,<mux> setting
// got_data, which the next maintain() turns into AT+CIPRXGET=4,<mux>;
// AT+CIPRXGET=2,<mux>,<size> taking field 3 as the count of octets that
// follow and field 4 as sock_available; AT+CIPSTATUS=<mux> when
// AT+CIPRXGET=4 says 0; the 500 ms re-check of available() and read().
type tinySIM800 struct {
	t *testing.T
	h *host
	// rxBuffer is the sketch's TINY_GSM_RX_BUFFER: a socket's FIFO holds
	// rxBuffer-1 octets, which bounds every AT+CIPRXGET=2. TinyGSM's
	// default is 64; its FileDownload example sets 1024.
	rxBuffer int
	sock     [5]sim800Socket // TINY_GSM_MUX_COUNT
	seen     sim800Stats
}

// sim800Socket is a GsmClientSim800's state.
type sim800Socket struct {
	exists    bool   // sockets[mux] != nullptr
	connected bool   // sock_connected
	available uint16 // sock_available
	gotData   bool   // got_data
	prevCheck time.Time
	rx        []byte // the FIFO's contents
}

// sim800Stats counts what the driver went through.
type sim800Stats struct {
	urcs, reads, checks, states, closed int
}

func (s sim800Stats) String() string {
	return fmt.Sprintf("%d +CIPRXGET: 1 URCs, %d AT+CIPRXGET=2, %d AT+CIPRXGET=4, %d AT+CIPSTATUS=<n>, %d CLOSED URCs",
		s.urcs, s.reads, s.checks, s.states, s.closed)
}

func newTinySIM800(t *testing.T, h *host) *tinySIM800 {
	return &tinySIM800{t: t, h: h, rxBuffer: 64}
}

func (c *tinySIM800) sendAT(args ...any) {
	c.t.Helper()
	c.h.write([]byte("AT" + fmt.Sprint(args...) + "\r\n"))
}

// waitResponse is waitResponseImpl: r1 defaults to "OK\r\n", r2 to
// "ERROR\r\n".
func (c *tinySIM800) waitResponse(timeout time.Duration, rs ...string) (int, string) {
	switch len(rs) {
	case 0:
		rs = []string{"OK\r\n", "ERROR\r\n"}
	case 1:
		rs = []string{rs[0], "ERROR\r\n"}
	}
	return c.wait(timeout, rs)
}

func (c *tinySIM800) wait(timeout time.Duration, rs []string) (int, string) {
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
		if c.handleURC(&data) {
			data = data[:0]
		}
	}
}

// handleURC is TinyGsmSim800::handleURCs.
func (c *tinySIM800) handleURC(data *[]byte) bool {
	switch d := *data; {
	case bytes.HasSuffix(d, []byte("\r\n+CIPRXGET:")):
		mode := int8(c.h.getIntBefore(','))
		if mode != 1 {
			*data = fmt.Appendf(d, "%d", mode)
			return false
		}
		mux := int8(c.h.getIntBefore('\n'))
		if mux >= 0 && int(mux) < len(c.sock) && c.sock[mux].exists {
			c.sock[mux].gotData = true
			c.seen.urcs++
		}
		return true
	case bytes.HasSuffix(d, []byte("\r\n+RECEIVE:")):
		mux := int8(c.h.getIntBefore(','))
		n := c.h.getIntBefore('\n')
		if mux >= 0 && int(mux) < len(c.sock) && c.sock[mux].exists {
			c.sock[mux].gotData = true
			if n >= 0 && n <= 1024 {
				c.sock[mux].available = uint16(n)
			}
		}
		return true
	case bytes.HasSuffix(d, []byte("CLOSED\r\n")):
		nl := bytes.LastIndex(d[:max(len(d)-8+2, 0)], []byte("\r\n")) // lastIndexOf(AT_NL, length-8)
		rest := d[nl+2:]
		coma := bytes.IndexByte(rest, ',')
		if coma < 0 {
			coma = len(rest) // String::substring to -1: the rest
		}
		mux := toInt(string(rest[:coma]))
		if mux >= 0 && mux < len(c.sock) && c.sock[mux].exists {
			c.sock[mux].connected = false
			c.seen.closed++
		}
		return true
	case bytes.HasSuffix(d, []byte("*PSNWID:")), bytes.HasSuffix(d, []byte("*PSUTTZ:")),
		bytes.HasSuffix(d, []byte("+CTZV:")), bytes.HasSuffix(d, []byte("DST:")):
		c.h.skipUntil('\n', tinyTimeout)
		return true
	}
	return false
}

// toInt is Arduino's String::toInt (atol): leading white space, a sign,
// digits.
func toInt(s string) int {
	s = strings.TrimLeft(s, " \t\r\n")
	n, neg := 0, false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

func (c *tinySIM800) must(step string, want int, timeout time.Duration, rs ...string) string {
	c.t.Helper()
	got, data := c.waitResponse(timeout, rs...)
	if got != want {
		c.t.Fatalf("%s: waitResponse = %d after %q, want %d: %s", step, got, data, want, c.h.tail())
	}
	return data
}

// maintain is maintainImpl (READ_AND_CHECK_SIZE).
func (c *tinySIM800) maintain() {
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

// streamClear: 50 ms at a time while anything waits.
func (c *tinySIM800) streamClear() {
	for c.h.ready() {
		c.wait(50*time.Millisecond, nil)
	}
}

// testAT is testATImpl with its default 10 s.
func (c *tinySIM800) testAT() bool {
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

// init is TinyGsmSim800::initImpl without a PIN, built without
// TINY_GSM_DEBUG (AT+CMEE=0, and no getModemName).
func (c *tinySIM800) init() {
	c.t.Helper()
	if !c.testAT() {
		c.t.Fatalf("testAT: no OK within 10 s: %s", c.h.tail())
	}
	c.sendAT("E0")
	c.must("ATE0", 1, tinyTimeout)
	c.sendAT("+CMEE=0")
	c.waitResponse(tinyTimeout)
	c.sendAT("+CLTS=1")
	c.must("AT+CLTS=1", 1, 10*time.Second)
	c.sendAT("+CBATCHK=1")
	c.waitResponse(tinyTimeout)
	if st := c.simStatus(); st != "READY" {
		c.t.Fatalf("getSimStatus: %q, want READY", st)
	}
}

// simStatus is getSimStatusImpl: AT+CPIN? retried each second for 10 s.
func (c *tinySIM800) simStatus() string {
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

// cleanResponseString is TinyGsmModem's.
func cleanResponseString(res string) string {
	res = strings.ReplaceAll(res, "\r\nOK\r\n", "")
	res = strings.ReplaceAll(res, "\rOK\r", "")
	res = strings.ReplaceAll(res, "\r\n", " ")
	res = strings.ReplaceAll(res, "\r", " ")
	return strings.TrimSpace(res)
}

// modemInfo is getModemInfoImpl (ATI).
func (c *tinySIM800) modemInfo() string {
	c.sendAT("I")
	r, res := c.waitResponse(tinyTimeout)
	if r != 1 {
		return ""
	}
	return cleanResponseString(res)
}

// waitForNetwork is waitForNetworkImpl over getRegistrationStatus
// (AT+CREG?), polling every 250 ms.
func (c *tinySIM800) waitForNetwork(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		c.sendAT("+CREG?")
		if r, _ := c.waitResponse(tinyTimeout, "+CREG:"); r == 1 {
			c.h.skipUntil(',', tinyTimeout)
			stat := c.h.parseInt()
			c.waitResponse(tinyTimeout)
			if stat == 1 || stat == 5 {
				return true
			}
		}
		<-time.After(250 * time.Millisecond) // delay(250)
	}
	return false
}

// gprsConnect is gprsConnectImpl: every step whose result it checks must
// succeed.
func (c *tinySIM800) gprsConnect(apn, user, pwd string) bool {
	c.t.Helper()
	c.gprsDisconnect()
	c.sendAT(`+SAPBR=3,1,"Contype","GPRS"`)
	c.waitResponse(tinyTimeout)
	c.sendAT(`+SAPBR=3,1,"APN","`, apn, `"`)
	c.waitResponse(tinyTimeout)
	if user != "" {
		c.sendAT(`+SAPBR=3,1,"USER","`, user, `"`)
		c.waitResponse(tinyTimeout)
	}
	if pwd != "" {
		c.sendAT(`+SAPBR=3,1,"PWD","`, pwd, `"`)
		c.waitResponse(tinyTimeout)
	}
	c.sendAT(`+CGDCONT=1,"IP","`, apn, `"`)
	c.waitResponse(tinyTimeout)
	c.sendAT("+CGACT=1,1")
	c.waitResponse(60 * time.Second)
	c.sendAT("+SAPBR=1,1")
	c.waitResponse(85 * time.Second)
	for _, step := range []struct {
		cmd     string
		timeout time.Duration
	}{
		{"+SAPBR=2,1", 30 * time.Second},
		{"+CGATT=1", 60 * time.Second},
		{"+CIPMUX=1", tinyTimeout},
		{"+CIPQSEND=1", tinyTimeout},
		{"+CIPRXGET=1", tinyTimeout},
		{`+CSTT="` + apn + `","` + user + `","` + pwd + `"`, 60 * time.Second},
		{"+CIICR", 60 * time.Second},
		{"+CIFSR;E0", 10 * time.Second},
		{`+CDNSCFG="8.8.8.8","8.8.4.4"`, tinyTimeout},
	} {
		c.sendAT(step.cmd)
		if r, data := c.waitResponse(step.timeout); r != 1 {
			c.t.Errorf("AT%s: not OK (%q): %s", step.cmd, data, c.h.tail())
			return false
		}
	}
	return true
}

// gprsDisconnect is gprsDisconnectImpl.
func (c *tinySIM800) gprsDisconnect() bool {
	c.sendAT("+CIPSHUT")
	if r, _ := c.waitResponse(60 * time.Second); r != 1 {
		return false
	}
	c.sendAT("+CGATT=0")
	r, _ := c.waitResponse(60 * time.Second)
	return r == 1
}

// gprsConnected is isGprsConnectedImpl: AT+CGATT? then localIP() not
// 0.0.0.0.
func (c *tinySIM800) gprsConnected() (bool, string) {
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

// localIP is getLocalIPImpl (AT+CIFSR;E0, the whole answer cleaned)
// through TinyGsmIpFromString.
func (c *tinySIM800) localIP() string {
	c.sendAT("+CIFSR;E0")
	r, res := c.waitResponse(10 * time.Second)
	if r != 1 {
		return "0.0.0.0"
	}
	return ipFromString(cleanResponseString(res))
}

// connect is GsmClientSim800::connect(host, port): stop, clear the FIFO,
// modemConnect with TINY_GSM_CLIENT_CONNECT_OVERRIDES' 75 s.
func (c *tinySIM800) connect(mux int, host string, port int) bool {
	c.t.Helper()
	c.sock[mux].exists = true
	c.stop(mux)
	c.sock[mux].rx = nil
	c.sock[mux].connected = c.modemConnect(mux, host, port, 75*time.Second)
	return c.sock[mux].connected
}

// modemConnect: AT+CIPSSL=0, then AT+CIPSTART=<mux>,"TCP","<host>",<port>
// and one waitResponse for its outcomes, the immediate OK included.
func (c *tinySIM800) modemConnect(mux int, host string, port int, timeout time.Duration) bool {
	c.sendAT("+CIPSSL=", 0)
	c.waitResponse(tinyTimeout)
	c.sendAT("+CIPSTART=", mux, `,"TCP","`, host, `",`, port)
	r, _ := c.waitResponse(timeout, "CONNECT OK\r\n", "CONNECT FAIL\r\n", "ALREADY CONNECT\r\n", "ERROR\r\n", "CLOSE OK\r\n")
	return r == 1
}

// stop is GsmClientSim800::stop() (15 s): dumpModemBuffer, then
// AT+CIPCLOSE=<mux>,1 and one waitResponse.
func (c *tinySIM800) stop(mux int) {
	const maxWait = 15 * time.Second
	start := time.Now()
	s := &c.sock[mux]
	for s.available > 0 && time.Since(start) < maxWait {
		s.rx = nil
		c.modemRead(min(c.free(mux), s.available), mux)
	}
	s.rx = nil
	c.streamClear()
	c.sendAT("+CIPCLOSE=", mux, ",1")
	s.connected = false
	c.waitResponse(tinyTimeout)
}

// free is rx.free().
func (c *tinySIM800) free(mux int) uint16 {
	return uint16(c.rxBuffer - 1 - len(c.sock[mux].rx))
}

// write is GsmClient::write: maintain, then modemSend: AT+CIPSEND with
// the length, ">", the data, "\r\nDATA ACCEPT:" within a second, and the
// number after the comma.
func (c *tinySIM800) write(mux int, p []byte) int {
	c.t.Helper()
	c.maintain()
	c.sendAT("+CIPSEND=", mux, ",", uint16(len(p)))
	if r, _ := c.waitResponse(tinyTimeout, ">"); r != 1 {
		return 0
	}
	c.h.write(p)
	if r, _ := c.waitResponse(tinyTimeout, "\r\nDATA ACCEPT:"); r != 1 {
		return 0
	}
	c.h.skipUntil(',', tinyTimeout)
	return int(c.h.getIntBefore('\n'))
}

// modemRead: AT+CIPRXGET=2,<mux>,<size>, "+CIPRXGET:", mode and mux
// skipped, field 3 the count that follows and field 4 sock_available,
// that many octets into the FIFO, then waitResponse().
func (c *tinySIM800) modemRead(size uint16, mux int) int {
	c.t.Helper()
	s := &c.sock[mux]
	c.sendAT("+CIPRXGET=2,", mux, ",", size)
	c.seen.reads++
	if r, _ := c.waitResponse(tinyTimeout, "+CIPRXGET:"); r != 1 {
		return 0
	}
	c.h.skipUntil(',', tinyTimeout)
	c.h.skipUntil(',', tinyTimeout)
	n := c.h.getIntBefore(',')
	left := c.h.getIntBefore('\n')
	if int(n) > int(size) || n < 0 || left < 0 {
		// The driver would overfill its FIFO (losing octets), or read a
		// garbled count.
		c.t.Fatalf("AT+CIPRXGET=2,%d,%d: count %d, left %d: %s", mux, size, n, left, c.h.tail())
	}
	for range n {
		ch := c.h.timedRead()
		if len(s.rx) < c.rxBuffer-1 {
			s.rx = append(s.rx, byte(ch))
		}
	}
	s.available = uint16(left)
	c.waitResponse(tinyTimeout)
	return int(n)
}

// modemGetAvailable: AT+CIPRXGET=4,<mux>, the third field; when it is 0,
// sock_connected = modemGetConnected. The int16_t from
// streamGetIntBefore goes through a 32-bit size_t.
func (c *tinySIM800) modemGetAvailable(mux int) uint32 {
	var result uint32
	c.sendAT("+CIPRXGET=4,", mux)
	c.seen.checks++
	if r, _ := c.waitResponse(tinyTimeout, "+CIPRXGET:"); r == 1 {
		c.h.skipUntil(',', tinyTimeout)
		c.h.skipUntil(',', tinyTimeout)
		result = uint32(int32(c.h.getIntBefore('\n')))
		c.waitResponse(tinyTimeout)
	}
	if result == 0 {
		c.sock[mux].connected = c.modemGetConnected(mux)
	}
	return result
}

// modemGetConnected: AT+CIPSTATUS=<mux>, "+CIPSTATUS", then which of the
// states follows; ,"CONNECTED" is connected.
func (c *tinySIM800) modemGetConnected(mux int) bool {
	c.sendAT("+CIPSTATUS=", mux)
	c.seen.states++
	c.waitResponse(tinyTimeout, "+CIPSTATUS")
	r, _ := c.waitResponse(tinyTimeout, `,"CONNECTED"`, `,"CLOSED"`, `,"CLOSING"`, `,"REMOTE CLOSING"`, `,"INITIAL"`)
	c.waitResponse(tinyTimeout)
	return r == 1
}

// recheck is the "modules forget to notify" workaround of available()
// and read().
func (c *tinySIM800) recheck(mux int) {
	s := &c.sock[mux]
	if time.Since(s.prevCheck) > 500*time.Millisecond {
		s.gotData = true
		s.prevCheck = time.Now()
	}
}

// read is GsmClient::read(buf, size) in READ_AND_CHECK_SIZE mode.
func (c *tinySIM800) read(mux, size int) []byte {
	s := &c.sock[mux]
	var out []byte
	c.maintain()
	for len(out) < size {
		if k := min(size-len(out), len(s.rx)); k > 0 {
			out = append(out, s.rx[:k]...)
			s.rx = s.rx[k:]
			continue
		}
		c.recheck(mux)
		c.maintain()
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
func (c *tinySIM800) available(mux int) int {
	s := &c.sock[mux]
	if len(s.rx) == 0 {
		c.recheck(mux)
		c.maintain()
	}
	return len(s.rx) + int(s.available)
}

// connected is GsmClient::connected: available() or sock_connected.
func (c *tinySIM800) connected(mux int) bool {
	if c.available(mux) > 0 {
		return true
	}
	return c.sock[mux].connected
}

// download is tinyDownload.
func (c *tinySIM800) download(mux, bufSize int, patience time.Duration) ([]byte, bool) {
	return tinyDownload(c, mux, bufSize, patience)
}

func (c *tinySIM800) host() *host { return c.h }

func (c *tinySIM800) counts() string { return fmt.Sprint(c.seen) }

// use makes the client report to t until the returned function restores
// the previous test.
func (c *tinySIM800) use(t *testing.T) (restore func()) {
	prev, restoreHost := c.t, c.h.use(t)
	c.t = t
	return func() { c.t = prev; restoreHost() }
}

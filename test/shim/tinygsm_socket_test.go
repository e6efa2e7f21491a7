package shim_test

import (
	"strings"
	"time"
)

// TinyGSM's GsmClient (src/TinyGsmTCP.tpp, TINY_GSM_BUFFER_READ_NO_CHECK)
// over the M95 and MC60 drivers' modemConnect, modemSend, modemRead and
// modemGetConnected.

// connect is GsmClient::connect: stop, clear the FIFO, modemConnect.
// sock_available is left as stop left it.
func (c *tinyGSM) connect(mux int, host string, port int) bool {
	c.t.Helper()
	c.stop(mux, 75*time.Second)
	c.sock[mux].rx = nil
	c.sock[mux].connected = c.modemConnect(mux, host, port)
	return c.sock[mux].connected
}

func (c *tinyGSM) modemConnect(mux int, host string, port int) bool {
	if c.mc60 {
		// Inverted, as TinyGSM does it (issue #824): an IP gets 1.
		if isIP(host) {
			c.sendAT("+QIDNSIP=1")
		} else {
			c.sendAT("+QIDNSIP=0")
		}
		if r, _ := c.waitResponse(tinyTimeout); r != 1 {
			return false
		}
	}
	c.sendAT("+QIOPEN=", mux, `,"TCP","`, host, `",`, port)
	r, _ := c.waitResponse(75*time.Second, "CONNECT OK\r\n", "CONNECT FAIL\r\n", "ALREADY CONNECT\r\n")
	return r == 1
}

func isIP(s string) bool {
	return strings.Trim(s, "0123456789.") == ""
}

// stop is GsmClient::stop: drain what the modem holds, then QICLOSE.
func (c *tinyGSM) stop(mux int, maxWait time.Duration) {
	c.t.Helper()
	start := time.Now()
	c.dumpModemBuffer(mux, maxWait)
	c.sendAT("+QICLOSE=", mux)
	c.sock[mux].connected = false
	c.waitResponse(maxWait-time.Since(start), "CLOSED", "CLOSE OK", "ERROR")
}

// dumpModemBuffer reads and drops what sock_available says is left.
func (c *tinyGSM) dumpModemBuffer(mux int, maxWait time.Duration) {
	s := &c.sock[mux]
	start := time.Now()
	for s.available > 0 && time.Since(start) < maxWait {
		s.rx = nil
		c.modemRead(min(c.free(mux), s.available), mux)
	}
	s.rx = nil
	c.streamClear()
}

// streamClear listens for 50 ms at a time while anything is waiting.
func (c *tinyGSM) streamClear() {
	for c.h.ready() {
		c.listen(c.scaled(50 * time.Millisecond))
	}
}

// free is rx.free(): the FIFO keeps one of its rxBuffer slots empty.
func (c *tinyGSM) free(mux int) uint16 {
	return uint16(c.rxBuffer - 1 - len(c.sock[mux].rx))
}

// write is GsmClient::write: maintain, then modemSend: QISEND with the
// length, the prompt, the data, and SEND OK within the default second;
// the MC60 then polls QISACK until nothing is unacknowledged.
func (c *tinyGSM) write(mux int, p []byte) int {
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
	if !c.mc60 {
		return len(p)
	}
	// The driver polls without a bound; the test gives up after 30 s.
	deadline := time.Now().Add(30 * time.Second)
	for {
		c.sendAT("+QISACK=", mux)
		if r, _ := c.waitResponse(5*time.Second, "\r\n+QISACK:"); r != 1 {
			return -1
		}
		c.h.skipUntil(',', tinyTimeout)
		c.h.skipUntil(',', tinyTimeout)
		if c.h.getIntBefore('\n') == 0 {
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatal("QISACK still reports unacknowledged data after 30 s")
		}
	}
	c.waitResponse(5 * time.Second)
	return len(p)
}

// modemRead is modemReadImpl: AT+QIRD for size octets into the FIFO. A
// read shorter than asked sets sock_available to its length; every octet
// read counts it down (a uint16_t), so that after a notice's 1500 (M95) or
// <tlen> (MC60) octets the driver reads no more until the next +QIRDI.
func (c *tinyGSM) modemRead(size uint16, mux int) int {
	c.t.Helper()
	s := &c.sock[mux]
	c.sendAT("+QIRD=0,1,", mux, ",", size)
	c.seen.reads++
	if r, _ := c.waitResponse(tinyTimeout, "+QIRD:", "OK\r\n", "ERROR\r\n"); r != 1 {
		s.available = 0
		return 0
	}
	c.h.skipUntil(':', tinyTimeout) // IP
	c.h.skipUntil(',', tinyTimeout) // port
	c.h.skipUntil(',', tinyTimeout) // TCP/UDP
	n := uint16(c.h.getIntBefore('\n'))
	if n > size {
		// The driver would put n octets into a FIFO with room for size,
		// losing the rest, and wait a second for each missing one.
		c.t.Fatalf("AT+QIRD=0,1,%d,%d answered %d octets: %s", mux, size, n, c.h.tail())
	}
	if n < size {
		s.available = n
	}
	for range n {
		c.moveCharToFifo(mux)
		s.available--
	}
	if n == size && s.available == 0 {
		c.seen.exhausted++
	}
	c.waitResponse(tinyTimeout)
	return int(n)
}

// moveCharToFifo is moveCharFromStreamToFifo: wait up to the client's
// timeout for a character, then store what Stream::read returns (0xff
// when nothing came).
func (c *tinyGSM) moveCharToFifo(mux int) {
	ch := c.h.timedRead()
	s := &c.sock[mux]
	if len(s.rx) < c.rxBuffer-1 {
		s.rx = append(s.rx, byte(ch))
	}
}

// read is GsmClient::read(buf, size): maintain, then take from the FIFO,
// refilling it from the module (after another maintain) while
// sock_available says there is more.
func (c *tinyGSM) read(mux, size int) []byte {
	s := &c.sock[mux]
	var out []byte
	c.maintain()
	for len(out) < size {
		if k := min(size-len(out), len(s.rx)); k > 0 {
			out = append(out, s.rx[:k]...)
			s.rx = s.rx[k:]
			continue
		}
		c.maintain()
		if s.available == 0 || c.modemRead(min(c.free(mux), s.available), mux) == 0 {
			break
		}
	}
	return out
}

// available is GsmClient::available: maintain when the FIFO is empty,
// then the FIFO's contents plus sock_available.
func (c *tinyGSM) available(mux int) int {
	s := &c.sock[mux]
	if len(s.rx) == 0 {
		c.maintain()
	}
	return len(s.rx) + int(s.available)
}

// connected is GsmClient::connected: true while anything is available,
// else what modemGetConnected says.
func (c *tinyGSM) connected(mux int) bool {
	if c.available(mux) > 0 {
		return true
	}
	return c.modemGetConnected(mux)
}

// modemGetConnected asks AT+QISTATE=1,<mux> (BG96 syntax) for state 2.
func (c *tinyGSM) modemGetConnected(mux int) bool {
	c.sendAT("+QISTATE=1,", mux)
	if r, _ := c.waitResponse(tinyTimeout, "+QISTATE:"); r != 1 {
		return false
	}
	for range 5 {
		c.h.skipUntil(',', tinyTimeout)
	}
	state := int8(c.h.getIntBefore(','))
	c.waitResponse(tinyTimeout)
	return state == 2
}

// readFull reads n octets the way a sketch calling client.read(buf, n)
// in a loop does.
func (c *tinyGSM) readFull(mux, n int, timeout time.Duration) []byte {
	c.t.Helper()
	var out []byte
	deadline := time.Now().Add(timeout)
	for len(out) < n {
		if time.Now().After(deadline) {
			c.t.Fatalf("read %d of %d octets in %v (%v): %s", len(out), n, timeout, c.seen, c.h.tail())
		}
		out = append(out, c.read(mux, n-len(out))...)
	}
	return out
}

// download is a sketch's read loop: client.read(buf, bufSize) while
// client.connected() (which counts what is still buffered). It reports a
// stall when nothing came for patience while connected() said the
// connection was still up.
func (c *tinyGSM) download(mux, bufSize int, patience time.Duration) (data []byte, stalled bool) {
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
	}
}

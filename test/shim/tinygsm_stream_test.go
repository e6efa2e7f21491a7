package shim_test

import (
	"time"
)

// Arduino's Stream and TinyGSM's stream helpers (src/TinyGsmModem.tpp),
// which TinyGSM's drivers parse the module's answers with. The Stream's
// timeout is its default, one second per character.

// streamTimeout is Stream's _timeout: how long timedRead waits for a
// character.
const streamTimeout = time.Second

// timedRead is Stream::timedRead: the next character, or -1 after
// streamTimeout.
func (h *host) timedRead() int {
	b, ok := h.byte(time.Now().Add(streamTimeout))
	if !ok {
		return -1
	}
	return int(b)
}

// readBytesUntil is Stream::readBytesUntil: up to length characters
// before term, which is consumed but not returned; it stops early when
// timedRead times out. After length characters term stays unread.
func (h *host) readBytesUntil(term byte, length int) []byte {
	var buf []byte
	for len(buf) < length {
		c := h.timedRead()
		if c < 0 || byte(c) == term {
			break
		}
		buf = append(buf, byte(c))
	}
	return buf
}

// readStringUntil is Stream::readStringUntil.
func (h *host) readStringUntil(term byte) string {
	var buf []byte
	for {
		c := h.timedRead()
		if c < 0 || byte(c) == term {
			return string(buf)
		}
		buf = append(buf, byte(c))
	}
}

// skipUntil is streamSkipUntil(c): consume through c, giving up after
// timeout.
func (h *host) skipUntil(c byte, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		b, ok := h.byte(deadline)
		if !ok {
			return false
		}
		if b == c {
			return true
		}
	}
}

// getIntBefore is streamGetIntBefore: at most 6 characters before last,
// converted by atoi into an int16_t (so 65532 reads as -4), or -9999 when
// nothing or 7 characters or more came. The drivers then narrow it
// further into the type they store it in (int8_t for a connection index
// or a packet count, uint16_t for a length).
func (h *host) getIntBefore(last byte) int16 {
	buf := h.readBytesUntil(last, 7)
	if len(buf) == 0 || len(buf) >= 7 {
		return -9999
	}
	return int16(atoi(buf))
}

// atoi is C's atoi on a 32-bit int (ESP32, ARM): leading white space, an
// optional sign, then digits up to the first other character.
func atoi(b []byte) int32 {
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var v int32
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		v = v*10 + int32(b[i]-'0')
	}
	if neg {
		return -v
	}
	return v
}

// timedPeek is Stream::timedPeek: the next character, left unread, or -1
// after streamTimeout.
func (h *host) timedPeek() int {
	deadline := time.Now().Add(streamTimeout)
	for len(h.buf) == 0 {
		if !h.fill(deadline) {
			return -1
		}
	}
	return int(h.buf[0])
}

// parseInt is Stream::parseInt: it skips to a digit or '-', then reads
// digits while they come; 0 if none came.
func (h *host) parseInt() int32 {
	c := h.timedPeek()
	for c >= 0 && c != '-' && (c < '0' || c > '9') {
		h.buf = h.buf[1:]
		c = h.timedPeek()
	}
	if c < 0 {
		return 0
	}
	neg, v := c == '-', int32(0)
	for {
		if c != '-' {
			v = v*10 + int32(c-'0')
		}
		h.buf = h.buf[1:]
		if c = h.timedPeek(); c < '0' || c > '9' {
			break
		}
	}
	if neg {
		return -v
	}
	return v
}

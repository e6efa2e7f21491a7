package shim_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/sim"
)

// qiReader reads a connection with AT+QIRD under AT+QINDI=1, taking the
// URCs that come in between.
type qiReader struct {
	h      *host
	rd     string // "0,1,0": context, role, index
	closed string // the CLOSED URC of this connection
	notice string // the +QIRDI URC of this connection
	// ready is set by +QIRDI and cleared by an empty read; done by CLOSED.
	ready, done bool
}

func (r *qiReader) urc(l string) bool {
	switch {
	case strings.ReplaceAll(l, " ", "") == r.notice:
		r.ready = true
	case l == r.closed:
		r.done = true
	default:
		return false
	}
	return true
}

// read sends one AT+QIRD for up to max bytes; nil when empty.
func (r *qiReader) read(max int) []byte {
	h := r.h
	h.t.Helper()
	h.cmd(fmt.Sprintf("AT+QIRD=%s,%d", r.rd, max))
	deadline := time.Now().Add(15 * time.Second)
	for {
		l, ok := h.tryLine(deadline)
		if !ok {
			h.t.Fatalf("AT+QIRD=%s,%d: no answer: %s", r.rd, max, h.tail())
		}
		if r.urc(l) {
			continue
		}
		if l == "OK" {
			r.ready = false
			return nil
		}
		rest, ok := strings.CutPrefix(l, "+QIRD:")
		if !ok {
			h.t.Fatalf("AT+QIRD=%s,%d: %q: %s", r.rd, max, l, h.tail())
		}
		i := strings.LastIndexByte(rest, ',')
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil || n <= 0 || n > max {
			h.t.Fatalf("AT+QIRD=%s,%d: header %q", r.rd, max, l)
		}
		h.crlf(5 * time.Second)
		data := h.readN(n, 5*time.Second)
		for {
			l, ok := h.tryLine(deadline)
			if !ok {
				h.t.Fatalf("AT+QIRD: no OK after the data: %s", h.tail())
			}
			if l == "OK" {
				return data
			}
			if !r.urc(l) {
				h.t.Fatalf("AT+QIRD: %q after the data, want OK", l)
			}
		}
	}
}

// wait waits for +QIRDI or CLOSED.
func (r *qiReader) wait(timeout time.Duration) {
	h := r.h
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for !r.ready && !r.done {
		l, ok := h.tryLine(deadline)
		if !ok {
			h.t.Fatalf("no %s within %v: %s", r.notice, timeout, h.tail())
		}
		if !r.urc(l) {
			h.t.Fatalf("unexpected line %q while waiting for %s", l, r.notice)
		}
	}
}

func newSingleReader(h *host) *qiReader {
	return &qiReader{h: h, rd: "0,1,0", closed: "CLOSED", notice: "+QIRDI:0,1,0"}
}

// openSingle sets up QIMUX=0 with retrieval by command and connects.
func openSingle(t *testing.T, h *host, port int) *qiReader {
	t.Helper()
	h.at("ATE0", "OK")
	h.at("AT+QINDI=1", "OK")
	h.at(fmt.Sprintf(`AT+QIOPEN="TCP","%v",%d`, gwAddr, port), "OK", "CONNECT OK")
	return newSingleReader(h)
}

// Every byte value, sent with a fixed length (so 0x08, 0x1A, 0x1B are
// data) to the echo service and read back with AT+QIRD.
func TestBinaryAllBytes(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{})
	r := openSingle(t, h, 7)
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, chunk := range [][]byte{all, append(append([]byte{}, all...), all...)} {
		h.cmd(fmt.Sprintf("AT+QISEND=%d", len(chunk)))
		h.prompt(5 * time.Second)
		h.write(chunk)
		h.expect(5*time.Second, "SEND OK")
		var got []byte
		for len(got) < len(chunk) {
			r.wait(10 * time.Second)
			if d := r.read(1024); d != nil {
				got = append(got, d...)
			}
		}
		if !bytes.Equal(got, chunk) {
			t.Fatalf("echo of %d bytes differs:\n got %x\nwant %x", len(chunk), got, chunk)
		}
	}
	h.at("AT+QICLOSE", "CLOSE OK")
}

// A 10 MB download read through AT+QIRD 1 KB at a time, more slowly than
// the network delivers it: a real module's buffer would overflow; the
// shim must hold the sender back and lose nothing.
func TestSlowReadTenMegabytes(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB through AT+QIRD")
	}
	const size = 10 << 20
	st := newStack(t)
	h := st.startShim(t, shimOptions{})
	r := openSingle(t, h, sourcePort)
	req := strconv.Itoa(size) + "\n"
	h.cmd(fmt.Sprintf("AT+QISEND=%d", len(req)))
	h.prompt(5 * time.Second)
	h.write([]byte(req))
	h.expect(5*time.Second, "SEND OK")
	r.wait(10 * time.Second)
	// Let the network fill every buffer before reading anything.
	<-time.After(500 * time.Millisecond)
	want := sim.Pattern(size)
	sum := sha256.New()
	ticker := time.NewTicker(2 * time.Millisecond)
	defer ticker.Stop()
	deadline := time.Now().Add(5 * time.Minute)
	got := 0
	for got < size {
		if time.Now().After(deadline) {
			t.Fatalf("read %d of %d bytes", got, size)
		}
		<-ticker.C
		for k := 0; k < 4 && got < size; k++ {
			d := r.read(1024)
			if d == nil {
				if r.done {
					t.Fatalf("CLOSED and empty after %d of %d bytes", got, size)
				}
				r.wait(30 * time.Second)
				continue
			}
			if !bytes.Equal(d, want[got:got+len(d)]) {
				t.Fatalf("bytes %d..%d differ from the pattern", got, got+len(d))
			}
			sum.Write(d)
			got += len(d)
		}
	}
	if !bytes.Equal(sum.Sum(nil), func() []byte { s := sha256.Sum256(want); return s[:] }()) {
		t.Fatal("sha256 differs")
	}
	if d := r.read(1024); d != nil {
		t.Fatalf("%d bytes beyond the %d sent", len(d), size)
	}
	if !r.done {
		r.wait(10 * time.Second) // the source closes after the last byte
	}
	h.sync(5 * time.Second)
}

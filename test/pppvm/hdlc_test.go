package pppvm

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
	"time"
)

// Just enough PPP in HDLC-like framing (RFC 1662) to recognise and answer
// pppd's first frames, independent of the packages under test.

const (
	protoLCP     = 0xc021
	codeConfReq  = 1
	codeTermReq  = 5
	codeTermAck  = 6
	lcpOptAuth   = 3
	lcpOptMRU    = 1
	flag, escape = 0x7e, 0x7d
)

// fcs16 is the frame check sequence of RFC 1662 §C.2.
func fcs16(b []byte) uint16 {
	fcs := uint16(0xffff)
	for _, c := range b {
		fcs ^= uint16(c)
		for range 8 {
			if fcs&1 != 0 {
				fcs = fcs>>1 ^ 0x8408
			} else {
				fcs >>= 1
			}
		}
	}
	return fcs
}

// frames returns the well-formed frames in buf, without address, control
// and FCS fields: protocol, then information.
func frames(buf []byte) [][]byte {
	var out [][]byte
	for raw := range bytes.SplitSeq(buf, []byte{flag}) {
		var f []byte
		for i := 0; i < len(raw); i++ {
			if raw[i] == escape && i+1 < len(raw) {
				i++
				f = append(f, raw[i]^0x20)
			} else {
				f = append(f, raw[i])
			}
		}
		if len(f) < 8 || fcs16(f) != 0xf0b8 || f[0] != 0xff || f[1] != 0x03 {
			continue
		}
		out = append(out, f[2:len(f)-2])
	}
	return out
}

// findLCP returns the first LCP packet with the given code in buf.
func findLCP(buf []byte, code byte) []byte {
	for _, f := range frames(buf) {
		if binary.BigEndian.Uint16(f) == protoLCP && len(f) >= 6 && f[2] == code {
			return f[2:]
		}
	}
	return nil
}

// lcpOptions returns the options of an LCP Configure-Request, each with
// its type and length bytes.
func lcpOptions(pkt []byte) [][]byte {
	var opts [][]byte
	for o := pkt[4:]; len(o) >= 2 && int(o[1]) >= 2 && int(o[1]) <= len(o); o = o[o[1]:] {
		opts = append(opts, o[:o[1]])
	}
	return opts
}

// encodeLCP frames an LCP packet, escaping every control character.
func encodeLCP(code, id byte) []byte {
	f := []byte{0xff, 0x03, protoLCP >> 8, protoLCP & 0xff, code, id, 0, 4}
	f = binary.LittleEndian.AppendUint16(f, ^fcs16(f))
	out := []byte{flag}
	for _, c := range f {
		if c < 0x20 || c == flag || c == escape {
			out = append(out, escape, c^0x20)
		} else {
			out = append(out, c)
		}
	}
	return append(out, flag)
}

func TestHDLCHelpers(t *testing.T) {
	// An LCP Terminate-Ack as pppd frames it with the default ACCM.
	enc := encodeLCP(codeTermAck, 0x2a)
	got := findLCP(append([]byte("\r\nOK\r\n"), enc...), codeTermAck)
	if want := []byte{codeTermAck, 0x2a, 0, 4}; !bytes.Equal(got, want) {
		t.Errorf("findLCP(encodeLCP) = % x, want % x (frame % x)", got, want, enc)
	}
}

// recorder collects what arrives on the line, so that a test can wait
// for something with a deadline.
type recorder struct {
	buf    []byte
	chunks chan []byte
}

// record reads r in a goroutine until r fails; closing r ends it.
func record(t *testing.T, r io.Reader) *recorder {
	rec := &recorder{chunks: make(chan []byte)}
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		defer close(rec.chunks)
		for {
			b := make([]byte, 4096)
			n, err := r.Read(b)
			if n > 0 {
				select {
				case rec.chunks <- b[:n]:
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return rec
}

// waitFor waits until found reports true for all that arrived so far.
func (r *recorder) waitFor(t *testing.T, what string, timeout time.Duration, found func([]byte) bool) {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for !found(r.buf) {
		select {
		case b, ok := <-r.chunks:
			if !ok {
				t.Fatalf("line closed while waiting for %s; got % x", what, r.tail())
			}
			r.buf = append(r.buf, b...)
		case <-timer.C:
			t.Fatalf("no %s within %v; got % x", what, timeout, r.tail())
		}
	}
}

// waitClosed waits until the reading goroutine has stopped.
func (r *recorder) waitClosed(t *testing.T, timeout time.Duration) {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case _, ok := <-r.chunks:
			if !ok {
				return
			}
		case <-timer.C:
			t.Fatalf("Read still pending %v after Close", timeout)
		}
	}
}

func (r *recorder) tail() []byte { return r.buf[max(0, len(r.buf)-200):] }

package dialer

import (
	"bytes"
	"fmt"
	"io"
)

// noCarrier is how a modem reports the end of a call in the data stream
// (verbose result, V.250 §5.7.1), minus its trailing CR LF.
const noCarrier = "\r\nNO CARRIER"

// flag is the HDLC Flag Sequence that delimits PPP frames (RFC 1662 §3.1).
const flag = 0x7e

// WatchCarrier returns a pass-through for a line in data mode whose Read
// fails with an error wrapping ErrNoCarrier once the modem reports
// NO CARRIER in the stream, after the bytes before that report have been
// read.
//
// To avoid false positives in PPP data, only "\r\nNO CARRIER" that directly
// follows a flag (0x7e) or starts the stream counts: a modem drops back to
// command mode after the last frame ends with a flag, and a flag never
// appears unescaped inside a frame. The report may be split across Reads;
// bytes that might begin it are held back until it is certain, and are
// delivered if it turns out not to be one. The report itself is not
// delivered, and once it is seen Read returns the error from then on.
//
// Write and Close go straight to rw. Read is for one goroutine at a time.
func WatchCarrier(rw io.ReadWriteCloser) io.ReadWriteCloser {
	return &carrierWatch{ReadWriteCloser: rw, armed: true}
}

// carrierWatch matches noCarrier byte by byte, held back in held.
type carrierWatch struct {
	io.ReadWriteCloser
	armed bool   // the previous byte was a flag, or none was read yet
	held  int    // bytes of noCarrier matched so far
	out   []byte // bytes ready for Read, from off on
	off   int
	buf   []byte
	err   error // sticky: ErrNoCarrier seen, or rw's read error
}

// OutputQueued reports the octets the line holds unsent, where it tells
// them; else it fails with errors.ErrUnsupported.
func (w *carrierWatch) OutputQueued() (int, error) { return outputQueued(w.ReadWriteCloser) }

// InputQueued reports the octets a Read could return at once: those the
// watch holds ready and those the line holds, where it tells them;
// else it fails with errors.ErrUnsupported.
func (w *carrierWatch) InputQueued() (int, error) {
	n, err := inputQueued(w.ReadWriteCloser)
	return len(w.out) - w.off + n, err
}

func (w *carrierWatch) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(w.out) == w.off && w.err == nil {
		if cap(w.buf) < len(p) {
			w.buf = make([]byte, len(p))
		}
		n, err := w.ReadWriteCloser.Read(w.buf[:len(p)])
		w.scan(w.buf[:n])
		if err != nil && w.err == nil {
			w.out = append(w.out, noCarrier[:w.held]...) // not a report after all
			w.held = 0
			w.err = err
		}
	}
	if len(w.out) > w.off {
		n := copy(p, w.out[w.off:])
		if w.off += n; w.off == len(w.out) {
			w.out, w.off = w.out[:0], 0 // keeps its array for the next read
		}
		return n, nil
	}
	return 0, w.err
}

// scan moves bytes to out, holding back a possible report. Between a
// frame's first octet and its closing flag nothing can start a report,
// so those runs move in one append.
func (w *carrierWatch) scan(b []byte) {
	for len(b) > 0 {
		if !w.armed && w.held == 0 {
			i := bytes.IndexByte(b, flag)
			if i < 0 {
				w.out = append(w.out, b...)
				return
			}
			w.out = append(w.out, b[:i+1]...)
			w.armed = true
			b = b[i+1:]
			continue
		}
		c := b[0]
		b = b[1:]
		if c == noCarrier[w.held] {
			w.held++
			if w.held == len(noCarrier) {
				w.err = fmt.Errorf("dialer: carrier lost: %w", ErrNoCarrier)
				w.held = 0
				return // the rest is the report's CR LF and command-mode output
			}
			continue
		}
		if w.held > 0 {
			w.out = append(w.out, noCarrier[:w.held]...)
			w.held = 0
		}
		w.armed = c == flag
		w.out = append(w.out, c)
	}
}

package ppp

import (
	"bytes"
	"sync/atomic"
)

// defaultMaxFrame is the MaxFrame of a zero Decoder: the default MRU of
// RFC 1661 §6.1 plus a 4-octet header.
const defaultMaxFrame = 1500 + 4

// DecoderStats counts what a Decoder received. The counters are updated
// atomically, so other goroutines may read them while the Decoder runs.
type DecoderStats struct {
	Frames    atomic.Uint64 // good frames passed to emit
	Octets    atomic.Uint64 // octets of good frames, without FCS
	FCSErrors atomic.Uint64 // frames dropped for a bad FCS (RFC 1662 §4.3)
	Aborts    atomic.Uint64 // frames aborted by Control Escape, Flag (RFC 1662 §4.3)
	TooLong   atomic.Uint64 // frames dropped for exceeding MaxFrame
	Runts     atomic.Uint64 // frames of under 2 octets before the FCS (RFC 1662 §4.3)
	Garbage   atomic.Uint64 // octets discarded before the first Flag Sequence
}

// decoderState is where the Decoder is in the octet stream, after the
// receive states of RFC 1662 §4.
type decoderState uint8

const (
	// decodeHunt waits for the first Flag Sequence; octets are garbage.
	decodeHunt decoderState = iota
	// decodeFrame buffers the octets of a frame, possibly still empty.
	decodeFrame
	// decodeEscape has seen a Control Escape inside a frame.
	decodeEscape
	// decodeDiscard drops a frame that grew too long, up to the next Flag
	// Sequence.
	decodeDiscard
)

// Decoder splits the octet stream of an asynchronous line into frames
// with the HDLC-like framing of RFC 1662 §4. It never returns an error:
// bad frames are counted in Stats and dropped, and the Decoder resumes at
// the next Flag Sequence. The zero Decoder is ready to use; a Decoder
// must not be used by two goroutines at once.
//
// An LCP frame is accepted with either FCS, whatever FCS32 says. RFC 1661
// §5 sends Configure, Terminate and Code-Reject packets as if no option
// were negotiated, so that they are recognised even when the two ends
// disagree on whether the link is open; after an FCS-Alternatives
// (RFC 1570 §2.1) change of FCS that means the 16-bit FCS, and a peer
// that has not yet noticed a renegotiation still sends the 32-bit one.
type Decoder struct {
	// MaxFrame is the largest frame accepted, counting the octets after
	// unescaping of the Address, Control, Protocol and Information
	// fields but not the FCS. Zero means 1500+4: the default MRU
	// (RFC 1661 §6.1) with an uncompressed header. The first Decode
	// allocates a buffer of this size plus 4.
	MaxFrame int

	// RecvACCM is the Async-Control-Character-Map we asked the peer to
	// use (RFC 1662 §7.1). A control character flagged in it that
	// arrives unescaped was inserted by the line and is discarded
	// (RFC 1662 §4.2). Zero discards nothing, which is right for any
	// line that inserts no characters, whatever the peer escapes.
	RecvACCM uint32

	// FCS32 expects the 32-bit FCS of RFC 1662 §C.3 (RFC 1570). Zero
	// expects the 16-bit FCS.
	FCS32 bool

	// AnyFCS accepts every frame whose FCS is good as either the 16-bit
	// or the 32-bit FCS, as a link does while LCP negotiates the 32-bit
	// FCS: the peer changes its FCS as it reaches the Opened state, and
	// its first frames with the new FCS may arrive before the link has
	// taken note. Zero accepts only the FCS that FCS32 selects (and LCP
	// frames with either, as above).
	AnyFCS bool

	// Stats counts the frames and octets received.
	Stats DecoderStats

	state  decoderState
	buf    []byte // unescaped octets of the current frame, FCS included
	n      int    // octets of buf in use
	maxLen int    // MaxFrame, or its default
	limit  int    // largest n allowed: MaxFrame plus the longest FCS expected
	fcs    int    // length of the FCS that FCS32 selects
	esc    escapeTable
}

// Decode consumes a chunk of octets from the line, of any length, and
// calls emit for every good frame it completes with the frame's Address,
// Control, Protocol and Information fields after unescaping (ParseFrame
// splits them). The slice is valid only during the call to emit. A Flag
// Sequence closes one frame and opens the next (RFC 1662 §4.1). Emit may
// change MaxFrame, RecvACCM, FCS32 and AnyFCS, as a link does when LCP
// opens; the change applies from the next frame, even within the same
// chunk.
func (d *Decoder) Decode(p []byte, emit func(frame []byte)) {
	d.prepare()
	for len(p) > 0 {
		switch d.state {
		case decodeHunt:
			p = d.hunt(p)
		case decodeDiscard:
			p = d.discard(p)
		case decodeEscape:
			p = d.escape(p)
		default:
			p = d.frame(p, emit)
		}
	}
}

// prepare applies the exported settings and sizes the buffer.
func (d *Decoder) prepare() {
	maxFrame := d.MaxFrame
	if maxFrame <= 0 {
		maxFrame = defaultMaxFrame
	}
	d.fcs = 2
	if d.FCS32 {
		d.fcs = 4
	}
	d.maxLen, d.limit = maxFrame, maxFrame+d.fcs
	if d.AnyFCS {
		d.limit = maxFrame + 4
	}
	if len(d.buf) < d.limit {
		buf := make([]byte, maxFrame+4)
		copy(buf, d.buf[:d.n])
		d.buf = buf
	}
}

// hunt skips to the first Flag Sequence.
func (d *Decoder) hunt(p []byte) []byte {
	i := bytes.IndexByte(p, flagSequence)
	if i < 0 {
		d.Stats.Garbage.Add(uint64(len(p)))
		return nil
	}
	d.Stats.Garbage.Add(uint64(i))
	d.state, d.n = decodeFrame, 0
	return p[i+1:]
}

// discard skips the rest of a frame that is too long.
func (d *Decoder) discard(p []byte) []byte {
	i := bytes.IndexByte(p, flagSequence)
	if i < 0 {
		return nil
	}
	d.state, d.n = decodeFrame, 0
	return p[i+1:]
}

// escape handles the octet after a Control Escape that ended a chunk.
func (d *Decoder) escape(p []byte) []byte {
	if !d.inserted(p[0]) {
		d.escaped(p[0])
	}
	return p[1:]
}

// frame buffers the octets of a frame up to the end of p or until the
// state changes. The runs between special octets are copied in bulk.
func (d *Decoder) frame(p []byte, emit func([]byte)) []byte {
	var tab *[256]byte
	accm := d.RecvACCM
	if accm != 0 {
		tab = d.esc.get(accm)
	}
	s := newRunScanner(p, tab)
	for i := 0; ; {
		j := s.next(i)
		if !d.put(p[i:j]) {
			return p[j:]
		}
		if j == len(p) {
			return nil
		}
		switch p[j] {
		case flagSequence:
			if d.end(emit); d.RecvACCM != accm {
				return p[j+1:] // emit changed the map
			}
			i = j + 1
		case controlEscape:
			if j+1 == len(p) || d.inserted(p[j+1]) {
				d.state = decodeEscape
				return p[j+1:]
			}
			if d.escaped(p[j+1]); d.state != decodeFrame {
				return p[j+2:]
			}
			i = j + 2
		default: // inserted by the line
			i = j + 1
		}
	}
}

// inserted reports whether c is a control character flagged in RecvACCM,
// which the peer would have escaped (RFC 1662 §4.2).
func (d *Decoder) inserted(c byte) bool {
	return c < 0x20 && d.RecvACCM&(1<<c) != 0
}

// escaped handles c, the octet after a Control Escape: a Flag Sequence
// aborts the frame (RFC 1662 §4.3); anything else is unescaped.
func (d *Decoder) escaped(c byte) {
	d.state = decodeFrame
	if c == flagSequence {
		d.Stats.Aborts.Add(1)
		d.n = 0
		return
	}
	b := [1]byte{c ^ escapeXOR}
	d.put(b[:])
}

// put appends b to the frame, or drops the frame if it grows too long.
func (d *Decoder) put(b []byte) bool {
	if len(b) > d.limit-d.n {
		d.Stats.TooLong.Add(1)
		d.state, d.n = decodeDiscard, 0
		return false
	}
	d.n += copy(d.buf[d.n:], b)
	return true
}

// end completes the frame at a closing Flag Sequence, which also opens
// the next frame. An empty frame is ignored (RFC 1662 §4.1).
func (d *Decoder) end(emit func([]byte)) {
	f := d.buf[:d.n]
	d.n = 0
	if len(f) == 0 {
		return
	}
	if len(f) < 2+d.shortestFCS() {
		d.Stats.Runts.Add(1)
		return
	}
	n := d.fcsLen(f)
	switch {
	case n == 0:
		d.Stats.FCSErrors.Add(1)
	case len(f)-n < 2:
		d.Stats.Runts.Add(1)
	case len(f)-n > d.maxLen: // a 16-bit FCS where the limit left room for 32
		d.Stats.TooLong.Add(1)
	default:
		f = f[:len(f)-n]
		d.Stats.Frames.Add(1)
		d.Stats.Octets.Add(uint64(len(f)))
		emit(f)
		d.prepare() // emit may have changed the settings
	}
}

// fcsLen returns the length of the good FCS at the end of f, or 0 if
// there is none (RFC 1662 §C.2, §C.3). The FCS that FCS32 selects is
// tried first; the other one only under AnyFCS or for LCP, so a frame
// of any other protocol gets the error detection of the FCS negotiated.
func (d *Decoder) fcsLen(f []byte) int {
	n, other := d.fcs, 6-d.fcs
	if goodFCS(f, n) {
		return n
	}
	if len(f) >= 2+other && goodFCS(f, other) && (d.AnyFCS || isLCP(f[:len(f)-other])) {
		return other
	}
	return 0
}

// shortestFCS is the length of the shortest FCS a frame may end with
// other than in LCP, whose frames are long enough for either.
func (d *Decoder) shortestFCS() int {
	if d.AnyFCS {
		return 2
	}
	return d.fcs
}

// goodFCS checks the FCS of n octets at the end of f.
func goodFCS(f []byte, n int) bool {
	if n == 4 {
		return FCS32(FCS32Init, f) == FCS32Good
	}
	return FCS16(FCS16Init, f) == FCS16Good
}

// isLCP reports whether frame carries LCP, whose Address and Control
// fields are never compressed (RFC 1661 §6.6).
func isLCP(frame []byte) bool {
	return len(frame) >= 4 && frame[0] == allStations && frame[1] == unnumberedInfo &&
		Protocol(frame[2])<<8|Protocol(frame[3]) == ProtocolLCP
}

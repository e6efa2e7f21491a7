package ppp

import (
	"bytes"
	"slices"
)

// Octets with a special meaning on an asynchronous line (RFC 1662 §4.2).
const (
	flagSequence  = 0x7e // delimits frames
	controlEscape = 0x7d // the next octet was XORed with escapeXOR
	escapeXOR     = 0x20
)

// Address and Control field values (RFC 1662 §3.1).
const (
	allStations    = 0xff
	unnumberedInfo = 0x03
)

// MaxEncodedLen returns the largest frame AppendFrame can produce for an
// information field of infoLen octets: two flags around a 4-octet header,
// the information and a 4-octet FCS, every octet of which may be escaped
// (RFC 1662 §4.2).
func MaxEncodedLen(infoLen int) int {
	return 2 + 2*(4+infoLen+4)
}

// Encoder frames packets for an asynchronous line with the HDLC-like
// framing of RFC 1662 §4. Its fields hold the options negotiated by LCP.
// The zero Encoder sends the Address and Control fields, two-octet
// protocols and the 16-bit FCS, and escapes only the Flag Sequence and
// Control Escape; until LCP has agreed on a map, and for the LCP packets
// that RFC 1661 §5 sends as if nothing were negotiated, set ACCM to the
// default of 0xffffffff (RFC 1662 §7.1). An Encoder caches a table for its
// ACCM, so it must not be used by two goroutines at once.
type Encoder struct {
	// ACCM is the peer's receive Async-Control-Character-Map
	// (RFC 1662 §7.1): bit n set means octet n (0x00..0x1f) is sent
	// escaped. Zero escapes only the Flag Sequence and the Control
	// Escape octets, which are always escaped.
	ACCM uint32

	// ACFC omits the Address and Control fields (RFC 1661 §6.6). Zero
	// sends them, and they are sent for LCP packets regardless, since
	// RFC 1661 §6.6 forbids compressing them there.
	ACFC bool

	// PFC sends protocols below 0x100 as a single octet (RFC 1661
	// §6.5). Zero sends every protocol as two octets.
	PFC bool

	// FCS32 sends the 32-bit FCS of RFC 1662 §C.3 (negotiated with the
	// FCS-Alternatives option of RFC 1570). Zero sends the 16-bit FCS.
	FCS32 bool

	esc escapeTable
}

// AppendFrame appends to dst one complete frame carrying info as protocol
// proto, from the opening to the closing Flag Sequence (RFC 1662 §3.1,
// §4). It does not allocate if dst has MaxEncodedLen(len(info)) octets of
// spare capacity.
func (e *Encoder) AppendFrame(dst []byte, proto Protocol, info []byte) []byte {
	var buf [4]byte
	acfc := e.ACFC && proto != ProtocolLCP
	hdr := appendHeader(buf[:0], proto, acfc, e.PFC)
	return e.appendFrame(dst, hdr, info)
}

// appendFrame frames the already built header hdr followed by info.
func (e *Encoder) appendFrame(dst, hdr, info []byte) []byte {
	var buf [4]byte
	fcs := e.appendFCS(buf[:0], hdr, info)
	dst = slices.Grow(dst, 2+2*(len(hdr)+len(fcs))+len(info))
	dst = append(dst, flagSequence)
	dst = appendEscaped(dst, hdr, e.ACCM)
	if e.ACCM == 0 {
		dst = appendRuns(dst, info)
	} else {
		dst = appendMapped(dst, info, e.esc.get(e.ACCM))
	}
	dst = appendEscaped(dst, fcs, e.ACCM)
	return append(dst, flagSequence)
}

// appendFCS appends the FCS to transmit for hdr and info: the complement
// of the running FCS, least significant octet first (RFC 1662 §C.2).
func (e *Encoder) appendFCS(dst, hdr, info []byte) []byte {
	if e.FCS32 {
		f := ^FCS32(fcs32Short(FCS32Init, hdr), info)
		return append(dst, byte(f), byte(f>>8), byte(f>>16), byte(f>>24))
	}
	f := ^FCS16(FCS16(FCS16Init, hdr), info)
	return append(dst, byte(f), byte(f>>8))
}

// appendEscaped appends b escaped octet by octet; it suits the few octets
// of a header or FCS.
func appendEscaped(dst, b []byte, accm uint32) []byte {
	for _, c := range b {
		if isSpecial(c, accm) {
			dst = append(dst, controlEscape, c^escapeXOR)
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

// appendRuns appends b escaped under an ACCM of zero, copying the runs
// between Flag Sequence and Control Escape octets in bulk.
func appendRuns(dst, b []byte) []byte {
	s := newRunScanner(b, nil)
	for i := 0; ; {
		j := s.next(i)
		dst = append(dst, b[i:j]...)
		if j == len(b) {
			return dst
		}
		dst = append(dst, controlEscape, b[j]^escapeXOR)
		i = j + 1
	}
}

// appendMapped appends b escaped as tab says, octet by octet into room
// for the worst case: with escapes as frequent as an ACCM of 0xffffffff
// makes them in random data, this beats copying runs.
func appendMapped(dst, b []byte, tab *[256]byte) []byte {
	n := len(dst)
	out := slices.Grow(dst, 2*len(b))[:n+2*len(b)]
	for _, c := range b {
		if tab[c] != 0 {
			out[n], out[n+1] = controlEscape, c^escapeXOR
			n += 2
		} else {
			out[n] = c
			n++
		}
	}
	return out[:n]
}

// isSpecial reports whether c must be escaped under accm (RFC 1662 §7.1).
func isSpecial(c byte, accm uint32) bool {
	return c == flagSequence || c == controlEscape || c < 0x20 && accm&(1<<c) != 0
}

// escapeTable caches isSpecial for one ACCM value: tab[c] is 1 if c is
// special, else 0.
type escapeTable struct {
	accm  uint32
	valid bool
	tab   [256]byte
}

// get returns the table of octets special under accm, rebuilding it if
// the cached one is for another map.
func (t *escapeTable) get(accm uint32) *[256]byte {
	if !t.valid || t.accm != accm {
		for c := range t.tab {
			t.tab[c] = 0
			if isSpecial(byte(c), accm) {
				t.tab[c] = 1
			}
		}
		t.accm, t.valid = accm, true
	}
	return &t.tab
}

// runScanner finds the special octets in b. With no table the special
// octets are the Flag Sequence and Control Escape, found with
// bytes.IndexByte; it remembers where the next of each is, so every octet
// is scanned once per kind however many runs there are.
type runScanner struct {
	b          []byte
	tab        *[256]byte
	flag, escp int // next 0x7e and 0x7d at or after the last query
}

func newRunScanner(b []byte, tab *[256]byte) runScanner {
	return runScanner{b: b, tab: tab, flag: -1, escp: -1}
}

// next returns the index of the first special octet at or after i, or
// len(b) if there is none. Successive calls must not decrease i.
func (s *runScanner) next(i int) int {
	if s.tab != nil {
		for i < len(s.b) && s.tab[s.b[i]] == 0 {
			i++
		}
		return i
	}
	if s.flag < i {
		s.flag = indexFrom(s.b, i, flagSequence)
	}
	if s.escp < i {
		s.escp = indexFrom(s.b, i, controlEscape)
	}
	return min(s.flag, s.escp)
}

// indexFrom returns the index of the first c in b at or after i, or len(b).
func indexFrom(b []byte, i int, c byte) int {
	j := bytes.IndexByte(b[i:], c)
	if j < 0 {
		return len(b)
	}
	return i + j
}

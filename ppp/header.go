package ppp

import (
	"errors"
	"fmt"
	"io"
)

// ErrBadProtocol reports a frame whose Protocol field is not a valid
// protocol number (RFC 1661 §2) or whose Control field is not Unnumbered
// Information (RFC 1662 §3.1).
var ErrBadProtocol = errors.New("ppp: bad protocol or control field")

// ParseFrame splits a frame as Decoder emits it into its protocol and
// Information field, which aliases frame. It accepts the Address and
// Control fields (RFC 1662 §3.1) or their absence (RFC 1661 §6.6), and a
// one- or two-octet Protocol field (RFC 1661 §6.5), whether or not these
// compressions were negotiated.
func ParseFrame(frame []byte) (Protocol, []byte, error) {
	b := frame
	if len(b) > 0 && b[0] == allStations {
		if len(b) < 2 {
			return 0, nil, fmt.Errorf("ppp: frame control field: %w", io.ErrUnexpectedEOF)
		}
		if b[1] != unnumberedInfo {
			return 0, nil, fmt.Errorf("ppp: frame control field %#04x: %w", b[1], ErrBadProtocol)
		}
		b = b[2:]
	}
	switch {
	case len(b) == 0:
		return 0, nil, fmt.Errorf("ppp: frame protocol field: %w", io.ErrUnexpectedEOF)
	case b[0]&1 == 1:
		return Protocol(b[0]), b[1:], nil
	case len(b) == 1:
		return 0, nil, fmt.Errorf("ppp: frame protocol field: %w", io.ErrUnexpectedEOF)
	}
	p := Protocol(b[0])<<8 | Protocol(b[1])
	if !p.Valid() {
		return 0, nil, fmt.Errorf("ppp: frame protocol %#06x: %w", uint16(p), ErrBadProtocol)
	}
	return p, b[2:], nil
}

// appendHeader appends the Address, Control and Protocol fields, leaving
// out the first two if acfc (RFC 1661 §6.6) and sending protocols below
// 0x100 as one octet if pfc (RFC 1661 §6.5).
func appendHeader(dst []byte, proto Protocol, acfc, pfc bool) []byte {
	if !acfc {
		dst = append(dst, allStations, unnumberedInfo)
	}
	// 0x00ff stays two octets: compressed, it would read as the Address
	// field (RFC 1661 §6.6), which is why it is reserved as "compression
	// inefficient".
	if pfc && proto < 0x100 && proto != 0x00ff {
		return append(dst, byte(proto))
	}
	return append(dst, byte(proto>>8), byte(proto))
}

package cmux

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Flag opens and closes every frame of the basic option (TS 27.010
// §5.2.6).
const Flag = 0xF9

// MaxDLCI is the highest data link connection identifier; DLCI 0 is the
// control channel.
const MaxDLCI = 63

// MaxN1 is the longest information field the two-octet length field of
// the basic option can carry (TS 27.010 §5.2.1.5).
const MaxN1 = 0x7FFF

// FrameType is a frame's control field with the P/F bit cleared (TS 27.010
// §5.2.1.3).
type FrameType uint8

// Frame types.
const (
	SABM FrameType = 0x2F // Set Asynchronous Balanced Mode: open a DLC
	UA   FrameType = 0x63 // Unnumbered Acknowledgement
	DM   FrameType = 0x0F // Disconnected Mode
	DISC FrameType = 0x43 // Disconnect: close a DLC
	UIH  FrameType = 0xEF // Unnumbered Information with Header check: data
	UI   FrameType = 0x03 // Unnumbered Information
)

// pfBit is the poll/final bit of the control field.
const pfBit = 0x10

func (t FrameType) String() string {
	switch t {
	case SABM:
		return "SABM"
	case UA:
		return "UA"
	case DM:
		return "DM"
	case DISC:
		return "DISC"
	case UIH:
		return "UIH"
	case UI:
		return "UI"
	}
	return "FrameType(0x" + strconv.FormatUint(uint64(t), 16) + ")"
}

// Frame is a frame of the basic option (TS 27.010 §5.2.1):
//
//	Flag | Address | Control | Length (1 or 2 octets) | Information | FCS | Flag
//
// The address carries the DLCI, the C/R bit and EA=1; the control field
// the frame type and the P/F bit; the length field EA-coded, one octet up
// to 127 and two above. The FCS covers address, control and length for
// UIH and, for the other types, the information field too.
type Frame struct {
	DLCI int       // 0 to 63
	CR   bool      // the address field's command/response bit
	Type FrameType // the control field without P/F
	PF   bool      // the poll/final bit
	Info []byte    // the information field
}

func (f Frame) String() string {
	return fmt.Sprintf("%v dlci=%d cr=%t pf=%t len=%d", f.Type, f.DLCI, f.CR, f.PF, len(f.Info))
}

// Errors of ParseFrame.
var (
	errFCS     = errors.New("cmux: bad FCS")
	errAddress = errors.New("cmux: address without EA")
	errLength  = errors.New("cmux: length field does not match the frame")
	errDLCI    = errors.New("cmux: DLCI out of range")
)

// address returns f's address octet.
func (f Frame) address() byte {
	a := byte(f.DLCI)<<2 | 1
	if f.CR {
		a |= 2
	}
	return a
}

// control returns f's control octet.
func (f Frame) control() byte {
	c := byte(f.Type) &^ pfBit
	if f.PF {
		c |= pfBit
	}
	return c
}

// appendLength appends n as an EA-coded length of one or two octets.
func appendLength(b []byte, n int) []byte {
	if n <= 0x7F {
		return append(b, byte(n)<<1|1)
	}
	return append(b, byte(n<<1)&0xFE, byte(n>>7))
}

// Append appends f, flags included, to b. Exactly one opening and one
// closing flag go with each frame: Linux n_gsm takes a second flag after
// an opening one for an address. f.DLCI must be 0 to 63 and the
// information at most MaxN1 octets.
func (f Frame) Append(b []byte) []byte {
	b = append(b, Flag)
	start := len(b)
	b = append(b, f.address(), f.control())
	b = appendLength(b, len(f.Info))
	hdr := len(b)
	b = append(b, f.Info...)
	covered := b[start:hdr]
	if f.Type != UIH {
		covered = b[start:]
	}
	return append(b, fcs(covered), Flag)
}

// MarshalBinary returns f as sent on the line, flags included.
func (f Frame) MarshalBinary() ([]byte, error) {
	if f.DLCI < 0 || f.DLCI > MaxDLCI {
		return nil, errDLCI
	}
	if len(f.Info) > MaxN1 {
		return nil, fmt.Errorf("cmux: information field of %d octets over %d", len(f.Info), MaxN1)
	}
	return f.Append(nil), nil
}

// UnmarshalBinary parses a frame with or without its flags; Info aliases
// b.
func (f *Frame) UnmarshalBinary(b []byte) error {
	if len(b) >= 2 && b[0] == Flag && b[len(b)-1] == Flag {
		b = b[1 : len(b)-1]
	}
	g, err := ParseFrame(b)
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// ParseFrame parses the octets between the flags: address, control,
// length, information and FCS. The information field of the result
// aliases b. Truncated input gives io.ErrUnexpectedEOF.
func ParseFrame(b []byte) (Frame, error) {
	if len(b) < 4 {
		return Frame{}, io.ErrUnexpectedEOF
	}
	var f Frame
	a, c := b[0], b[1]
	if a&1 == 0 {
		return Frame{}, errAddress
	}
	f.DLCI, f.CR = int(a>>2), a&2 != 0
	f.Type, f.PF = FrameType(c&^pfBit), c&pfBit != 0
	n, hdr := int(b[2]>>1), 3
	if b[2]&1 == 0 {
		if len(b) < 5 {
			return Frame{}, io.ErrUnexpectedEOF
		}
		n |= int(b[3]) << 7
		hdr = 4
	}
	switch {
	case len(b) < hdr+n+1:
		return Frame{}, io.ErrUnexpectedEOF
	case len(b) > hdr+n+1:
		return Frame{}, errLength
	}
	end := hdr
	if f.Type != UIH {
		end = hdr + n
	}
	if fcsUpdate(fcsUpdate(fcsInit, b[:end]), b[len(b)-1:]) != goodFCS {
		return Frame{}, errFCS
	}
	f.Info = b[hdr : hdr+n]
	return f, nil
}

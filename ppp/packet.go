package ppp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ControlHeaderLen is the length of the Code, Identifier and Length fields
// that start every LCP, NCP, PAP and CHAP packet.
const ControlHeaderLen = 4

// ErrLength reports a control packet whose Length field is smaller than
// the header or larger than the data received.
var ErrLength = errors.New("ppp: bad length field")

// ControlPacket is the packet format shared by LCP (RFC 1661 §5), the
// network control protocols (RFC 1332 §2), PAP (RFC 1334 §2.2) and CHAP
// (RFC 1994 §4): Code, Identifier, Length and Data. The meaning of Code
// belongs to the protocol carrying the packet.
type ControlPacket struct {
	Code       uint8
	Identifier uint8
	Data       []byte
}

// Parse decodes a control packet from b. Octets beyond the Length field
// are padding and are ignored (RFC 1661 §5). Data aliases b.
func (p *ControlPacket) Parse(b []byte) error {
	if len(b) < ControlHeaderLen {
		return fmt.Errorf("ppp: control packet: %w", io.ErrUnexpectedEOF)
	}
	n := int(binary.BigEndian.Uint16(b[2:4]))
	if n < ControlHeaderLen || n > len(b) {
		return fmt.Errorf("ppp: control packet length %d of %d octets: %w", n, len(b), ErrLength)
	}
	p.Code, p.Identifier, p.Data = b[0], b[1], b[ControlHeaderLen:n]
	return nil
}

// Append appends the encoded packet to b.
func (p ControlPacket) Append(b []byte) []byte {
	b = append(b, p.Code, p.Identifier)
	b = binary.BigEndian.AppendUint16(b, uint16(ControlHeaderLen+len(p.Data)))
	return append(b, p.Data...)
}

// MarshalBinary encodes the packet.
func (p ControlPacket) MarshalBinary() ([]byte, error) {
	if len(p.Data) > 0xffff-ControlHeaderLen {
		return nil, fmt.Errorf("ppp: control packet of %d octets: %w", len(p.Data), ErrLength)
	}
	return p.Append(nil), nil
}

// UnmarshalBinary decodes the packet, copying nothing: Data aliases b.
func (p *ControlPacket) UnmarshalBinary(b []byte) error { return p.Parse(b) }

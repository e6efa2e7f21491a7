package fsm

import (
	"errors"
	"fmt"
	"io"
)

// ErrOptionLength reports a configuration option whose Length field is
// below 2 or runs past the end of the packet (RFC 1661 §6).
var ErrOptionLength = errors.New("fsm: bad option length")

// RawOption is one configuration option as it appears on the wire: Type,
// then Length (counting both header octets), then Data (RFC 1661 §6).
// Options a protocol does not know decode to a RawOption, which re-encodes
// byte for byte, so a Configure-Reject can echo exactly what the peer sent.
type RawOption struct {
	Type uint8
	Data []byte
}

// Append appends the encoded option to b.
func (o RawOption) Append(b []byte) []byte {
	b = append(b, o.Type, uint8(2+len(o.Data)))
	return append(b, o.Data...)
}

// AppendOption appends one option of type typ whose data the function
// appends, filling in the Length field (RFC 1661 §6).
func AppendOption(b []byte, typ uint8, data func([]byte) []byte) []byte {
	start := len(b)
	b = data(append(b, typ, 0))
	b[start+1] = uint8(len(b) - start)
	return b
}

// ParseOptions splits the Options field of a Configure-Request, -Ack, -Nak
// or -Reject into raw options. Data slices alias b.
func ParseOptions(b []byte) ([]RawOption, error) {
	var opts []RawOption
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, fmt.Errorf("fsm: option header: %w", io.ErrUnexpectedEOF)
		}
		n := int(b[1])
		if n < 2 || n > len(b) {
			return nil, fmt.Errorf("fsm: option type %d length %d of %d octets: %w", b[0], n, len(b), ErrOptionLength)
		}
		opts = append(opts, RawOption{Type: b[0], Data: b[2:n:n]})
		b = b[n:]
	}
	return opts, nil
}

package auth

import (
	"bytes"
	"fmt"
	"io"

	"github.com/gprsppp/gprsppp/ppp"
)

// maxPacket is the largest packet the 16-bit Length field can describe.
const maxPacket = 0xffff

// parseControl decodes the common header and checks that the code is one of
// want. name labels errors.
func parseControl(b []byte, name string, want ...uint8) (ppp.ControlPacket, error) {
	var p ppp.ControlPacket
	if err := p.Parse(b); err != nil {
		return p, fmt.Errorf("auth: %s: %w", name, err)
	}
	if bytes.IndexByte(want, p.Code) < 0 {
		return p, fmt.Errorf("auth: %s: code %d: %w", name, p.Code, errCode)
	}
	return p, nil
}

// readField splits off a field that is preceded by a one-octet length, as
// PAP's Peer-ID, Password and Message and CHAP's Value are.
func readField(b []byte) (field, rest []byte, err error) {
	if len(b) < 1 || int(b[0]) > len(b)-1 {
		return nil, nil, io.ErrUnexpectedEOF
	}
	n := int(b[0]) + 1
	return b[1:n], b[n:], nil
}

// appendField appends a field preceded by its one-octet length.
func appendField(b, field []byte) []byte {
	return append(append(b, byte(len(field))), field...)
}

// clone copies b, mapping empty to nil so that decoded values compare
// equal whatever buffer they came from.
func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

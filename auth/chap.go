package auth

import (
	"crypto/md5"
	"fmt"

	"github.com/gprsppp/gprsppp/ppp"
)

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=CHAPCode -linecomment

// CHAPCode is the Code field of a CHAP packet (RFC 1994 §4).
type CHAPCode uint8

// CHAP codes (RFC 1994 §4).
const (
	CodeChallenge CHAPCode = 1 // Challenge
	CodeResponse  CHAPCode = 2 // Response
	CodeSuccess   CHAPCode = 3 // Success
	CodeFailure   CHAPCode = 4 // Failure
)

// MD5ResponseLen is the length of a CHAP response value computed with
// MD5 (RFC 1994 §2, algorithm 5).
const MD5ResponseLen = md5.Size

// MD5Response computes the CHAP Response Value for algorithm 5: the MD5
// digest of the Identifier, the secret and the challenge Value, in that
// order (RFC 1994 §4.1, "Response Value").
func MD5Response(id uint8, secret, challenge []byte) []byte {
	h := md5.New()
	h.Write([]byte{id})
	h.Write(secret)
	h.Write(challenge)
	return h.Sum(nil)
}

// Challenge is a CHAP Challenge or Response (RFC 1994 §4.1), which share a
// format: a Value preceded by its one-octet Value-Size, then the sender's
// Name filling the rest of the packet. In a Challenge the Value is the
// challenge; in a Response it is the hash computed by MD5Response.
type Challenge struct {
	Code       CHAPCode // CodeChallenge or CodeResponse
	Identifier uint8
	Value      []byte // one to 255 octets
	Name       []byte
}

// String describes the packet without its Value, which in a Response is
// derived from the secret.
func (c Challenge) String() string {
	return fmt.Sprintf("%v id=%d value=<%d octets> name=%q",
		c.Code, c.Identifier, len(c.Value), sanitize(c.Name))
}

// AppendBinary appends the encoded packet to b.
func (c Challenge) AppendBinary(b []byte) ([]byte, error) {
	if c.Code != CodeChallenge && c.Code != CodeResponse {
		return b, fmt.Errorf("auth: CHAP Challenge/Response: code %v: %w", c.Code, errCode)
	}
	if len(c.Value) == 0 {
		return b, fmt.Errorf("auth: CHAP %v: %w", c.Code, errEmptyValue)
	}
	if len(c.Value) > 0xff || ppp.ControlHeaderLen+1+len(c.Value)+len(c.Name) > maxPacket {
		return b, fmt.Errorf("auth: CHAP %v: Value of %d or Name of %d octets: %w",
			c.Code, len(c.Value), len(c.Name), errFieldLength)
	}
	data := make([]byte, 0, 1+len(c.Value)+len(c.Name))
	data = append(appendField(data, c.Value), c.Name...)
	p := ppp.ControlPacket{Code: uint8(c.Code), Identifier: c.Identifier, Data: data}
	return p.Append(b), nil
}

// MarshalBinary encodes the packet.
func (c Challenge) MarshalBinary() ([]byte, error) { return c.AppendBinary(nil) }

// UnmarshalBinary decodes a Challenge or Response, copying the fields out
// of b. A Value-Size of zero is rejected: RFC 1994 §4.1 requires one or
// more octets, and answering an empty challenge would prove nothing.
func (c *Challenge) UnmarshalBinary(b []byte) error {
	p, err := parseControl(b, "CHAP Challenge/Response", uint8(CodeChallenge), uint8(CodeResponse))
	if err != nil {
		return err
	}
	value, name, err := readField(p.Data)
	if err != nil {
		return fmt.Errorf("auth: CHAP %v Value: %w", CHAPCode(p.Code), err)
	}
	if len(value) == 0 {
		return fmt.Errorf("auth: CHAP %v: %w", CHAPCode(p.Code), errEmptyValue)
	}
	*c = Challenge{Code: CHAPCode(p.Code), Identifier: p.Identifier, Value: clone(value), Name: clone(name)}
	return nil
}

// Result is a CHAP Success or Failure (RFC 1994 §4.2): the authenticator's
// verdict with a message filling the rest of the packet.
type Result struct {
	Code       CHAPCode // CodeSuccess or CodeFailure
	Identifier uint8
	Message    []byte
}

// AppendBinary appends the encoded packet to b.
func (r Result) AppendBinary(b []byte) ([]byte, error) {
	if r.Code != CodeSuccess && r.Code != CodeFailure {
		return b, fmt.Errorf("auth: CHAP Success/Failure: code %v: %w", r.Code, errCode)
	}
	if ppp.ControlHeaderLen+len(r.Message) > maxPacket {
		return b, fmt.Errorf("auth: CHAP %v: Message of %d octets: %w", r.Code, len(r.Message), errFieldLength)
	}
	p := ppp.ControlPacket{Code: uint8(r.Code), Identifier: r.Identifier, Data: r.Message}
	return p.Append(b), nil
}

// MarshalBinary encodes the packet.
func (r Result) MarshalBinary() ([]byte, error) { return r.AppendBinary(nil) }

// UnmarshalBinary decodes a Success or Failure, copying the message out
// of b.
func (r *Result) UnmarshalBinary(b []byte) error {
	p, err := parseControl(b, "CHAP Success/Failure", uint8(CodeSuccess), uint8(CodeFailure))
	if err != nil {
		return err
	}
	*r = Result{Code: CHAPCode(p.Code), Identifier: p.Identifier, Message: clone(p.Data)}
	return nil
}

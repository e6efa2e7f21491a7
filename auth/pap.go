package auth

import (
	"fmt"

	"github.com/gprsppp/gprsppp/ppp"
)

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=PAPCode -linecomment

// PAPCode is the Code field of a PAP packet (RFC 1334 §2.2).
type PAPCode uint8

// PAP codes (RFC 1334 §2.2).
const (
	CodeAuthenticateRequest PAPCode = 1 // Authenticate-Request
	CodeAuthenticateAck     PAPCode = 2 // Authenticate-Ack
	CodeAuthenticateNak     PAPCode = 3 // Authenticate-Nak
)

// AuthenticateRequest is a PAP Authenticate-Request (RFC 1334 §2.2.1): the
// peer's name and its password in clear text, each preceded by a one-octet
// length.
type AuthenticateRequest struct {
	Identifier uint8
	PeerID     []byte
	Password   []byte
}

// String describes the request without the password.
func (r AuthenticateRequest) String() string {
	return fmt.Sprintf("Authenticate-Request id=%d peer-id=%q password=<%d octets>",
		r.Identifier, sanitize(r.PeerID), len(r.Password))
}

// AppendBinary appends the encoded packet to b. Peer-ID and Password are
// limited to 255 octets each.
func (r AuthenticateRequest) AppendBinary(b []byte) ([]byte, error) {
	if len(r.PeerID) > 0xff || len(r.Password) > 0xff {
		return b, fmt.Errorf("auth: Authenticate-Request: Peer-ID of %d or Password of %d octets: %w",
			len(r.PeerID), len(r.Password), errFieldLength)
	}
	data := make([]byte, 0, 2+len(r.PeerID)+len(r.Password))
	data = appendField(appendField(data, r.PeerID), r.Password)
	p := ppp.ControlPacket{Code: uint8(CodeAuthenticateRequest), Identifier: r.Identifier, Data: data}
	return p.Append(b), nil
}

// MarshalBinary encodes the packet.
func (r AuthenticateRequest) MarshalBinary() ([]byte, error) { return r.AppendBinary(nil) }

// UnmarshalBinary decodes an Authenticate-Request, copying the fields out
// of b. Octets after the Password field and beyond the Length field are
// ignored.
func (r *AuthenticateRequest) UnmarshalBinary(b []byte) error {
	p, err := parseControl(b, "Authenticate-Request", uint8(CodeAuthenticateRequest))
	if err != nil {
		return err
	}
	peerID, rest, err := readField(p.Data)
	if err != nil {
		return fmt.Errorf("auth: Authenticate-Request Peer-ID: %w", err)
	}
	password, _, err := readField(rest)
	if err != nil {
		return fmt.Errorf("auth: Authenticate-Request Password: %w", err)
	}
	*r = AuthenticateRequest{Identifier: p.Identifier, PeerID: clone(peerID), Password: clone(password)}
	return nil
}

// AuthenticateReply is a PAP Authenticate-Ack or Authenticate-Nak
// (RFC 1334 §2.2.2): the authenticator's verdict with a human-readable
// message preceded by a one-octet length.
type AuthenticateReply struct {
	Code       PAPCode // CodeAuthenticateAck or CodeAuthenticateNak
	Identifier uint8
	Message    []byte
}

// AppendBinary appends the encoded packet to b. Message is limited to 255
// octets.
func (r AuthenticateReply) AppendBinary(b []byte) ([]byte, error) {
	if r.Code != CodeAuthenticateAck && r.Code != CodeAuthenticateNak {
		return b, fmt.Errorf("auth: Authenticate reply: code %v: %w", r.Code, errCode)
	}
	if len(r.Message) > 0xff {
		return b, fmt.Errorf("auth: %v: Message of %d octets: %w", r.Code, len(r.Message), errFieldLength)
	}
	data := appendField(make([]byte, 0, 1+len(r.Message)), r.Message)
	p := ppp.ControlPacket{Code: uint8(r.Code), Identifier: r.Identifier, Data: data}
	return p.Append(b), nil
}

// MarshalBinary encodes the packet.
func (r AuthenticateReply) MarshalBinary() ([]byte, error) { return r.AppendBinary(nil) }

// UnmarshalBinary decodes an Authenticate-Ack or -Nak, copying the message
// out of b. A packet that ends before the Msg-Length field is accepted with
// an empty message, as pppd does, since some peers send one.
func (r *AuthenticateReply) UnmarshalBinary(b []byte) error {
	p, err := parseControl(b, "Authenticate reply", uint8(CodeAuthenticateAck), uint8(CodeAuthenticateNak))
	if err != nil {
		return err
	}
	var msg []byte
	if len(p.Data) > 0 {
		if msg, _, err = readField(p.Data); err != nil {
			return fmt.Errorf("auth: %v Message: %w", PAPCode(p.Code), err)
		}
	}
	*r = AuthenticateReply{Code: PAPCode(p.Code), Identifier: p.Identifier, Message: clone(msg)}
	return nil
}

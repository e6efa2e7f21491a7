package lcp

import (
	"encoding/binary"
	"fmt"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=OptionType -linecomment

// OptionType is an LCP configuration option type (RFC 1661 §6).
type OptionType uint8

// LCP configuration option types.
const (
	TypeMRU                    OptionType = 1 // mru
	TypeACCM                   OptionType = 2 // asyncmap
	TypeAuthenticationProtocol OptionType = 3 // auth
	TypeQualityProtocol        OptionType = 4 // quality
	TypeMagicNumber            OptionType = 5 // magic
	TypePFC                    OptionType = 7 // pcomp
	TypeACFC                   OptionType = 8 // accomp
	TypeFCSAlternatives        OptionType = 9 // fcs-alternatives
)

// Option is one LCP configuration option.
type Option interface {
	Type() OptionType
	appendData(b []byte) []byte
}

// MRU is the Maximum-Receive-Unit option (RFC 1661 §6.1).
type MRU uint16

// ACCM is the Async-Control-Character-Map option (RFC 1662 §7.1): bit n
// set asks the peer to escape the control character n.
type ACCM uint32

// AuthenticationProtocol is the Authentication-Protocol option
// (RFC 1661 §6.2): the sender requires the peer to authenticate with
// Protocol. For CHAP, Data holds the algorithm (5 is MD5, RFC 1994 §3).
type AuthenticationProtocol struct {
	Protocol ppp.Protocol
	Data     []byte
}

// MagicNumber is the Magic-Number option (RFC 1661 §6.4).
type MagicNumber uint32

// PFC is the Protocol-Field-Compression option (RFC 1661 §6.5).
type PFC struct{}

// ACFC is the Address-and-Control-Field-Compression option
// (RFC 1661 §6.6).
type ACFC struct{}

// FCSAlternatives is the FCS-Alternatives option (RFC 1570 §2.1): a bit
// mask of the Frame Check Sequences its sender is prepared to receive.
// Like ACCM it governs the direction towards its sender (RFC 1661 §6:
// options apply to the receive direction of the Configure-Request's
// sender): the peer sends with one of them once LCP is Opened.
type FCSAlternatives uint8

// The bits of FCSAlternatives (RFC 1570 §2.1).
const (
	NullFCS  FCSAlternatives = 1 // no FCS at all
	FCS16Bit FCSAlternatives = 2 // CCITT 16-bit FCS (RFC 1662 §C.2), the default
	FCS32Bit FCSAlternatives = 4 // CCITT 32-bit FCS (RFC 1662 §C.3)
)

// RawOption is an option this package does not interpret, or one whose
// length does not fit its type; it round-trips byte for byte.
type RawOption struct {
	OptionType OptionType
	Data       []byte
}

// CHAPMD5 is the CHAP algorithm number of MD5 (RFC 1994 §3).
const CHAPMD5 = 5

func (MRU) Type() OptionType                    { return TypeMRU }
func (ACCM) Type() OptionType                   { return TypeACCM }
func (AuthenticationProtocol) Type() OptionType { return TypeAuthenticationProtocol }
func (MagicNumber) Type() OptionType            { return TypeMagicNumber }
func (PFC) Type() OptionType                    { return TypePFC }
func (ACFC) Type() OptionType                   { return TypeACFC }
func (FCSAlternatives) Type() OptionType        { return TypeFCSAlternatives }

// Type returns the option's type.
func (o RawOption) Type() OptionType { return o.OptionType }

func (o MRU) appendData(b []byte) []byte  { return binary.BigEndian.AppendUint16(b, uint16(o)) }
func (o ACCM) appendData(b []byte) []byte { return binary.BigEndian.AppendUint32(b, uint32(o)) }
func (o AuthenticationProtocol) appendData(b []byte) []byte {
	return append(binary.BigEndian.AppendUint16(b, uint16(o.Protocol)), o.Data...)
}
func (o MagicNumber) appendData(b []byte) []byte     { return binary.BigEndian.AppendUint32(b, uint32(o)) }
func (PFC) appendData(b []byte) []byte               { return b }
func (ACFC) appendData(b []byte) []byte              { return b }
func (o FCSAlternatives) appendData(b []byte) []byte { return append(b, byte(o)) }
func (o RawOption) appendData(b []byte) []byte       { return append(b, o.Data...) }

// AppendOptions appends the encoded options to b (RFC 1661 §6).
func AppendOptions(b []byte, opts ...Option) []byte {
	for _, o := range opts {
		b = fsm.AppendOption(b, uint8(o.Type()), o.appendData)
	}
	return b
}

// ParseOptions decodes the Options field of a Configure packet. Data
// slices alias b.
func ParseOptions(b []byte) ([]Option, error) {
	raw, err := fsm.ParseOptions(b)
	if err != nil {
		return nil, fmt.Errorf("lcp: %w", err)
	}
	opts := make([]Option, len(raw))
	for i, r := range raw {
		opts[i] = decodeOption(OptionType(r.Type), r.Data)
	}
	return opts, nil
}

// decodeOption interprets one option; a length that does not fit the
// type leaves it raw, for the caller to reject.
func decodeOption(t OptionType, d []byte) Option {
	switch {
	case t == TypeMRU && len(d) == 2:
		return MRU(binary.BigEndian.Uint16(d))
	case t == TypeACCM && len(d) == 4:
		return ACCM(binary.BigEndian.Uint32(d))
	case t == TypeAuthenticationProtocol && len(d) >= 2:
		return AuthenticationProtocol{Protocol: ppp.Protocol(binary.BigEndian.Uint16(d)), Data: d[2:]}
	case t == TypeMagicNumber && len(d) == 4:
		return MagicNumber(binary.BigEndian.Uint32(d))
	case t == TypePFC && len(d) == 0:
		return PFC{}
	case t == TypeACFC && len(d) == 0:
		return ACFC{}
	case t == TypeFCSAlternatives && len(d) == 1:
		return FCSAlternatives(d[0])
	}
	return RawOption{OptionType: t, Data: d}
}

// Format renders an option as pppd logs it, e.g. "asyncmap 0x0", and
// FCS-Alternatives as "fcs-alternatives 0x4".
func Format(o Option) string {
	switch o := o.(type) {
	case MRU:
		return fmt.Sprintf("mru %d", uint16(o))
	case ACCM:
		return fmt.Sprintf("asyncmap %#x", uint32(o))
	case AuthenticationProtocol:
		switch {
		case o.Protocol == ppp.ProtocolCHAP && len(o.Data) == 1 && o.Data[0] == CHAPMD5:
			return "auth chap MD5"
		case o.Protocol == ppp.ProtocolPAP:
			return "auth pap"
		}
		return fmt.Sprintf("auth %#04x %x", uint16(o.Protocol), o.Data)
	case MagicNumber:
		return fmt.Sprintf("magic %#x", uint32(o))
	case FCSAlternatives:
		return fmt.Sprintf("fcs-alternatives %#x", uint8(o)) // pppd has no name for it
	case RawOption:
		return fmt.Sprintf("%v %x", o.OptionType, o.Data)
	}
	return o.Type().String()
}

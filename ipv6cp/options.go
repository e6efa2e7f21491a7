package ipv6cp

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/gprsppp/gprsppp/ppp/fsm"
)

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=OptionType -linecomment

// OptionType is an IPv6CP configuration option type.
type OptionType uint8

// IPv6CP configuration option types (RFC 5072 §4, RFC 5172 §2).
const (
	TypeInterfaceIdentifier     OptionType = 1 // addr
	TypeIPv6CompressionProtocol OptionType = 2 // compress
)

// Option is one IPv6CP configuration option.
type Option interface {
	Type() OptionType
	appendData(b []byte) []byte
}

// InterfaceIdentifier is the Interface-Identifier option (RFC 5072 §4.1):
// the low 64 bits of the sender's link-local address.
type InterfaceIdentifier uint64

// IPv6CompressionProtocol is the IPv6-Compression-Protocol option
// (RFC 5072 §4.2, RFC 5172); it is never negotiated here.
type IPv6CompressionProtocol struct {
	Protocol uint16
	Data     []byte
}

// RawOption is an option this package does not interpret, or one whose
// length does not fit its type; it round-trips byte for byte.
type RawOption struct {
	OptionType OptionType
	Data       []byte
}

// Type returns TypeInterfaceIdentifier.
func (InterfaceIdentifier) Type() OptionType { return TypeInterfaceIdentifier }

// Type returns TypeIPv6CompressionProtocol.
func (IPv6CompressionProtocol) Type() OptionType { return TypeIPv6CompressionProtocol }

// Type returns the option's type.
func (o RawOption) Type() OptionType { return o.OptionType }

func (o InterfaceIdentifier) appendData(b []byte) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(o))
}

func (o IPv6CompressionProtocol) appendData(b []byte) []byte {
	return append(binary.BigEndian.AppendUint16(b, o.Protocol), o.Data...)
}

func (o RawOption) appendData(b []byte) []byte { return append(b, o.Data...) }

// LinkLocal returns the link-local address fe80::<identifier>.
func (o InterfaceIdentifier) LinkLocal() netip.Addr {
	var a [16]byte
	a[0], a[1] = 0xfe, 0x80
	binary.BigEndian.PutUint64(a[8:], uint64(o))
	return netip.AddrFrom16(a)
}

// String renders the identifier as pppd does in its log, e.g.
// "fe80::1" for the identifier 1.
func (o InterfaceIdentifier) String() string { return o.LinkLocal().String() }

// MarshalBinary encodes the option, type and length included.
func (o InterfaceIdentifier) MarshalBinary() ([]byte, error) { return AppendOptions(nil, o), nil }

// UnmarshalBinary decodes one Interface-Identifier option, type and
// length included.
func (o *InterfaceIdentifier) UnmarshalBinary(b []byte) error {
	opts, err := ParseOptions(b)
	if err != nil {
		return err
	}
	if len(opts) != 1 {
		return fmt.Errorf("ipv6cp: %d options, want one", len(opts))
	}
	id, ok := opts[0].(InterfaceIdentifier)
	if !ok {
		return fmt.Errorf("ipv6cp: option %v is not an interface identifier", opts[0].Type())
	}
	*o = id
	return nil
}

// AppendOptions appends the encoded options to b.
func AppendOptions(b []byte, opts ...Option) []byte {
	for _, o := range opts {
		b = fsm.AppendOption(b, uint8(o.Type()), o.appendData)
	}
	return b
}

// ParseOptions decodes the Options field of a Configure packet.
func ParseOptions(b []byte) ([]Option, error) {
	raw, err := fsm.ParseOptions(b)
	if err != nil {
		return nil, fmt.Errorf("ipv6cp: %w", err)
	}
	opts := make([]Option, len(raw))
	for i, r := range raw {
		opts[i] = decodeOption(OptionType(r.Type), r.Data)
	}
	return opts, nil
}

func decodeOption(t OptionType, d []byte) Option {
	switch {
	case t == TypeInterfaceIdentifier && len(d) == 8:
		return InterfaceIdentifier(binary.BigEndian.Uint64(d))
	case t == TypeIPv6CompressionProtocol && len(d) >= 2:
		return IPv6CompressionProtocol{Protocol: binary.BigEndian.Uint16(d), Data: d[2:]}
	}
	return RawOption{OptionType: t, Data: d}
}

// Format renders an option as pppd logs it, e.g. "addr fe80::2".
func Format(o Option) string {
	switch o := o.(type) {
	case InterfaceIdentifier:
		return fmt.Sprintf("addr %v", o)
	case IPv6CompressionProtocol:
		return fmt.Sprintf("compress %#04x %x", o.Protocol, o.Data)
	case RawOption:
		return fmt.Sprintf("%v %x", o.OptionType, o.Data)
	}
	return o.Type().String()
}

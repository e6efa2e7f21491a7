package ipcp

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=OptionType -linecomment

// OptionType is an IPCP configuration option type.
type OptionType uint8

// IPCP configuration option types (RFC 1332 §3, RFC 1877 §1).
const (
	TypeIPAddresses           OptionType = 1   // addrs
	TypeIPCompressionProtocol OptionType = 2   // compress
	TypeIPAddress             OptionType = 3   // addr
	TypePrimaryDNS            OptionType = 129 // ms-dns1
	TypePrimaryNBNS           OptionType = 130 // ms-wins1
	TypeSecondaryDNS          OptionType = 131 // ms-dns2
	TypeSecondaryNBNS         OptionType = 132 // ms-wins2
)

// Option is one IPCP configuration option.
type Option interface {
	Type() OptionType
	appendData(b []byte) []byte
}

// IPAddress is the IP-Address option (RFC 1332 §3.3).
type IPAddress netip.Addr

// PrimaryDNS is the Primary-DNS-Server-Address option (RFC 1877 §1.1).
type PrimaryDNS netip.Addr

// SecondaryDNS is the Secondary-DNS-Server-Address option (RFC 1877 §1.3).
type SecondaryDNS netip.Addr

// IPCompressionProtocol is the IP-Compression-Protocol option
// (RFC 1332 §3.2); Van Jacobson compression is 0x002d.
type IPCompressionProtocol struct {
	Protocol ppp.Protocol
	Data     []byte
}

// RawOption is an option this package does not interpret, or one whose
// length does not fit its type; it round-trips byte for byte.
type RawOption struct {
	OptionType OptionType
	Data       []byte
}

func (IPAddress) Type() OptionType             { return TypeIPAddress }
func (PrimaryDNS) Type() OptionType            { return TypePrimaryDNS }
func (SecondaryDNS) Type() OptionType          { return TypeSecondaryDNS }
func (IPCompressionProtocol) Type() OptionType { return TypeIPCompressionProtocol }

// Type returns the option's type.
func (o RawOption) Type() OptionType { return o.OptionType }

func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.Is4() {
		a = netip.IPv4Unspecified()
	}
	v := a.As4()
	return append(b, v[:]...)
}

func (o IPAddress) appendData(b []byte) []byte    { return appendAddr(b, netip.Addr(o)) }
func (o PrimaryDNS) appendData(b []byte) []byte   { return appendAddr(b, netip.Addr(o)) }
func (o SecondaryDNS) appendData(b []byte) []byte { return appendAddr(b, netip.Addr(o)) }
func (o IPCompressionProtocol) appendData(b []byte) []byte {
	return append(binary.BigEndian.AppendUint16(b, uint16(o.Protocol)), o.Data...)
}
func (o RawOption) appendData(b []byte) []byte { return append(b, o.Data...) }

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
		return nil, fmt.Errorf("ipcp: %w", err)
	}
	opts := make([]Option, len(raw))
	for i, r := range raw {
		opts[i] = decodeOption(OptionType(r.Type), r.Data)
	}
	return opts, nil
}

func decodeOption(t OptionType, d []byte) Option {
	if len(d) == 4 {
		a := netip.AddrFrom4([4]byte(d))
		switch t {
		case TypeIPAddress:
			return IPAddress(a)
		case TypePrimaryDNS:
			return PrimaryDNS(a)
		case TypeSecondaryDNS:
			return SecondaryDNS(a)
		}
	}
	if t == TypeIPCompressionProtocol && len(d) >= 2 {
		return IPCompressionProtocol{Protocol: ppp.Protocol(binary.BigEndian.Uint16(d)), Data: d[2:]}
	}
	return RawOption{OptionType: t, Data: d}
}

// addrOf returns the address carried by an address-valued option.
func addrOf(o Option) (netip.Addr, bool) {
	switch o := o.(type) {
	case IPAddress:
		return netip.Addr(o), true
	case PrimaryDNS:
		return netip.Addr(o), true
	case SecondaryDNS:
		return netip.Addr(o), true
	}
	return netip.Addr{}, false
}

// addrOption builds the address-valued option of type t.
func addrOption(t OptionType, a netip.Addr) Option {
	switch t {
	case TypePrimaryDNS:
		return PrimaryDNS(a)
	case TypeSecondaryDNS:
		return SecondaryDNS(a)
	}
	return IPAddress(a)
}

// Format renders an option as pppd logs it, e.g. "addr 10.64.64.2".
func Format(o Option) string {
	if a, ok := addrOf(o); ok {
		return fmt.Sprintf("%v %v", o.Type(), a)
	}
	switch o := o.(type) {
	case IPCompressionProtocol:
		return fmt.Sprintf("compress %#04x %x", uint16(o.Protocol), o.Data)
	case RawOption:
		return fmt.Sprintf("%v %x", o.OptionType, o.Data)
	}
	return o.Type().String()
}

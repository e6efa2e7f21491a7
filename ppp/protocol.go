package ppp

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=Protocol -linecomment -output=protocol_string.go

// Protocol is the PPP Protocol field (RFC 1661 §2; assigned numbers in
// RFC 1700 and the IANA "PPP DLL Protocol Numbers" registry).
type Protocol uint16

// Protocol numbers used or recognised by this implementation.
const (
	ProtocolIPv4                Protocol = 0x0021 // IP
	ProtocolVJCompressedTCPIP   Protocol = 0x002d // VJ-Compressed
	ProtocolVJUncompressedTCPIP Protocol = 0x002f // VJ-Uncompressed
	ProtocolIPv6                Protocol = 0x0057 // IPv6
	ProtocolIPCP                Protocol = 0x8021 // IPCP
	ProtocolIPv6CP              Protocol = 0x8057 // IPv6CP
	ProtocolCCP                 Protocol = 0x80fd // CCP
	ProtocolLCP                 Protocol = 0xc021 // LCP
	ProtocolPAP                 Protocol = 0xc023 // PAP
	ProtocolLQR                 Protocol = 0xc025 // LQR
	ProtocolCHAP                Protocol = 0xc223 // CHAP
)

// Valid reports whether p is a well-formed protocol number: the least
// significant bit of the least significant octet is 1 and the least
// significant bit of the most significant octet is 0 (RFC 1661 §2).
func (p Protocol) Valid() bool { return p&0x0001 == 1 && p&0x0100 == 0 }

package netstack

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"time"
)

// ICMPv6 types of router discovery (RFC 4861 §4.1, §4.2) and the
// options read here (RFC 4861 §4.6.2, RFC 8106 §5.1).
const (
	icmpv6RouterSolicit = 133
	icmpv6RouterAdvert  = 134
	ndpOptPrefixInfo    = 3
	ndpOptRDNSS         = 25
	ipv6HeaderLen       = 40
	ndpHopLimit         = 255
)

var errBadRA = errors.New("netstack: malformed router advertisement")

// PrefixInfo is a Prefix Information option (RFC 4861 §4.6.2).
type PrefixInfo struct {
	Prefix            netip.Prefix
	OnLink            bool // L flag
	Autonomous        bool // A flag: form an address in it (SLAAC)
	ValidLifetime     time.Duration
	PreferredLifetime time.Duration
}

// RouterAdvertisement is the part of an ICMPv6 Router Advertisement
// (RFC 4861 §4.2) the stack acts on: the prefixes and the Recursive DNS
// Server option (RFC 8106 §5.1).
type RouterAdvertisement struct {
	HopLimit       uint8
	Managed, Other bool
	RouterLifetime time.Duration
	Prefixes       []PrefixInfo
	// DNS are the recursive DNS servers; DNSLifetime how long they
	// may be used (zero: no longer).
	DNS         []netip.Addr
	DNSLifetime time.Duration
}

func seconds(v uint32) time.Duration {
	if v == 0xffffffff {
		return time.Duration(1<<63 - 1) // infinity
	}
	return time.Duration(v) * time.Second
}

// ParseRouterAdvertisement decodes the ICMPv6 message body of a Router
// Advertisement (from the type octet on). Unknown options are skipped;
// a truncated message or an option of length zero is an error.
func ParseRouterAdvertisement(b []byte) (RouterAdvertisement, error) {
	var ra RouterAdvertisement
	if len(b) < 16 || b[0] != icmpv6RouterAdvert || b[1] != 0 {
		return ra, errBadRA
	}
	ra.HopLimit = b[4]
	ra.Managed, ra.Other = b[5]&0x80 != 0, b[5]&0x40 != 0
	ra.RouterLifetime = time.Duration(binary.BigEndian.Uint16(b[6:])) * time.Second
	for opts := b[16:]; len(opts) > 0; {
		if len(opts) < 2 || opts[1] == 0 || len(opts) < int(opts[1])*8 {
			return RouterAdvertisement{}, errBadRA
		}
		o := opts[:int(opts[1])*8]
		opts = opts[len(o):]
		switch o[0] {
		case ndpOptPrefixInfo:
			if len(o) != 32 || o[2] > 128 {
				return RouterAdvertisement{}, errBadRA
			}
			p, err := netip.AddrFrom16([16]byte(o[16:32])).Prefix(int(o[2]))
			if err != nil {
				return RouterAdvertisement{}, errBadRA
			}
			ra.Prefixes = append(ra.Prefixes, PrefixInfo{
				Prefix: p, OnLink: o[3]&0x80 != 0, Autonomous: o[3]&0x40 != 0,
				ValidLifetime:     seconds(binary.BigEndian.Uint32(o[4:])),
				PreferredLifetime: seconds(binary.BigEndian.Uint32(o[8:])),
			})
		case ndpOptRDNSS:
			if len(o) < 24 || (len(o)-8)%16 != 0 {
				return RouterAdvertisement{}, errBadRA
			}
			ra.DNSLifetime = seconds(binary.BigEndian.Uint32(o[4:]))
			for a := o[8:]; len(a) >= 16; a = a[16:] {
				ra.DNS = append(ra.DNS, netip.AddrFrom16([16]byte(a[:16])))
			}
		}
	}
	return ra, nil
}

func secondsField(d time.Duration) uint32 {
	if d >= time.Duration(0xffffffff)*time.Second {
		return 0xffffffff
	}
	return uint32(d / time.Second)
}

// Append encodes the advertisement as an ICMPv6 message body with a
// zero checksum, its prefixes and DNS servers as options.
func (ra RouterAdvertisement) Append(b []byte) []byte {
	var flags byte
	if ra.Managed {
		flags |= 0x80
	}
	if ra.Other {
		flags |= 0x40
	}
	b = append(b, icmpv6RouterAdvert, 0, 0, 0, ra.HopLimit, flags)
	b = binary.BigEndian.AppendUint16(b, uint16(min(ra.RouterLifetime/time.Second, 0xffff)))
	b = append(b, 0, 0, 0, 0, 0, 0, 0, 0) // reachable time, retrans timer: unspecified
	for _, p := range ra.Prefixes {
		var pf byte
		if p.OnLink {
			pf |= 0x80
		}
		if p.Autonomous {
			pf |= 0x40
		}
		b = append(b, ndpOptPrefixInfo, 4, byte(p.Prefix.Bits()), pf)
		b = binary.BigEndian.AppendUint32(b, secondsField(p.ValidLifetime))
		b = binary.BigEndian.AppendUint32(b, secondsField(p.PreferredLifetime))
		b = append(b, 0, 0, 0, 0)
		a := p.Prefix.Masked().Addr().As16()
		b = append(b, a[:]...)
	}
	if len(ra.DNS) > 0 {
		b = append(b, ndpOptRDNSS, byte(1+2*len(ra.DNS)), 0, 0)
		b = binary.BigEndian.AppendUint32(b, secondsField(ra.DNSLifetime))
		for _, a := range ra.DNS {
			v := a.As16()
			b = append(b, v[:]...)
		}
	}
	return b
}

// icmpv6Packet wraps an ICMPv6 message in an IPv6 header with the hop
// limit 255 of neighbour discovery and fills in its checksum.
func icmpv6Packet(src, dst netip.Addr, msg []byte) []byte {
	pkt := make([]byte, ipv6HeaderLen, ipv6HeaderLen+len(msg))
	pkt[0] = 0x60
	binary.BigEndian.PutUint16(pkt[4:], uint16(len(msg)))
	pkt[6], pkt[7] = protoICMPv6, ndpHopLimit
	s, d := src.As16(), dst.As16()
	copy(pkt[8:], s[:])
	copy(pkt[24:], d[:])
	pkt = append(pkt, msg...)
	binary.BigEndian.PutUint16(pkt[42:], icmpv6Checksum(pkt))
	return pkt
}

// icmpv6Checksum computes the checksum of the ICMPv6 message in an IPv6
// packet without extension headers (RFC 4443 §2.3), its own checksum
// field read as zero.
func icmpv6Checksum(pkt []byte) uint16 {
	msg := pkt[ipv6HeaderLen:]
	var sum uint32
	add := func(b []byte) {
		for i := 0; i+1 < len(b); i += 2 {
			sum += uint32(b[i])<<8 | uint32(b[i+1])
		}
		if len(b)%2 == 1 {
			sum += uint32(b[len(b)-1]) << 8
		}
	}
	add(pkt[8:40])
	sum += uint32(len(msg)) + protoICMPv6
	add(msg[:2])
	add(msg[4:])
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// ndpMessage returns the ICMPv6 message of a neighbour discovery packet:
// an IPv6 packet without extension headers, hop limit 255, from a
// link-local or unspecified source, with a valid checksum. ok is false
// for anything else.
func ndpMessage(pkt []byte) (src netip.Addr, msg []byte, ok bool) {
	if len(pkt) < ipv6HeaderLen+4 || pkt[0]>>4 != 6 || pkt[6] != protoICMPv6 || pkt[7] != ndpHopLimit {
		return netip.Addr{}, nil, false
	}
	n := int(binary.BigEndian.Uint16(pkt[4:]))
	if ipv6HeaderLen+n > len(pkt) || n < 4 {
		return netip.Addr{}, nil, false
	}
	pkt = pkt[:ipv6HeaderLen+n]
	src = netip.AddrFrom16([16]byte(pkt[8:24]))
	if !src.IsLinkLocalUnicast() && !src.IsUnspecified() {
		return netip.Addr{}, nil, false
	}
	if binary.BigEndian.Uint16(pkt[42:]) != icmpv6Checksum(pkt) {
		return netip.Addr{}, nil, false
	}
	return src, pkt[ipv6HeaderLen:], true
}

// IsNDP reports whether pkt is an IPv6 Neighbor Discovery message
// (RFC 4861 §4: router and neighbor solicitations and advertisements,
// redirects). The stack does router discovery for the link, so a host
// sharing the link's address (a TUN interface) leaves these to it. NDP
// messages carry no extension headers before ICMPv6 in practice; one
// that does is not recognised.
func IsNDP(pkt []byte) bool {
	const redirect = 137
	if len(pkt) <= ipv6HeaderLen || pkt[0]>>4 != 6 || pkt[6] != protoICMPv6 {
		return false
	}
	t := pkt[ipv6HeaderLen]
	return t >= icmpv6RouterSolicit && t <= redirect
}

// routerSolicitation returns the ICMPv6 message of a Router
// Solicitation (RFC 4861 §4.1) without options: a PPP link has no
// link-layer address to announce.
func routerSolicitation() []byte { return []byte{icmpv6RouterSolicit, 0, 0, 0, 0, 0, 0, 0} }

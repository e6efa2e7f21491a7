// Package tcpmss clamps the maximum segment size that TCP connections
// negotiate across a link, as a router does for a path with a small MTU
// (Linux's TCPMSS target): the MSS option of every SYN that crosses is
// lowered in place to fit a limit, with the TCP checksum updated
// incrementally (RFC 1624). Both ends then send segments no larger than
// the limit, whatever their own MTU.
package tcpmss

import (
	"encoding/binary"
	"math/bits"
	"time"
)

// MaxFrameTime bounds the line time of a full TCP segment's frame on a
// slow line (PacketSize). Everything sent either way waits behind the
// frame on the line, a keystroke's echo behind one frame each way at
// least: at 9600 bit/s a 1500-octet frame takes 1.6 s. Lines that carry
// a full frame of a 1500-octet MTU in this time (from about 62 kbit/s)
// keep the MTU's segments.
const MaxFrameTime = 250 * time.Millisecond

// frameOverhead is what PPP's HDLC-like framing adds to a packet on the
// line: flag, address, control, protocol and a 16-bit FCS, escapes
// aside.
const frameOverhead = 8

// PacketSize returns the largest IP packet a TCP segment should make on
// a line that carries rate octets a second, with an MTU of mtu, where
// that is less than mtu: what keeps its frame within MaxFrameTime, never
// below MinPacket. It returns 0 when the MTU's segments fit, or rate is
// 0 (unknown): nothing to clamp.
func PacketSize(rate, mtu int) int {
	if rate <= 0 {
		return 0
	}
	fit := int(int64(rate)*int64(MaxFrameTime)/int64(time.Second)) - frameOverhead
	if size := max(fit, MinPacket); size < mtu {
		return size
	}
	return 0
}

// Header sizes: the IPv4 header without options, the IPv6 fixed header,
// and TCP's without options.
const (
	ipv4Header = 20
	ipv6Header = 40
	tcpHeader  = 20
)

// MinPacket is the smallest packet size Clamp accepts as a limit: a
// segment of 88 octets of data over IPv4 (gVisor's and Linux's smallest
// MSS), the same 88 over IPv6 needing 20 octets more.
const MinPacket = ipv4Header + tcpHeader + 88

// Clamp lowers the MSS option of pkt, an IPv4 or IPv6 packet, if it is a
// TCP segment with SYN set whose MSS would let the segments of its
// connection exceed size octets as IP packets (over IPv4, MSS at most
// size - 40; over IPv6, size - 60, and never below 88). It reports
// whether it changed pkt. Anything else (other protocols, fragments,
// IPv6 extension headers, truncated or malformed headers, a SYN without
// an MSS option) is left as it is, and so is every packet when size is
// 0 (PacketSize's "nothing to clamp"): a check small enough to inline on
// a link's packet path.
func Clamp(pkt []byte, size int) bool {
	if size == 0 {
		return false
	}
	return clamp(pkt, size)
}

// clamp is Clamp with a size to clamp to.
func clamp(pkt []byte, size int) bool {
	seg, ipHeaders, ok := tcpSegment(pkt)
	if !ok {
		return false
	}
	limit := max(size-ipHeaders-tcpHeader, MinPacket-ipv4Header-tcpHeader)
	return clampSegment(seg, limit)
}

// tcpSegment returns pkt's TCP segment and the size of the IP headers
// in front of it, if pkt is an unfragmented TCP packet over IPv4, or
// over IPv6 without extension headers.
func tcpSegment(pkt []byte) (seg []byte, ipHeaders int, ok bool) {
	if len(pkt) < 1 {
		return nil, 0, false
	}
	switch pkt[0] >> 4 {
	case 4:
		if len(pkt) < ipv4Header {
			return nil, 0, false
		}
		ihl := int(pkt[0]&0x0f) * 4
		total := int(binary.BigEndian.Uint16(pkt[2:4]))
		fragment := binary.BigEndian.Uint16(pkt[6:8]) & 0x3fff // MF and the offset
		if pkt[9] != 6 || ihl < ipv4Header || total < ihl || total > len(pkt) || fragment != 0 {
			return nil, 0, false
		}
		return pkt[ihl:total], ipv4Header, true
	case 6:
		if len(pkt) < ipv6Header || pkt[6] != 6 {
			return nil, 0, false
		}
		end := ipv6Header + int(binary.BigEndian.Uint16(pkt[4:6]))
		if end > len(pkt) {
			return nil, 0, false
		}
		return pkt[ipv6Header:end], ipv6Header, true
	}
	return nil, 0, false
}

// clampSegment lowers the MSS option of seg, a TCP segment, to limit if
// seg is a SYN with a larger one.
func clampSegment(seg []byte, limit int) bool {
	if len(seg) < tcpHeader || seg[13]&0x02 == 0 { // SYN
		return false
	}
	off := int(seg[12]>>4) * 4
	if off < tcpHeader || off > len(seg) {
		return false
	}
	opts := seg[tcpHeader:off]
	for i := 0; i < len(opts); {
		switch kind := opts[i]; kind {
		case 0: // end of option list
			return false
		case 1: // no-operation
			i++
			continue
		}
		if i+1 >= len(opts) || opts[i+1] < 2 || i+int(opts[i+1]) > len(opts) {
			return false
		}
		n := int(opts[i+1])
		if opts[i] == 2 && n == 4 {
			old := binary.BigEndian.Uint16(opts[i+2:])
			if int(old) <= limit {
				return false
			}
			now := uint16(limit)
			binary.BigEndian.PutUint16(opts[i+2:], now)
			if (tcpHeader+i)%2 == 1 {
				// The value straddles two of the checksum's words,
				// where it counts with its octets swapped.
				old, now = bits.ReverseBytes16(old), bits.ReverseBytes16(now)
			}
			fixChecksum(seg[16:18], old, now)
			return true
		}
		i += n
	}
	return false
}

// fixChecksum updates the one's complement checksum at sum for a 16-bit
// word of the data changed from old to now (RFC 1624, equation 3).
func fixChecksum(sum []byte, old, now uint16) {
	c := uint32(^binary.BigEndian.Uint16(sum)) + uint32(^old) + uint32(now)
	for c > 0xffff {
		c = c>>16 + c&0xffff
	}
	binary.BigEndian.PutUint16(sum, ^uint16(c))
}

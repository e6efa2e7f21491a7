package netstack

import (
	"encoding/binary"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip/checksum"
	"gvisor.dev/gvisor/pkg/tcpip/header"
)

// Receive coalescing: the consecutive in-order segments of a TCP
// connection that one read from the line brought are joined into one
// segment before the stack sees them (generic receive offload, after
// Linux's tcp_gro_receive). gVisor's own stack/gro cannot be used on this
// link: it leaves the joined segment's checksums as they were, for links
// whose hardware checked them (the NIC trusts a packet's checksums only
// by the link's capabilities, and this link checks nothing), and its
// Flush hands on only the first packet of each bucket.
//
// A joined segment gets a new TCP checksum computed from those of its
// parts without reading their payload again: each part's payload sum is
// what its checksum says minus its pseudo-header and header (RFC 1071,
// RFC 1624), and the stack then checks the joined segment over all its
// octets as it would have checked the parts, so a corrupted part still
// fails the check (taking the segment it was joined to with it).

// Only segments of at least minJoin octets are joined: those of a line
// fast enough to carry segments of about the MTU. A slow line's clamped
// MSS (internal/tcpmss) makes small segments, and its receive-window
// control small receive buffers; gVisor admits a segment only while the
// memory its connection holds is within that buffer, counting each
// segment at its size and tcp.SegOverheadSize (636 octets), and with
// joined 192-octet segments an echo at 9600 bit/s stalled for good
// (every retransmission dropped at the connection's segment queue):
// likely a joined segment kept out of order under a larger buffer,
// holding more than the whole of a smaller one set later.
// Such a line brings few segments in one read anyway.

// Limits of coalescing.
const (
	coalesceSlots = 4       // connections coalesced at once
	coalesceMax   = 0xffff  // octets in a joined IP packet (the IPv4 total length, the IPv6 payload length)
	minJoin       = 1000    // payload octets of a segment that others may join (see below)
	maxHeaders    = 40 + 60 // IPv6 header and the longest TCP header
)

// segment is a TCP segment that may be joined with others: IPv4 without
// options or fragmentation, or IPv6 with TCP as its next header; ACK set,
// no flag but PSH besides; some payload.
type segment struct {
	pkt    []byte
	v6     bool
	ipLen  int // IP header length
	hdrLen int // IP and TCP headers
}

// tcpHdr returns the segment's TCP header.
func (s segment) tcpHdr() header.TCP { return header.TCP(s.pkt[s.ipLen:s.hdrLen]) }

// payloadLen returns the length of the TCP payload.
func (s segment) payloadLen() int { return len(s.pkt) - s.hdrLen }

// addrs returns the source and destination addresses, which the TCP
// pseudo-header sums.
func (s segment) addrs() []byte {
	if s.v6 {
		return s.pkt[8:40]
	}
	return s.pkt[12:20]
}

// sameFlow reports whether t is of s's connection and direction.
func (s segment) sameFlow(t segment) bool {
	return s.v6 == t.v6 && string(s.addrs()) == string(t.addrs()) &&
		string(s.pkt[s.ipLen:s.ipLen+4]) == string(t.pkt[t.ipLen:t.ipLen+4])
}

// payloadSum returns the one's complement sum of the segment's payload
// that its checksum claims: the checksum's complement less the sums of
// the pseudo-header and of the TCP header without its checksum.
func (s segment) payloadSum() uint16 {
	tcp := s.tcpHdr()
	claimed := tcp.Checksum()
	hdr := checksum.Combine(checksum.Checksum(tcp, 0), ^claimed) // the header as if its checksum were zero
	pseudo := pseudoSum(s.addrs(), len(s.pkt)-s.ipLen)
	return checksum.Combine(^claimed, ^checksum.Combine(pseudo, hdr))
}

// pseudoSum returns the sum of the TCP pseudo-header (RFC 9293 §3.1, RFC
// 8200 §8.1) for addrs and a TCP length.
func pseudoSum(addrs []byte, tcpLen int) uint16 {
	sum := checksum.Checksum(addrs, 0)
	sum = checksum.Combine(sum, uint16(header.TCPProtocolNumber))
	return checksum.Combine(sum, uint16(tcpLen))
}

// parseSegment returns pkt as a segment, or false if it is not one that
// may be joined.
func parseSegment(pkt []byte) (segment, bool) {
	s := segment{pkt: pkt}
	switch {
	case len(pkt) >= header.IPv4MinimumSize && pkt[0] == 0x45:
		ip := header.IPv4(pkt)
		if ip.Protocol() != uint8(header.TCPProtocolNumber) || int(ip.TotalLength()) != len(pkt) ||
			ip.More() || ip.FragmentOffset() != 0 {
			return s, false
		}
		s.ipLen = header.IPv4MinimumSize
	case len(pkt) >= header.IPv6MinimumSize && pkt[0]>>4 == 6:
		ip := header.IPv6(pkt)
		if ip.NextHeader() != uint8(header.TCPProtocolNumber) || int(ip.PayloadLength())+header.IPv6MinimumSize != len(pkt) {
			return s, false
		}
		s.v6 = true
		s.ipLen = header.IPv6MinimumSize
	default:
		return s, false
	}
	if len(pkt) < s.ipLen+header.TCPMinimumSize {
		return s, false
	}
	tcp := header.TCP(pkt[s.ipLen:])
	off := int(tcp.DataOffset())
	s.hdrLen = s.ipLen + off
	if off < header.TCPMinimumSize || s.hdrLen >= len(pkt) {
		return s, false
	}
	if tcp.Flags()&^header.TCPFlagPsh != header.TCPFlagAck {
		return s, false
	}
	return s, true
}

// tcpFlow returns pkt's IP and TCP headers' flow fields as a segment
// (not necessarily one that may be joined), or false if pkt is not TCP
// in IPv4 or IPv6 without extension headers.
func tcpFlow(pkt []byte) (segment, bool) {
	s := segment{pkt: pkt}
	switch {
	case len(pkt) >= header.IPv4MinimumSize+4 && pkt[0]>>4 == 4:
		s.ipLen = int(pkt[0]&0xf) * 4
		if header.IPv4(pkt).Protocol() != uint8(header.TCPProtocolNumber) {
			return s, false
		}
	case len(pkt) >= header.IPv6MinimumSize+4 && pkt[0]>>4 == 6:
		s.v6 = true
		s.ipLen = header.IPv6MinimumSize
		if header.IPv6(pkt).NextHeader() != uint8(header.TCPProtocolNumber) {
			return s, false
		}
	default:
		return s, false
	}
	return s, s.ipLen >= header.IPv4MinimumSize && len(pkt) >= s.ipLen+4
}

// joined is one coalescing slot: the headers of the first segment, the
// payload of all so far and its sum.
type joined struct {
	hdr     [maxHeaders]byte
	first   segment // over hdr: its headers only
	payload buffer.Buffer
	segLen  int    // the first segment's payload length; later ones may not be longer
	total   int    // payload octets held
	sum     uint16 // their one's complement sum, as the checksums claim
	parts   int    // segments joined; 0 when the slot is free
	nextSeq uint32
	age     uint64 // when it began, to free the oldest slot
}

// coalescer joins segments in coalesceSlots slots. It is not safe for
// concurrent use.
type coalescer struct {
	slots [coalesceSlots]joined
	clock uint64
	joins uint64 // segments joined to another, ever
}

// add takes one inbound IP packet. Packets ready for the stack, pkt
// itself or joined segments (some of them ending because pkt cannot
// join them), go to out in the order the stack must see them; the
// bytes of pkt are copied if kept.
func (c *coalescer) add(pkt []byte, out func(hdr []byte, payload buffer.Buffer)) {
	s, ok := parseSegment(pkt)
	if !ok {
		// Not joinable, but it may be of a connection with a
		// segment held, which must reach the stack first.
		if f, isTCP := tcpFlow(pkt); isTCP {
			c.flushFlow(f, out)
		}
		out(pkt, buffer.Buffer{})
		return
	}
	j := c.find(s)
	if j != nil && j.accepts(s) {
		j.join(s)
		c.joins++
		if s.payloadLen() < j.segLen || s.tcpHdr().Flags()&header.TCPFlagPsh != 0 {
			c.flush(j, out) // the end of a run of full segments, or a push
		}
		return
	}
	if j != nil {
		c.flush(j, out)
	}
	if s.tcpHdr().Flags()&header.TCPFlagPsh != 0 || s.payloadLen() < minJoin {
		out(pkt, buffer.Buffer{})
		return
	}
	c.begin(s, out)
}

// flushAll hands every held segment to out.
func (c *coalescer) flushAll(out func(hdr []byte, payload buffer.Buffer)) {
	for i := range c.slots {
		if c.slots[i].parts > 0 {
			c.flush(&c.slots[i], out)
		}
	}
}

// find returns the slot holding s's connection, or nil.
func (c *coalescer) find(s segment) *joined {
	for i := range c.slots {
		if j := &c.slots[i]; j.parts > 0 && j.first.sameFlow(s) {
			return j
		}
	}
	return nil
}

// flushFlow hands the segment held for f's connection, if any, to out.
func (c *coalescer) flushFlow(f segment, out func(hdr []byte, payload buffer.Buffer)) {
	if j := c.find(f); j != nil {
		c.flush(j, out)
	}
}

// begin holds s in a free slot, freeing the oldest if none is.
func (c *coalescer) begin(s segment, out func(hdr []byte, payload buffer.Buffer)) {
	j := &c.slots[0]
	for i := range c.slots {
		k := &c.slots[i]
		if k.parts == 0 {
			j = k
			break
		}
		if k.age < j.age {
			j = k
		}
	}
	if j.parts > 0 {
		c.flush(j, out)
	}
	c.clock++
	n := copy(j.hdr[:], s.pkt[:s.hdrLen])
	j.first = segment{pkt: j.hdr[:n], v6: s.v6, ipLen: s.ipLen, hdrLen: s.hdrLen}
	j.payload = buffer.MakeWithData(s.pkt[s.hdrLen:])
	j.segLen = s.payloadLen()
	j.total = j.segLen
	j.sum = s.payloadSum()
	j.parts = 1
	j.nextSeq = s.tcpHdr().SequenceNumber() + uint32(j.segLen)
	j.age = c.clock
}

// accepts reports whether s continues j exactly: the next sequence
// number, the same acknowledgment, flags, options and IP fields, and no
// longer than the first segment. The first segment's payload must have
// an even length, so that each part's sum adds as it stands.
func (j *joined) accepts(s segment) bool {
	f, t := j.first, s
	if f.hdrLen != t.hdrLen || j.segLen%2 != 0 || t.payloadLen() > j.segLen ||
		f.hdrLen+j.total+t.payloadLen() > coalesceMax {
		return false
	}
	ft, tt := f.tcpHdr(), t.tcpHdr()
	if tt.SequenceNumber() != j.nextSeq || tt.AckNumber() != ft.AckNumber() ||
		(tt.Flags()^ft.Flags())&^header.TCPFlagPsh != 0 ||
		string(tt[header.TCPMinimumSize:]) != string(ft[header.TCPMinimumSize:]) {
		return false
	}
	if f.v6 {
		// Version, traffic class and flow label; hop limit.
		return string(f.pkt[:4]) == string(t.pkt[:4]) && f.pkt[7] == t.pkt[7]
	}
	// TOS; DF; TTL.
	return f.pkt[1] == t.pkt[1] && f.pkt[6]&0x40 == t.pkt[6]&0x40 && f.pkt[8] == t.pkt[8]
}

// join appends s's payload to j. The joined segment takes s's window,
// the latest the sender advertised, and its PSH.
func (j *joined) join(s segment) {
	n := s.payloadLen()
	j.payload.Append(buffer.NewViewWithData(s.pkt[s.hdrLen:]))
	j.sum = checksum.Combine(j.sum, s.payloadSum())
	j.total += n
	j.parts++
	j.nextSeq += uint32(n)
	ft := j.first.tcpHdr()
	ft.SetWindowSize(s.tcpHdr().WindowSize())
	ft.SetFlags(uint8(ft.Flags() | s.tcpHdr().Flags()&header.TCPFlagPsh))
}

// flush hands j's segment to out and frees the slot. A segment of
// several parts gets its lengths and checksums set for the whole.
func (c *coalescer) flush(j *joined, out func(hdr []byte, payload buffer.Buffer)) {
	f := j.first
	if j.parts > 1 {
		tcpLen := f.hdrLen - f.ipLen + j.total
		if f.v6 {
			binary.BigEndian.PutUint16(f.pkt[4:], uint16(tcpLen))
		} else {
			ip := header.IPv4(f.pkt)
			ip.SetTotalLength(uint16(f.hdrLen + j.total))
			ip.SetChecksum(0)
			ip.SetChecksum(^ip.CalculateChecksum())
		}
		tcp := f.tcpHdr()
		tcp.SetChecksum(0)
		sum := checksum.Combine(pseudoSum(f.addrs(), tcpLen), checksum.Checksum(tcp, 0))
		tcp.SetChecksum(^checksum.Combine(sum, j.sum))
	}
	payload := j.payload
	j.payload = buffer.Buffer{}
	j.parts = 0
	out(f.pkt, payload)
}

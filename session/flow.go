package session

// flowSlots is the number of flow queues: flows that hash alike share
// one, in which they keep their order.
const flowSlots = 256

// otherFlow is the queue of packets without a flow: fragments other than
// the first and malformed packets, whose order among themselves is kept.
const otherFlow = flowSlots

// noFlow is what flowOf returns for a packet without a flow.
const noFlow = -1

// flowOf returns the slot of an IPv4 packet's flow: its addresses,
// protocol and, for TCP and UDP, its ports. A fragment other than the
// first, which has no ports, and a malformed packet return noFlow.
func flowOf(pkt []byte) int {
	if len(pkt) >= 40 && pkt[0]>>4 == 6 {
		return flowOf6(pkt)
	}
	if len(pkt) < 20 || pkt[0]>>4 != 4 {
		return noFlow
	}
	ihl := int(pkt[0]&0x0f) * 4
	if ihl < 20 || len(pkt) < ihl {
		return noFlow
	}
	if off := int(pkt[6]&0x1f)<<8 | int(pkt[7]); off != 0 {
		return noFlow
	}
	// FNV-1a over source, destination and protocol, then the ports.
	h := uint32(2166136261)
	mix := func(b []byte) {
		for _, c := range b {
			h ^= uint32(c)
			h *= 16777619
		}
	}
	mix(pkt[12:20])
	mix(pkt[9:10])
	if p := pkt[9]; (p == 6 || p == 17) && len(pkt) >= ihl+4 {
		mix(pkt[ihl : ihl+4])
	}
	return int(h % flowSlots)
}

// flowOf6 is flowOf for an IPv6 packet: its addresses, next header and,
// for TCP and UDP directly after the fixed header, its ports.
func flowOf6(pkt []byte) int {
	h := uint32(2166136261)
	mix := func(b []byte) {
		for _, c := range b {
			h ^= uint32(c)
			h *= 16777619
		}
	}
	mix(pkt[8:40])
	mix(pkt[6:7])
	if p := pkt[6]; (p == 6 || p == 17) && len(pkt) >= 44 {
		mix(pkt[40:44])
	}
	return int(h % flowSlots)
}

// TCP header flags (RFC 9293 §3.1).
const tcpACK = 0x10

// TCP option kinds (RFC 9293 §3.1, RFC 7323 §3.2).
const (
	tcpOptEnd       = 0
	tcpOptNOP       = 1
	tcpOptTimestamp = 8
)

// pureACK describes a TCP segment that only acknowledges: the ACK flag
// alone, no data, no options but NOP and timestamps (so no SACK blocks).
// Such a segment carries nothing a later one of its connection does not
// carry too, if that one acknowledges more and offers at least as much
// window (ackSupersedes).
type pureACK struct {
	conn [12]byte // addresses and ports
	seq  uint32
	ack  uint32
	win  uint16
	hdr  int // TCP header length: its options
}

// parsePureACK returns the pureACK that pkt is, if it is one. A fragment
// is never one.
func parsePureACK(pkt []byte) (a pureACK, ok bool) {
	if len(pkt) < 20 || pkt[0]>>4 != 4 || pkt[9] != 6 {
		return a, false
	}
	ihl := int(pkt[0]&0x0f) * 4
	total := int(pkt[2])<<8 | int(pkt[3])
	if ihl < 20 || total < ihl+20 || total > len(pkt) || pkt[6]&0x3f != 0 || pkt[7] != 0 {
		return a, false
	}
	tcp := pkt[ihl:total]
	off := int(tcp[12]>>4) * 4
	if off < 20 || off != len(tcp) || tcp[13] != tcpACK || !onlyTimestamps(tcp[20:off]) {
		return a, false
	}
	copy(a.conn[:8], pkt[12:20])
	copy(a.conn[8:], tcp[:4])
	a.seq = be32(tcp[4:])
	a.ack = be32(tcp[8:])
	a.win = uint16(tcp[14])<<8 | uint16(tcp[15])
	a.hdr = off
	return a, true
}

// onlyTimestamps reports whether TCP options hold nothing but NOPs,
// timestamps and the end of the list.
func onlyTimestamps(opts []byte) bool {
	for i := 0; i < len(opts); {
		switch opts[i] {
		case tcpOptEnd:
			return true
		case tcpOptNOP:
			i++
		case tcpOptTimestamp:
			if i+10 > len(opts) || opts[i+1] != 10 {
				return false
			}
			i += 10
		default:
			return false
		}
	}
	return true
}

// ackSupersedes reports whether pure ACK b, queued after a, makes a
// useless to the peer: the same connection and sequence number, the same
// options, an acknowledgement strictly further on (so a duplicate ACK,
// which signals a loss, is never merged) and no less window. Under these
// conditions the right edge of b's window is at or past a's for any
// window scale.
func ackSupersedes(a, b pureACK) bool {
	return a.conn == b.conn && a.seq == b.seq && a.hdr == b.hdr &&
		int32(b.ack-a.ack) > 0 && b.win >= a.win
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

package session

import "sync/atomic"

// expressMax is the largest non-TCP packet the express queue takes: a
// DNS query, a ping, a keystroke over UDP.
const expressMax = 128

// tcpFIN is the FIN flag of a TCP header (RFC 9293 §3.1).
const tcpFIN = 0x01

// expressPacket reports whether an IPv4 packet may overtake the bulk
// data queued before it: a TCP segment without payload or FIN (an ACK,
// a window update, SYN, RST), or a short datagram of another protocol.
// A TCP segment with data or FIN never overtakes, so no stream's
// sequence space is reordered. A malformed packet is bulk. Whether it
// does overtake depends on its flow too (see flowTable).
func expressPacket(pkt []byte) bool {
	if len(pkt) < 20 || pkt[0]>>4 != 4 {
		return false
	}
	ihl := int(pkt[0]&0x0f) * 4
	total := int(pkt[2])<<8 | int(pkt[3])
	if ihl < 20 || total < ihl || total > len(pkt) {
		return false
	}
	if pkt[9] != 6 { // not TCP
		return total <= expressMax
	}
	if total < ihl+20 {
		return false
	}
	tcp := pkt[ihl:total]
	off := int(tcp[12]>>4) * 4
	if off < 20 || off > len(tcp) {
		return false
	}
	return len(tcp) == off && tcp[13]&tcpFIN == 0
}

// flowSlots is the size of the flow table: flows that hash alike share a
// slot, which only ever keeps a packet off the express queue.
const flowSlots = 256

// noFlow marks a queued frame that counts in no slot.
const noFlow = -1

// flowTable counts, per flow, the bulk frames waiting for the line, so
// that an express packet never overtakes bulk data of its own flow.
//
// An ACK that overtakes its own connection's data arrives with a
// sequence number beyond that data. Where the data fills the peer's
// receive window to the edge, RFC 9293 §3.10.7.4 makes the peer drop
// that ACK as unacceptable, and with it the window update it carries:
// the connection then waits on the peer's persist timer, whose backoff
// grows to minutes (a 10 MB echo over an in-memory pipe stalled so in
// one run in four). Only flows with nothing queued in bulk use the
// express queue, which is the case it exists for: the ACKs of a
// download behind an upload of another connection.
type flowTable struct {
	waiting [flowSlots]atomic.Int32
}

// flowOf returns the slot of an IPv4 packet's flow: its addresses,
// protocol and, for TCP and UDP, its ports. A fragment other than the
// first, which has no ports, and a malformed packet return noFlow; they
// are never express.
func flowOf(pkt []byte) int {
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

// queuedBulk counts a bulk frame of flow f as waiting.
func (t *flowTable) queuedBulk(f int) {
	if f != noFlow {
		t.waiting[f].Add(1)
	}
}

// leftBulk counts a bulk frame of flow f as gone: into a batch for the
// line, or dropped.
func (t *flowTable) leftBulk(f int) {
	if f != noFlow {
		t.waiting[f].Add(-1)
	}
}

// mayOvertake reports whether an express packet of flow f may go before
// the bulk queue: none of that flow's frames wait there.
func (t *flowTable) mayOvertake(f int) bool {
	return f != noFlow && t.waiting[f].Load() == 0
}

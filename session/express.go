package session

// expressMax is the largest non-TCP packet the express queue takes: a
// DNS query, a ping, a keystroke over UDP.
const expressMax = 128

// tcpFIN is the FIN flag of a TCP header (RFC 9293 §3.1).
const tcpFIN = 0x01

// expressPacket reports whether an IPv4 packet may overtake the bulk
// data queued before it: a TCP segment without payload or FIN (an ACK,
// a window update, SYN, RST), or a short datagram of another protocol.
// A TCP segment with data or FIN never overtakes, so no stream's
// sequence space is reordered. A malformed packet is bulk.
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

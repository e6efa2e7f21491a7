package gprsppp

import (
	"github.com/gprsppp/gprsppp/internal/tcpmss"
)

// TCP's segments on a slow line: a link told its line's rate
// (Config.LineRate, NetworkConfig.LineRate) clamps the MSS option of
// every TCP SYN that crosses it, both ways and whoever's connection it
// is (the link's stack, the host's through a TUN, the network side's),
// so that a full segment's frame takes the line at most
// tcpmss.MaxFrameTime: at 9600 bit/s a segment of 192 octets instead
// of 1460, so that a keystroke waits behind a quarter of a second of
// someone else's data on the line rather than 1.6 s, at the cost of
// headers taking a fifth of the line instead of a thirtieth. Lines from
// about 62 kbit/s keep the MTU's segments.

// mssClamp is the largest IP packet a TCP segment may make on a line
// of rate octets a second with an MTU of mtu; 0 when the MTU's segments
// fit (or the rate is unknown) and nothing is clamped.
func mssClamp(rate, mtu int) int {
	if size := tcpmss.PacketSize(rate, mtu); size < mtu {
		return size
	}
	return 0
}

// clampMSS lowers pkt's MSS option in place if pkt is a TCP SYN whose
// segments would exceed clamp octets; clamp 0 leaves every packet alone.
func clampMSS(pkt []byte, clamp int) {
	if clamp != 0 {
		tcpmss.Clamp(pkt, clamp)
	}
}

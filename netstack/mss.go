package netstack

import "gvisor.dev/gvisor/pkg/tcpip"

// clampMSS tells ep, before it connects or listens (a listener's
// connections inherit it), the MSS that the link clamps TCP's SYNs to on
// a slow line (see the root package's mss.go and tcpmss.PacketSize).
// The SYNs on the wire carry the clamped MSS either way; gVisor's own
// idea of it decides when a read sends a window update (when the window
// grows past the smaller of an MSS and half the receive buffer), and
// with the MTU's MSS on a line whose windows are smaller than that, a
// 32-octet read sent one, costing a keystroke's echo 60 ms of a 9600
// bit/s line.
func (s *Stack) clampMSS(ep tcpip.Endpoint) {
	if s.mss == 0 {
		return
	}
	// Within gVisor's bounds (tcpmss.MinPacket); a failure leaves the
	// MTU's MSS, which still works.
	_ = ep.SetSockOptInt(tcpip.MaxSegOption, s.mss)
}

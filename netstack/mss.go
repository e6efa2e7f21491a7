package netstack

import "gvisor.dev/gvisor/pkg/tcpip"

// beforeHandshake tells ep, before it connects or listens (a listener's
// connections inherit both), what its handshake must already carry on
// a slow line: the MSS that the link clamps TCP's SYNs to, and the
// controlled first window (windowControl.presize).
//
// The SYNs on the wire carry the clamped MSS either way (see the root
// package's Link.clamp and tcpmss.PacketSize); gVisor's own idea of it
// decides when a read sends a window update (when the window grows past
// the smaller of an MSS and half the receive buffer), and with the MTU's
// MSS on a line whose windows are smaller than that, a 32-octet read
// sent one, costing a keystroke's echo 60 ms of a 9600 bit/s line.
func (s *Stack) beforeHandshake(ep tcpip.Endpoint) {
	if s.mss != 0 {
		// Within gVisor's bounds (tcpmss.MinPacket); a failure leaves
		// the MTU's MSS, which still works.
		_ = ep.SetSockOptInt(tcpip.MaxSegOption, s.mss)
	}
	if s.rwc != nil {
		s.rwc.presize(ep)
	}
}

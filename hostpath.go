package gprsppp

import (
	"errors"
	"fmt"

	"github.com/gprsppp/gprsppp/internal/tcpmss"
	"github.com/gprsppp/gprsppp/netstack"
)

// The host path: a link shared with the host's own TCP/IP (a TUN
// interface with the link's address, see TUN) splits what comes in by
// flow. The link's stack keeps the packets of its own sockets (Owns:
// the proxies' and forwards' connections, its lookups, -R listeners,
// and ICMP errors about them), and the host gets everything else. Going
// out, both write to the session, which queues their packets alike.

// deliverInbound is the session's IP handler: one inbound packet, on
// the line's reading goroutine. A SYN's MSS is clamped in place first
// (Link.clamp).
func (l *Link) deliverInbound(pkt []byte) {
	tcpmss.Clamp(pkt, l.clamp)
	if h := l.host.Load(); h != nil && !l.st.Owns(pkt) && !netstack.IsNDP(pkt) {
		(*h)(pkt)
		return
	}
	l.rx.Deliver(pkt)
}

// setHost installs h to take the inbound packets the stack does not
// own, or with nil gives them all back to the stack. h runs on the
// line's reading goroutine and must not keep pkt.
func (l *Link) setHost(h func(pkt []byte)) {
	if h == nil {
		l.host.Store(nil)
		return
	}
	l.host.Store(&h)
}

// writeIP queues one IP packet from the host for the link, by its
// version: IPv4 while IPCP is Opened, IPv6 while IPv6CP is.
func (l *Link) writeIP(pkt []byte) error {
	if len(pkt) == 0 {
		return errors.New("gprsppp: empty packet")
	}
	switch pkt[0] >> 4 {
	case 4, 6:
		tcpmss.Clamp(pkt, l.clamp)
		return l.s.WritePacket(pkt)
	}
	return fmt.Errorf("gprsppp: IP version %d", pkt[0]>>4)
}

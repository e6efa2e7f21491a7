package gprsppp

import (
	"errors"
	"fmt"
)

// The host path: a link shared with the host's own TCP/IP (a TUN
// interface with the link's address, see TUN) splits what comes in by
// flow. The link's stack keeps the packets of its own sockets (Owns:
// the proxies' and forwards' connections, its lookups, -R listeners,
// and ICMP errors about them), and the host gets everything else. Going
// out, both write to the session, which queues their packets alike.

// errNoIPv6 refuses an IPv6 packet on a link without IPv6.
var errNoIPv6 = errors.New("gprsppp: no IPv6 on the link")

// deliverInbound is the session's IP handler: one inbound packet, on
// the line's reading goroutine.
func (l *Link) deliverInbound(pkt []byte) {
	if h := l.host.Load(); h != nil && !l.st.Owns(pkt) {
		(*h)(pkt)
		return
	}
	l.st.DeliverInbound(pkt)
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
// version: IPv4 while IPCP is Opened; IPv6 not yet, the link has none.
func (l *Link) writeIP(pkt []byte) error {
	if len(pkt) == 0 {
		return errors.New("gprsppp: empty packet")
	}
	switch pkt[0] >> 4 {
	case 4:
		return l.s.WriteIPv4(pkt)
	case 6:
		return errNoIPv6
	}
	return fmt.Errorf("gprsppp: IP version %d", pkt[0]>>4)
}

// Package keepalive turns on TCP keepalive probes (RFC 9293 §3.8.4) on
// relayed connections, so that one whose peer vanished (a host that went
// away, a link that dropped without a FIN) is noticed and closed instead
// of held forever.
package keepalive

import (
	"net"
	"time"
)

// Period is the idle time before the first probe and between probes.
const Period = 60 * time.Second

// conn is a TCP connection with keepalive probes, like *net.TCPConn and
// the link's TCP connections.
type conn interface {
	SetKeepAlive(bool) error
	SetKeepAlivePeriod(time.Duration) error
}

// Enable turns keepalive probes on for c, if it has them.
func Enable(c net.Conn) {
	if k, ok := c.(conn); ok {
		k.SetKeepAlive(true)
		k.SetKeepAlivePeriod(Period)
	}
}

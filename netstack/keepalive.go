package netstack

import (
	"net"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// SetKeepAlive turns TCP keepalive probes (RFC 9293 §3.8.4) on or off,
// like net.TCPConn.SetKeepAlive. A peer that stops answering them, for
// example because the link dropped without a FIN or RST, ends the
// connection: pending and later Reads fail with ETIMEDOUT.
func (c *tcpConn) SetKeepAlive(on bool) error {
	if c.closed.Load() {
		return c.opError("set", net.ErrClosed)
	}
	c.ep.SocketOptions().SetKeepAlive(on)
	return nil
}

// SetKeepAlivePeriod sets both the idle time before the first probe and
// the interval between probes, like net.TCPConn.SetKeepAlivePeriod. The
// number of unanswered probes that ends the connection stays gVisor's
// default (9, as Linux).
func (c *tcpConn) SetKeepAlivePeriod(d time.Duration) error {
	return c.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: d, Interval: d})
}

// SetKeepAliveConfig configures keepalive probes like
// net.TCPConn.SetKeepAliveConfig, except that an Idle, Interval or Count
// that is zero or negative leaves the current value unchanged.
func (c *tcpConn) SetKeepAliveConfig(cfg net.KeepAliveConfig) error {
	if c.closed.Load() {
		return c.opError("set", net.ErrClosed)
	}
	if cfg.Idle > 0 {
		opt := tcpip.KeepaliveIdleOption(cfg.Idle)
		if err := c.ep.SetSockOpt(&opt); err != nil {
			return c.opError("set", convertError(err))
		}
	}
	if cfg.Interval > 0 {
		opt := tcpip.KeepaliveIntervalOption(cfg.Interval)
		if err := c.ep.SetSockOpt(&opt); err != nil {
			return c.opError("set", convertError(err))
		}
	}
	if cfg.Count > 0 {
		if err := c.ep.SetSockOptInt(tcpip.KeepaliveCountOption, cfg.Count); err != nil {
			return c.opError("set", convertError(err))
		}
	}
	c.ep.SocketOptions().SetKeepAlive(cfg.Enable)
	return nil
}

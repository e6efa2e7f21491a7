package netstack

import (
	"context"
	"io"
	"net"
	"net/netip"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// forwardDialTimeout bounds how long a forwarded connection's upstream
// dial may take while the peer's SYN waits.
const forwardDialTimeout = 10 * time.Second

// maxForwardsInFlight bounds handshakes the forwarder completes at once.
const maxForwardsInFlight = 64

// ForwardTCP makes the stack take TCP connections that the peer opens to
// addresses and ports with no listener here (the stack must be
// Promiscuous to see other addresses) and relay each to the connection
// dial returns for its destination. When dial fails the peer's SYN is
// answered with a reset, as a closed port would be. Call it once, before
// traffic flows. Connections end when either side closes or the stack
// closes.
func (s *Stack) ForwardTCP(dial func(ctx context.Context, dst netip.AddrPort) (net.Conn, error)) {
	fwd := tcp.NewForwarder(s.ipstack, 0, maxForwardsInFlight, func(r *tcp.ForwarderRequest) {
		id := r.ID()
		local, _ := netip.AddrFromSlice(id.LocalAddress.AsSlice())
		dst := netip.AddrPortFrom(local.Unmap(), id.LocalPort)
		ctx, cancel := context.WithTimeout(s.ctx, forwardDialTimeout)
		defer cancel()
		up, err := dial(ctx, dst)
		if err != nil {
			s.log.Debug("netstack: forward refused", "dst", dst, "err", err)
			r.Complete(true)
			return
		}
		var wq waiter.Queue
		ep, terr := r.CreateEndpoint(&wq)
		if terr != nil {
			up.Close()
			r.Complete(true)
			return
		}
		r.Complete(false)
		go splice(s.ctx, newTCPConn(s, &wq, ep), up)
	})
	s.ipstack.SetTransportProtocolHandler(tcp.ProtocolNumber, fwd.HandlePacket)
}

// splice copies both ways between a and b, passing on half-closes, and
// closes both when both directions are done or ctx ends.
func splice(ctx context.Context, a, b net.Conn) {
	stop := context.AfterFunc(ctx, func() {
		a.Close()
		b.Close()
	})
	defer stop()
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		io.Copy(dst, src)
		if cw, ok := dst.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		} else {
			dst.Close()
		}
		done <- struct{}{}
	}
	go cp(a, b)
	go cp(b, a)
	<-done
	<-done
	a.Close()
	b.Close()
}

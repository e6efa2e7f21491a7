package netstack

import (
	"sync"
	"sync/atomic"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
)

// sendBuffers follows how much of each TCP connection's send buffer
// awaits acknowledgement. gVisor exposes that only to a TCP probe, which
// runs after every segment an endpoint processes; connections register
// to be followed when they are created.
type sendBuffers struct {
	enabled bool     // Config.TrackUnacked; set before any connection
	m       sync.Map // tcp.TCPEndpointID → *sendBuffer
}

// sendBuffer is one connection's view: what the send buffer held after
// the last segment processed, and how much the application had written
// by then.
type sendBuffer struct {
	written   atomic.Int64 // octets written by the application
	used      atomic.Int64 // send buffer octets at the last probe
	writtenAt atomic.Int64 // written at the last probe
}

// probe is the stack's TCP probe.
func (b *sendBuffers) probe(st *tcp.TCPEndpointState) {
	if v, ok := b.m.Load(st.ID); ok {
		sb := v.(*sendBuffer)
		sb.writtenAt.Store(sb.written.Load())
		sb.used.Store(int64(st.SndBufState.SndBufUsed))
	}
}

// unacked estimates the octets not yet acknowledged: what the buffer held
// at the last segment plus what was written since. It reaches 0 once the
// peer has acknowledged everything.
func (sb *sendBuffer) unacked() int {
	return int(sb.used.Load() + sb.written.Load() - sb.writtenAt.Load())
}

// track follows ep's send buffer until forget.
func (b *sendBuffers) track(ep tcpip.Endpoint) (*sendBuffer, tcp.TCPEndpointID) {
	var id tcp.TCPEndpointID
	if !b.enabled {
		return nil, id
	}
	sb := new(sendBuffer)
	if info, ok := ep.Info().(*stack.TransportEndpointInfo); ok {
		id = tcp.TCPEndpointID(info.ID)
		b.m.Store(id, sb)
	}
	return sb, id
}

// forget stops following the connection id.
func (b *sendBuffers) forget(id tcp.TCPEndpointID) { b.m.Delete(id) }

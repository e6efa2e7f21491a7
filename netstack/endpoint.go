package netstack

import (
	"log/slog"
	"sync"
	"sync/atomic"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

var _ stack.LinkEndpoint = (*endpoint)(nil)

// endpoint is the gVisor link endpoint for a PPP link, modelled on
// gVisor's link/channel: PPP carries bare IP datagrams, so there is no
// link header, no link address and no ARP. Unlike channel it has no
// outbound queue: WritePackets hands each packet to the Writer on the
// calling goroutine (see Writer for the back-pressure policy).
type endpoint struct {
	out Writer
	log *slog.Logger

	// bufs holds *[]byte scratch buffers, one per concurrent
	// WritePackets call, so flattening a packet does not allocate.
	bufs sync.Pool

	// ndp sees each valid inbound IPv6 packet before gVisor, for
	// router discovery (Stack.handleNDP); set before the NIC exists.
	ndp func(pkt []byte)

	mtu      atomic.Uint32
	closed   atomic.Bool
	counters counters

	mu         sync.RWMutex
	dispatcher stack.NetworkDispatcher // guarded by mu
}

// counters backs Stats; each field is updated atomically.
type counters struct {
	packetsIn, bytesIn, droppedIn    atomic.Uint64
	joinedIn                         atomic.Uint64
	packetsOut, bytesOut, droppedOut atomic.Uint64
}

func newEndpoint(out Writer, mtu uint32, log *slog.Logger) *endpoint {
	e := &endpoint{out: out, log: log}
	e.mtu.Store(mtu)
	e.bufs.New = func() any {
		b := make([]byte, 0, e.mtu.Load())
		return &b
	}
	return e
}

// deliver hands one inbound IPv4 or IPv6 packet to the stack. The bytes
// are copied, so the caller may reuse pkt once deliver returns.
func (e *endpoint) deliver(pkt []byte) {
	if !e.check(pkt) {
		return
	}
	e.dispatch(newInbound(pkt[0], buffer.MakeWithData(pkt)))
}

// newInbound makes a PacketBuffer of an inbound IP packet b whose
// header check accepted, the network protocol set from first, the
// packet's first octet.
func newInbound(first byte, b buffer.Buffer) *stack.PacketBuffer {
	pb := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: b})
	pb.NetworkProtocolNumber = ipv4.ProtocolNumber
	if first>>4 == 6 {
		pb.NetworkProtocolNumber = ipv6.ProtocolNumber
	}
	return pb
}

// check reports whether an inbound packet is a well-formed IPv4 or IPv6
// packet for an open, attached endpoint, shows IPv6 to ndp and counts
// it; a packet it refuses is counted as dropped.
func (e *endpoint) check(pkt []byte) bool {
	if e.closed.Load() {
		e.dropIn("stack closed", len(pkt))
		return false
	}
	if len(pkt) > 0 && pkt[0]>>4 == 6 {
		if !header.IPv6(pkt).IsValid(len(pkt)) {
			e.dropIn("not a valid IPv6 packet", len(pkt))
			return false
		}
		if e.ndp != nil {
			e.ndp(pkt)
		}
	} else if h := header.IPv4(pkt); !h.IsValid(len(pkt)) {
		e.dropIn("not a valid IPv4 packet", len(pkt))
		return false
	} else if !h.IsChecksumValid() {
		e.dropIn("bad IPv4 header checksum", len(pkt))
		return false
	}
	if e.attached() == nil {
		e.dropIn("endpoint not attached", len(pkt))
		return false
	}
	e.counters.packetsIn.Add(1)
	e.counters.bytesIn.Add(uint64(len(pkt)))
	return true
}

// dispatch hands pb, a packet check accepted (newInbound), to the
// stack's dispatcher (unless the endpoint has closed since) and drops
// the reference.
func (e *endpoint) dispatch(pb *stack.PacketBuffer) {
	if d := e.attached(); d != nil && !e.closed.Load() {
		d.DeliverNetworkPacket(pb.NetworkProtocolNumber, pb)
	}
	pb.DecRef()
}

// attached returns the stack's dispatcher, nil before Attach.
func (e *endpoint) attached() stack.NetworkDispatcher {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.dispatcher
}

func (e *endpoint) dropIn(reason string, n int) {
	e.counters.droppedIn.Add(1)
	if e.log != nil {
		e.log.Debug("netstack: dropped inbound packet", "reason", reason, "len", n)
	}
}

// WritePackets implements stack.LinkWriter. Each packet is flattened into
// one contiguous buffer and passed to the Writer before the next one. A
// packet the Writer rejects is counted and skipped rather than reported,
// as a lossy link would lose it silently; TCP recovers.
func (e *endpoint) WritePackets(pkts stack.PacketBufferList) (int, tcpip.Error) {
	bp := e.bufs.Get().(*[]byte)
	defer e.bufs.Put(bp)
	n := 0
	for _, pkt := range pkts.AsSlice() {
		n++
		if e.closed.Load() {
			e.counters.droppedOut.Add(1)
			continue
		}
		*bp = appendPacket((*bp)[:0], pkt)
		if err := e.out.WritePacket(*bp); err != nil {
			e.counters.droppedOut.Add(1)
			if e.log != nil {
				e.log.Debug("netstack: dropped outbound packet", "len", len(*bp), "err", err)
			}
			continue
		}
		e.counters.packetsOut.Add(1)
		e.counters.bytesOut.Add(uint64(len(*bp)))
	}
	return n, nil
}

// appendPacket appends the whole packet (headers and payload) to b without
// the per-packet slice allocation of PacketBuffer.AsSlices.
func appendPacket(b []byte, pkt *stack.PacketBuffer) []byte {
	views, off := pkt.AsViewList()
	for v := views.Front(); v != nil; v = v.Next() {
		s := v.AsSlice()
		if off >= len(s) {
			off -= len(s)
			continue
		}
		b = append(b, s[off:]...)
		off = 0
	}
	return b
}

// MTU implements stack.NetworkLinkEndpoint.
func (e *endpoint) MTU() uint32 { return e.mtu.Load() }

// SetMTU implements stack.NetworkLinkEndpoint.
func (e *endpoint) SetMTU(mtu uint32) { e.mtu.Store(mtu) }

// MaxHeaderLength implements stack.NetworkLinkEndpoint: PPP framing is
// added by the link below, not by the stack.
func (*endpoint) MaxHeaderLength() uint16 { return 0 }

// LinkAddress implements stack.NetworkLinkEndpoint: point-to-point links
// have no link address.
func (*endpoint) LinkAddress() tcpip.LinkAddress { return "" }

// SetLinkAddress implements stack.NetworkLinkEndpoint; it is ignored.
func (*endpoint) SetLinkAddress(tcpip.LinkAddress) {}

// Capabilities implements stack.NetworkLinkEndpoint. No checksum offload:
// the serial link carries exactly the bytes the stack produced.
func (*endpoint) Capabilities() stack.LinkEndpointCapabilities {
	return stack.CapabilityNone
}

// Attach implements stack.NetworkLinkEndpoint.
func (e *endpoint) Attach(d stack.NetworkDispatcher) {
	e.mu.Lock()
	e.dispatcher = d
	e.mu.Unlock()
}

// IsAttached implements stack.NetworkLinkEndpoint.
func (e *endpoint) IsAttached() bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.dispatcher != nil
}

// Wait implements stack.NetworkLinkEndpoint; the endpoint owns no goroutines.
func (*endpoint) Wait() {}

// ARPHardwareType implements stack.NetworkLinkEndpoint.
func (*endpoint) ARPHardwareType() header.ARPHardwareType {
	return header.ARPHardwareNone
}

// AddHeader implements stack.NetworkLinkEndpoint; there is no link header.
func (*endpoint) AddHeader(*stack.PacketBuffer) {}

// ParseHeader implements stack.NetworkLinkEndpoint; there is no link header.
func (*endpoint) ParseHeader(*stack.PacketBuffer) bool { return true }

// Close implements stack.NetworkLinkEndpoint. From now on nothing reaches
// the Writer and inbound packets are dropped.
func (e *endpoint) Close() { e.closed.Store(true) }

// SetOnCloseAction implements stack.NetworkLinkEndpoint; there is no
// device to destroy.
func (*endpoint) SetOnCloseAction(func()) {}

func (e *endpoint) stats() Stats {
	c := &e.counters
	return Stats{
		PacketsIn:      c.packetsIn.Load(),
		BytesIn:        c.bytesIn.Load(),
		DroppedIn:      c.droppedIn.Load(),
		SegmentsJoined: c.joinedIn.Load(),
		PacketsOut:     c.packetsOut.Load(),
		BytesOut:       c.bytesOut.Load(),
		DroppedOut:     c.droppedOut.Load(),
	}
}

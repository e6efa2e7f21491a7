package netstack

import (
	"sync"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
)

// Receiver passes runs of inbound packets to the stack, as DeliverInbound
// does, but joins the consecutive in-order segments of each TCP
// connection within a run into one (receive coalescing, coalesce.go)
// before the stack's TCP sees them. TCP then checks, queues, wakes its
// reader for and acknowledges one segment where the line brought
// several: on a byte-stream link a read from the line holds a few
// frames, and each costs the stack about as much as the one they become.
//
// A run ends with Flush, which hands on what is held; until then a
// segment may wait, so whoever delivers must flush at the end of what it
// has (a read from the line). Segments are joined only when they follow
// each other exactly, with the same flags (but PSH), acknowledgment,
// options and IP fields and none longer than the first; a shorter one
// or a push ends the join. Anything else, including every packet that
// is not TCP, goes through unchanged, after what is held of its
// connection.
//
// A Receiver is safe for concurrent use: its lock guards only the
// segments held, and the stack's receive path runs outside it.
type Receiver struct {
	ep *endpoint

	mu    sync.Mutex
	c     coalescer             // guarded by mu
	ready []*stack.PacketBuffer // guarded by mu: for the stack, in order
	spare []*stack.PacketBuffer // guarded by mu: an empty list to reuse
	out   func(hdr []byte, payload buffer.Buffer)
}

// NewReceiver returns a Receiver for packets to s.
func (s *Stack) NewReceiver() *Receiver {
	r := &Receiver{ep: s.ep}
	r.out = r.collect
	return r
}

// Deliver checks pkt as DeliverInbound does, copies it and either holds
// it to join with what follows or passes it (and any segment it ends)
// to the stack on the calling goroutine.
func (r *Receiver) Deliver(pkt []byte) {
	if !r.ep.check(pkt) {
		return
	}
	r.mu.Lock()
	joins := r.c.joins
	r.c.add(pkt, r.out)
	joins = r.c.joins - joins
	pkts := r.takeLocked()
	r.mu.Unlock()
	if joins > 0 {
		r.ep.counters.joinedIn.Add(joins)
	}
	r.dispatch(pkts)
}

// Flush passes everything held to the stack, on the calling goroutine.
func (r *Receiver) Flush() {
	r.mu.Lock()
	r.c.flushAll(r.out)
	pkts := r.takeLocked()
	r.mu.Unlock()
	r.dispatch(pkts)
}

// collect is the coalescer's output: it makes a packet of the headers
// (copied) and the payload (taken over) for dispatch. Called with mu
// held.
func (r *Receiver) collect(hdr []byte, payload buffer.Buffer) {
	b := buffer.MakeWithData(hdr)
	b.Merge(&payload)
	r.ready = append(r.ready, newInbound(hdr[0], b))
}

// takeLocked takes the packets ready for the stack, leaving an empty
// list (the one dispatch gave back last, so that a steady flow
// allocates none).
func (r *Receiver) takeLocked() []*stack.PacketBuffer {
	pkts := r.ready
	if len(pkts) == 0 {
		return nil
	}
	r.ready, r.spare = r.spare[:0], nil
	return pkts
}

// dispatch hands pkts to the stack in order, drops its references and
// gives the list back for reuse.
func (r *Receiver) dispatch(pkts []*stack.PacketBuffer) {
	if len(pkts) == 0 {
		return
	}
	for i, pb := range pkts {
		r.ep.dispatch(pb)
		pkts[i] = nil
	}
	r.mu.Lock()
	if r.spare == nil {
		r.spare = pkts[:0]
	}
	r.mu.Unlock()
}

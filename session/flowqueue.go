package session

import (
	"sync"
	"sync/atomic"
	"time"
)

// flowQueue is the output queue for IPv4 frames: one FIFO per flow
// (flowOf), served by deficit round robin with new flows first, each
// managed by CoDel on its sojourn time, after FQ-CoDel (RFC 8290) and
// CAKE. A flow's frames never change order: each flow has one queue,
// and flows that hash alike share it. A flow that has just become
// active (an ACK, a keystroke, a DNS query) is served before the flows
// that stay backlogged, so that it waits for at most about one frame of
// each, not behind seconds of bulk data.
//
// CoDel acts only while two or more flows each hold more than a
// quantum: it keeps bulk flows from filling the queue against each
// other, and leaves a flow alone to MaxQueueDelay (see codelDequeue).
//
// A pure ACK that arrives while an older pure ACK of its connection is
// the last frame of its queue, and nothing but pure ACKs wait there,
// replaces it (ackSupersedes), as CAKE's ACK filter does: the peer needs
// only the newer, and the line carries one instead of many while a
// download's ACKs wait behind an upload. ACKs queued behind their own
// connection's data are left alone: they leave together with the data,
// and gVisor's Reno, which grows its window per ACK, lost 8% of an echo
// at 115200 bit/s (BenchmarkSlowLinkEcho) when they were merged.
//
// It is safe for concurrent use: enqueue by any goroutine, dequeue by
// routineWrite.
type flowQueue struct {
	ready chan struct{} // signalled after an enqueue

	mu       sync.Mutex // guards the fields below
	flows    [flowSlots + 1]fqFlow
	newFlows []int // flows that became active, served first
	oldFlows []int // flows that stayed backlogged
	frames   int   // frames queued in all flows
	bulk     int   // flows with more than a quantum queued
	params   codelParams
	quantum  int // the round robin's quantum (quantumFor); 0 for fqQuantum

	codelDrops  atomic.Uint64 // frames CoDel dropped
	overflows   atomic.Uint64 // frames dropped because QueueLen were queued
	acksDropped atomic.Uint64 // pure ACKs replaced by newer ones
}

// fqFlow is one flow's queue.
type fqFlow struct {
	q       []*queued
	octets  int
	others  int // frames queued that are not pure ACKs
	deficit int
	listed  bool // on newFlows or oldFlows
	codel   codel
}

func (fq *flowQueue) init() {
	fq.ready = make(chan struct{}, 1)
}

// setRate sizes CoDel for a line carrying rate octets a second.
func (fq *flowQueue) setRate(rate int) {
	fq.mu.Lock()
	fq.params = codelFor(rate)
	fq.quantum = quantumFor(rate)
	fq.mu.Unlock()
}

// roundQuantum returns the octets a flow may send per round; fq.mu is
// held.
func (fq *flowQueue) roundQuantum() int {
	if fq.quantum > 0 {
		return fq.quantum
	}
	return fqQuantum
}

// backlogged reports whether frames wait.
func (fq *flowQueue) backlogged() bool {
	fq.mu.Lock()
	defer fq.mu.Unlock()
	return fq.frames > 0
}

// enqueue queues q on flow slot f (noFlow for otherFlow), with ack the
// packet's pureACK if it is one. It returns a frame dropped to make
// room, or one replaced by q, for the caller to recycle; nil if none.
func (fq *flowQueue) enqueue(q *queued, f int, ack pureACK, isACK bool) (freed *queued) {
	if f == noFlow {
		f = otherFlow
	}
	fq.mu.Lock()
	fl := &fq.flows[f]
	if n := len(fl.q); isACK && n > 0 && fl.others == 0 {
		if tail := fl.q[n-1]; tail.isACK && ackSupersedes(tail.ack, ack) {
			// The newer ACK takes the older one's place, and its
			// age: it replaces what waited there.
			fq.addOctets(fl, len(q.frame)-len(tail.frame))
			tail.frame, q.frame = q.frame, tail.frame
			tail.ack = ack
			fq.mu.Unlock()
			fq.acksDropped.Add(1)
			return q
		}
	}
	if fq.frames >= QueueLen {
		freed = fq.dropFattest()
	}
	q.ack, q.isACK = ack, isACK
	if !isACK {
		fl.others++
	}
	fl.q = append(fl.q, q)
	fq.addOctets(fl, len(q.frame))
	fq.frames++
	if !fl.listed {
		fl.listed = true
		fl.deficit = fq.roundQuantum()
		fq.newFlows = append(fq.newFlows, f)
	}
	fq.mu.Unlock()
	select {
	case fq.ready <- struct{}{}:
	default:
	}
	return freed
}

// dropFattest drops the head of the flow with the most octets queued
// (RFC 8290 §4.1.1); fq.mu is held.
func (fq *flowQueue) dropFattest() *queued {
	fat := 0
	for i := range fq.flows {
		if fq.flows[i].octets > fq.flows[fat].octets {
			fat = i
		}
	}
	fq.overflows.Add(1)
	return fq.pop(&fq.flows[fat])
}

// pop removes the head of fl's queue; fq.mu is held.
func (fq *flowQueue) pop(fl *fqFlow) *queued {
	if len(fl.q) == 0 {
		return nil
	}
	q := fl.q[0]
	fl.q[0] = nil
	fl.q = fl.q[1:]
	if len(fl.q) == 0 {
		fl.q = fl.q[:0:0] // let the backing array go
	}
	fq.addOctets(fl, -len(q.frame))
	fq.frames--
	if !q.isACK {
		fl.others--
	}
	return q
}

// addOctets counts n more octets queued in fl, and whether it now holds
// more than a quantum; fq.mu is held.
func (fq *flowQueue) addOctets(fl *fqFlow, n int) {
	was := fl.octets > fqQuantum
	fl.octets += n
	if is := fl.octets > fqQuantum; is != was {
		if is {
			fq.bulk++
		} else {
			fq.bulk--
		}
	}
}

// dequeue returns the next frame for the line, or nil if none waits.
// Frames CoDel drops on the way are passed to drop.
func (fq *flowQueue) dequeue(now time.Time, drop func(*queued)) *queued {
	fq.mu.Lock()
	defer fq.mu.Unlock()
	for {
		list := &fq.newFlows
		if len(*list) == 0 {
			list = &fq.oldFlows
		}
		if len(*list) == 0 {
			return nil
		}
		f := (*list)[0]
		fl := &fq.flows[f]
		if fl.deficit <= 0 {
			fl.deficit += fq.roundQuantum()
			*list = (*list)[1:]
			fq.oldFlows = append(fq.oldFlows, f)
			continue
		}
		q := fq.codelDequeue(fl, now, drop)
		if q == nil {
			*list = (*list)[1:]
			if list == &fq.newFlows && len(fq.oldFlows) > 0 {
				// RFC 8290 §4.2: an emptied new flow goes to the end
				// of the old ones, so that it cannot starve them by
				// coming back as new at once.
				fq.oldFlows = append(fq.oldFlows, f)
			} else {
				fl.listed = false
			}
			continue
		}
		fl.deficit -= len(q.frame)
		return q
	}
}

// codelDequeue takes the head of fl's queue, dropping frames as CoDel
// decides (RFC 8289 §5.5); fq.mu is held.
func (fq *flowQueue) codelDequeue(fl *fqFlow, now time.Time, drop func(*queued)) *queued {
	c, p := &fl.codel, fq.params
	if fq.bulk < 2 {
		// A flow alone in holding more than a quantum delays no
		// other: the others are served between its frames. Its drops
		// would only cost it line time: the buffers below the queue
		// (0.7 s at 115200 bit/s in the simulator) hold more than
		// CoDel sees, and TCP halving its window leaves the line idle
		// (a single download at 115200 bit/s fell from 0.949 of the
		// line to 0.936 with a target of 1 s for a flow alone, to
		// 0.929 with CAKE's). MaxQueueDelay bounds it.
		p = codelParams{}
	}
	q := fq.pop(fl)
	if q == nil {
		c.firstAbove = time.Time{}
		c.dropping = false
		return nil
	}
	ok := c.okToDrop(p, now.Sub(q.at), fl.octets, now)
	switch {
	case c.dropping && !ok:
		c.dropping = false
	case c.dropping:
		for c.dropping && !now.Before(c.dropNext) {
			fq.codelDrops.Add(1)
			drop(q)
			c.count++
			if q = fq.pop(fl); q == nil {
				c.dropping = false
				return nil
			}
			if c.okToDrop(p, now.Sub(q.at), fl.octets, now) {
				c.dropNext = controlLaw(p, c.dropNext, c.count)
			} else {
				c.dropping = false
			}
		}
	case ok:
		fq.codelDrops.Add(1)
		drop(q)
		q = fq.pop(fl)
		c.dropping = true
		delta := c.count - c.lastCount
		c.count = 1
		if delta > 1 && now.Sub(c.dropNext) < 16*p.interval {
			c.count = delta
		}
		c.dropNext = controlLaw(p, now, c.count)
		c.lastCount = c.count
	}
	return q
}

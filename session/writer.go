// Outbound flow
//
//  1. A gVisor goroutine (a socket's Write, a TCP timer, an inline reply
//     inside DeliverInbound) calls netstack's endpoint.WritePackets, which
//     hands each packet to Config.Out.WritePacket: Session.WriteIPv4, by
//     way of the root package's writer (link.go).
//  2. WriteIPv4 refuses packets before IPCP is Opened. writer.enqueue
//     frames the packet on the caller's goroutine (writer.frame,
//     ppp.Encoder.AppendFrame with the negotiated ACCM, ACFC, PFC and
//     FCS), stamps it and puts it on the express channel (expressPacket
//     in express.go: segments without data, short datagrams, of a flow
//     with no bulk frame waiting: flowTable) or on the bulk queue. A
//     full channel drops it and counts it; the caller never waits for
//     the line.
//  3. writer.routineWrite takes express frames first, gathers what waits
//     into one batch of at most batchLimit octets, drops frames older
//     than MaxQueueDelay (take), and writes the batch with one Write
//     (writeLine). learn sizes batches to about batchTime of line time.
//  4. Control packets (LCP, IPCP, PAP, CHAP) come from the loop through
//     sendFunc and writer.write, framed and written at once between
//     batches. A failed write goes to Session.lineError and the loop.
//
// Locks: w.mu guards the encoders while a packet is framed; w.line
// serialises writes to the line. The inbound flow is in session.go.

package session

import (
	"errors"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// QueueLen is how many IPv4 frames wait for the line at most.
const QueueLen = 1024

// MaxQueueDelay is how long a frame may wait for the line: older frames
// are dropped when they reach the head of the queue. Three seconds is
// 34 KB at 115200 bit/s: enough for gVisor's TCP, whose window grows past
// a slow line's capacity (see netstack's congestion control), to lose
// little of it; two seconds cost a bulk download 2% of the line rate.
const MaxQueueDelay = 3 * time.Second

// Batches: routineWrite hands the line at most batchLimit octets in one
// Write, a limit it learns from how long the line takes them. A frame
// gathered into a batch is past its age check, so a batch that takes the
// line seconds (64 KiB is 5.7 s at 115200 bit/s) would let frames wait far
// longer than MaxQueueDelay, and everything queued behind it would age past
// the limit at once: a whole window lost and TCP left to time out.
const (
	// maxBatch bounds a batch on a fast line.
	maxBatch = 64 << 10
	// firstBatch is the limit before the line's speed is known.
	firstBatch = 4 << 10
	// batchTime is how long a batch may take the line: small next to
	// MaxQueueDelay.
	batchTime = 100 * time.Millisecond
)

// ErrQueueFull reports an IPv4 packet dropped because the line's queue
// was full.
var ErrQueueFull = errors.New("session: output queue full")

// writer frames packets onto the line. LCP packets always go with the
// default ACCM and no compression (RFC 1661 §6.5, §6.6; RFC 1662 §7.1);
// everything else with what LCP negotiated. The FCS is the negotiated one
// (RFC 1570 §2.1) for every packet but LCP Configure, Terminate and
// Code-Reject, which go with the 16-bit FCS as if nothing were negotiated
// (RFC 1661 §5); a peer that asked for the 32-bit FCS need not accept
// the 16-bit one on anything else, LCP Echo-Requests included.
//
// Queue policy: IPv4 packets are framed by the goroutine that sends them
// and queued; TCP's own goroutines never block on a slow line. The queue
// is bounded in time rather than length: a frame that waited more than
// MaxQueueDelay for the line is dropped (and counted) instead of sent,
// as a router's queue manager would, so TCP sees a loss and slows down
// before the queue adds seconds of delay to everything on a slow line,
// while a fast line absorbs bursts without loss. QueueLen frames is a
// hard limit beyond that. routineWrite drains the queue, several frames
// to a Write but no more than the line carries in about batchTime, so
// that the bound holds until the line takes a frame. Control packets are
// written at once.
//
// Small packets that carry no stream data (TCP acknowledgements without
// payload, SYN, FIN or RST; short UDP and ICMP) have an express queue
// that routineWrite serves first: behind seconds of bulk data in one
// direction, the ACKs of a transfer in the other direction would wait as
// long, and that transfer would stall on them (see expressPacket).
type writer struct {
	s *Session

	mu    sync.Mutex  // guards the encoders and trace
	ctl   ppp.Encoder // LCP codes 1 to 7
	lcp   ppp.Encoder // other LCP packets
	data  ppp.Encoder // everything else
	trace []byte

	line sync.Mutex // serialises writes to the line; guards ctlBuf, batch, dead
	ctlBuf,
	batch []byte
	dead bool

	batchLimit int // octets gathered into one Write; owned by routineWrite

	queue   chan *queued // framed IPv4 packets for routineWrite
	express chan *queued // the same, for expressPacket ones: served first
	flows   flowTable    // bulk frames waiting, per flow
	pool    sync.Pool    // of *queued, the queue's buffers
}

// queued is a framed packet waiting for the line.
type queued struct {
	frame []byte
	at    time.Time // when it was queued
	flow  int       // its slot in writer.flows if it is bulk, else noFlow
}

func (w *writer) init(s *Session) {
	w.s = s
	w.ctl = ppp.Encoder{ACCM: 0xffffffff}
	w.lcp, w.data = w.ctl, w.ctl
	w.queue = make(chan *queued, QueueLen)
	w.express = make(chan *queued, QueueLen)
	w.batchLimit = firstBatch
	w.pool = sync.Pool{New: func() any { return new(queued) }}
}

// negotiated applies LCP's outcome.
func (w *writer) negotiated(ng lcp.Negotiated) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.data = ppp.Encoder{ACCM: ng.SendACCM, PFC: ng.SendPFC, ACFC: ng.SendACFC, FCS32: ng.SendFCS32}
	w.lcp = w.ctl
	w.lcp.FCS32 = ng.SendFCS32
}

// reset returns to the defaults when LCP goes down.
func (w *writer) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lcp, w.data = w.ctl, w.ctl
}

// frame appends the framed packet to dst with the encoder for proto.
func (w *writer) frame(dst []byte, proto ppp.Protocol, info []byte) []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t := w.s.cfg.Trace; t != nil {
		w.trace = append(append(w.trace[:0], 0xff, 0x03, byte(proto>>8), byte(proto)), info...)
		t(true, w.trace)
	}
	enc := &w.data
	if proto == ppp.ProtocolLCP {
		enc = &w.lcp
		if len(info) > 0 && fsm.Code(info[0]) <= fsm.CodeReject {
			enc = &w.ctl
		}
	}
	return enc.AppendFrame(dst, proto, info)
}

// enqueue frames an IPv4 packet onto the output queue, or drops it if
// the queue is full.
func (w *writer) enqueue(pkt []byte) error {
	q := w.pool.Get().(*queued)
	q.frame = w.frame(q.frame[:0], ppp.ProtocolIPv4, pkt)
	q.at = w.s.cfg.Clock.Now()
	queue, flow := w.express, flowOf(pkt)
	q.flow = noFlow
	if !expressPacket(pkt) || !w.flows.mayOvertake(flow) {
		queue, q.flow = w.queue, flow
		// Counted before it is queued, so that a packet of the same
		// flow sent after this one sees it waiting.
		w.flows.queuedBulk(flow)
	}
	select {
	case queue <- q:
		return nil
	default:
		w.flows.leftBulk(q.flow)
		w.pool.Put(q)
		w.s.stats.queueDrops.Add(1)
		return ErrQueueFull
	}
}

// take appends a dequeued frame to the batch unless it waited too long.
func (w *writer) take(q *queued, now time.Time) int {
	defer w.pool.Put(q)
	// Once in the batch (or dropped) the frame no longer holds its
	// flow's express packets back: anything queued after it goes
	// into a later place in this batch or into a later one.
	w.flows.leftBulk(q.flow)
	if now.Sub(q.at) > MaxQueueDelay {
		w.s.stats.queueDrops.Add(1)
		return 0
	}
	w.batch = append(w.batch, q.frame...)
	return 1
}

// routineWrite writes queued frames until the link ends, gathering the
// frames already waiting into one Write.
func (w *writer) routineWrite() {
	defer w.s.wg.Done()
	for {
		var q *queued
		select {
		case q = <-w.express:
		default:
			select {
			case q = <-w.express:
			case q = <-w.queue:
			case <-w.s.done:
				return
			}
		}
		now := w.s.cfg.Clock.Now()
		w.line.Lock()
		w.batch = w.batch[:0]
		frames := w.take(q, now)
	gather:
		for len(w.batch) < w.batchLimit {
			select {
			case q = <-w.express:
				frames += w.take(q, now)
				continue
			default:
			}
			select {
			case q = <-w.queue:
				frames += w.take(q, now)
			default:
				break gather
			}
		}
		if frames > 0 {
			start := w.s.cfg.Clock.Now()
			if w.writeLine(w.batch, frames, frames) == nil {
				w.learn(len(w.batch), w.s.cfg.Clock.Now().Sub(start))
			}
		}
		w.line.Unlock()
	}
}

// learn adjusts the batch limit after the line took n octets in d: down
// to what the line carries in batchTime when it was slower than that,
// up (doubling, to maxBatch) when it took a full batch quickly.
func (w *writer) learn(n int, d time.Duration) {
	switch {
	case d > batchTime:
		w.batchLimit = max(int(int64(n)*int64(batchTime)/int64(d)), 1)
	case n >= w.batchLimit:
		w.batchLimit = min(2*w.batchLimit, maxBatch)
	}
}

// write frames and sends a control packet at once.
func (w *writer) write(proto ppp.Protocol, info []byte) error {
	w.line.Lock()
	defer w.line.Unlock()
	w.ctlBuf = w.frame(w.ctlBuf[:0], proto, info)
	return w.writeLine(w.ctlBuf, 1, 0)
}

// writeLine writes framed octets; w.line is held. A failure is reported
// to the loop.
func (w *writer) writeLine(b []byte, frames, ipFrames int) error {
	if w.dead {
		return ErrClosed
	}
	if _, err := w.s.rw.Write(b); err != nil {
		w.s.stats.writeErrors.Add(1)
		w.s.lineError(err)
		return err
	}
	w.s.stats.framesOut.Add(uint64(frames))
	w.s.stats.octetsOut.Add(uint64(len(b)))
	w.s.stats.ipOut.Add(uint64(ipFrames))
	return nil
}

// close closes the line after any write in progress.
func (w *writer) close() {
	// Closing first unblocks a write stuck on a dead line.
	w.s.rw.Close()
	w.line.Lock()
	w.dead = true
	w.line.Unlock()
}

// sendFunc returns a Send function for a control protocol.
func (s *Session) sendFunc(proto ppp.Protocol) func([]byte) {
	return func(pkt []byte) {
		s.logPacket("sent", proto, pkt)
		s.w.write(proto, pkt)
	}
}

// Outbound flow
//
//  1. A gVisor goroutine (a socket's Write, a TCP timer, an inline reply
//     inside DeliverInbound) calls netstack's endpoint.WritePackets, which
//     hands each packet to Config.Out.WritePacket: Session.WriteIPv4, by
//     way of the root package's writer (link.go).
//  2. WriteIPv4 refuses packets before IPCP is Opened. writer.enqueue
//     frames the packet on the caller's goroutine (writer.frame,
//     ppp.Encoder.AppendFrame with the negotiated ACCM, ACFC, PFC and
//     FCS), stamps it and puts it on its flow's queue (flowQueue in
//     flowqueue.go: one FIFO per flow, so no flow is reordered; a pure
//     ACK may replace an older one of its connection at the tail). A
//     full queue drops the head of the fattest flow and counts it; the
//     caller never waits for the line.
//  3. writer.routineWrite takes frames flow by flow (deficit round robin,
//     new flows first; CoDel drops a flow's frames that waited too long,
//     codel.go), gathers them into one batch of at most batchLimit
//     octets, drops frames older than MaxQueueDelay (take), and writes
//     the batch with one Write (writeLine). learn sizes batches to about
//     batchTime of line time, and waitLine hands the line a batch only
//     once its driver holds less than lowWater of line time; rateMeter
//     (rate.go) measures the line's rate while the queue stays
//     backlogged, which sizes CoDel's target and interval.
//  4. Control packets (LCP, IPCP, PAP, CHAP) come from the loop through
//     sendFunc and writer.write, framed and written at once between
//     batches. A failed write goes to Session.lineError and the loop.
//
// Locks: w.mu guards the encoders while a packet is framed; w.line
// serialises writes to the line; the flow queue has its own. The inbound
// flow is in session.go.

package session

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// QueueLen is how many IPv4 frames wait for the line at most, in all
// flows.
const QueueLen = 1024

// MaxQueueDelay is how long a frame may wait for the line: older frames
// are dropped when they reach the head of the queue. It is a backstop
// behind CoDel, which keeps a flow's queue much shorter once it knows the
// line's rate. Three seconds is
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
	// lowWater is how much line time the line's driver may still hold
	// when the writer hands it the next batch (waitLine): enough to
	// cover the writer's wake-up, so the line does not idle, and little
	// next to a frame's time on a slow line, which every keystroke would
	// otherwise wait behind as well.
	lowWater = 20 * time.Millisecond
)

// lineQueue is implemented by lines that tell how many octets they hold
// unsent: a serial port's driver (TIOCOUTQ, device.OutputQueuer).
type lineQueue interface {
	OutputQueued() (int, error)
}

// writer frames packets onto the line. LCP packets always go with the
// default ACCM and no compression (RFC 1661 §6.5, §6.6; RFC 1662 §7.1);
// everything else with what LCP negotiated. The FCS is the negotiated one
// (RFC 1570 §2.1) for every packet but LCP Configure, Terminate and
// Code-Reject, which go with the 16-bit FCS as if nothing were negotiated
// (RFC 1661 §5); a peer that asked for the 32-bit FCS need not accept
// the 16-bit one on anything else, LCP Echo-Requests included.
//
// Queue policy: IPv4 packets are framed by the goroutine that sends them
// and queued; TCP's own goroutines never block on a slow line. Each flow
// has its own queue (flowQueue), served in turn, so a connection's ACKs
// or an interactive session's packets wait behind about one frame of
// each busy flow rather than behind all of them. Each flow's queue is
// kept short by CoDel on the time its head waited, with a target of at
// least one and a half frames of line time, so that TCP sees a loss and
// slows down before the queue adds seconds of delay on a slow line,
// while a fast line absorbs bursts without loss. MaxQueueDelay and
// QueueLen frames are hard limits beyond that. routineWrite drains the
// queue, several frames to a Write but no more than the line carries in
// about batchTime, so that the bounds hold until the line takes a frame.
// Control packets are written at once.
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

	batchLimit int          // octets gathered into one Write; owned by routineWrite
	rate       rateMeter    // the line's rate; owned by routineWrite
	peakDelay  atomic.Int64 // the longest a frame sent waited, in ns; stored by routineWrite
	lineQ      lineQueue    // the line's own queue, if it tells it and has not failed to; owned by routineWrite

	fq   flowQueue // framed IPv4 packets for routineWrite
	pool sync.Pool // of *queued, the queue's buffers
}

// queued is a framed packet waiting for the line.
type queued struct {
	frame []byte
	at    time.Time // when it was queued
	ack   pureACK   // the packet, if isACK
	isACK bool
}

func (w *writer) init(s *Session) {
	w.s = s
	w.ctl = ppp.Encoder{ACCM: 0xffffffff}
	w.lcp, w.data = w.ctl, w.ctl
	w.fq.init()
	w.lineQ, _ = s.rw.(lineQueue)
	w.batchLimit = firstBatch
	w.pool = sync.Pool{New: func() any { return new(queued) }}
	if r := s.cfg.LineRate; r > 0 {
		w.rate.rate = r
		w.fq.setRate(r)
	}
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

// enqueue frames an IPv4 or IPv6 packet onto its flow's queue. When the queue is
// full, the head of the longest flow is dropped to make room.
func (w *writer) enqueue(proto ppp.Protocol, pkt []byte) error {
	q := w.pool.Get().(*queued)
	q.frame = w.frame(q.frame[:0], proto, pkt)
	q.at = w.s.cfg.Clock.Now()
	ack, isACK := parsePureACK(pkt)
	if freed := w.fq.enqueue(q, flowOf(pkt), ack, isACK); freed != nil {
		w.pool.Put(freed)
	}
	return nil
}

// take appends a dequeued frame to the batch unless it waited too long.
func (w *writer) take(q *queued, now time.Time) int {
	defer w.pool.Put(q)
	waited := now.Sub(q.at)
	if waited > MaxQueueDelay {
		w.s.stats.queueDrops.Add(1)
		return 0
	}
	if int64(waited) > w.peakDelay.Load() {
		w.peakDelay.Store(int64(waited))
	}
	w.batch = append(w.batch, q.frame...)
	return 1
}

// recycle returns a frame CoDel dropped to the pool.
func (w *writer) recycle(q *queued) { w.pool.Put(q) }

// routineWrite writes queued frames until the link ends, gathering the
// frames already waiting into one Write.
func (w *writer) routineWrite() {
	defer w.s.wg.Done()
	for {
		if !w.waitLine() {
			return
		}
		q := w.fq.dequeue(w.s.cfg.Clock.Now(), w.recycle)
		if q == nil {
			select {
			case <-w.fq.ready:
				continue
			case <-w.s.done:
				return
			}
		}
		now := w.s.cfg.Clock.Now()
		w.line.Lock()
		w.batch = w.batch[:0]
		frames := w.take(q, now)
		limit := w.batchLimit
		if w.lineQ != nil && w.rate.rate > 0 {
			limit = min(limit, w.lineLimit())
		}
		for len(w.batch)+fqQuantum <= limit {
			q = w.fq.dequeue(now, w.recycle)
			if q == nil {
				break
			}
			frames += w.take(q, now)
		}
		if frames > 0 {
			start := w.s.cfg.Clock.Now()
			if w.writeLine(w.batch, frames, frames) == nil {
				end := w.s.cfg.Clock.Now()
				w.learn(len(w.batch), end.Sub(start))
				if rate, changed := w.rate.wrote(len(w.batch), end, w.fq.backlogged()); changed {
					w.fq.setRate(rate)
				}
			}
		}
		w.line.Unlock()
	}
}

// waitLine waits while the line's driver holds more than the line
// carries in lowWater, once the line's rate is known, after Linux's byte
// queue limits: what waits there waits in one FIFO, unseen by the flows'
// round robin and CoDel, so frames are better kept in the flow queue
// until the line needs them (at 115200 bit/s a 4 KiB driver queue is
// 0.36 s in front of every keystroke; the batch written next, at most
// lineLimit, is 0.13 s). It returns false if the session ended while
// waiting.
func (w *writer) waitLine() bool {
	rate := w.rate.rate
	if w.lineQ == nil || rate == 0 {
		return true
	}
	limit := octetsIn(rate, lowWater)
	for {
		n, err := w.lineQ.OutputQueued()
		if err != nil {
			// Not a tty after all, or one that cannot tell: write as
			// without.
			w.lineQ = nil
			return true
		}
		if n <= limit {
			return true
		}
		wake := make(chan struct{})
		t := w.s.cfg.Clock.AfterFunc(time.Duration(n-limit)*time.Second/time.Duration(rate), func() { close(wake) })
		select {
		case <-wake:
		case <-w.s.done:
			t.Stop()
			return false
		}
	}
}

// lineLimit is the most a batch gathers while waitLine applies: what
// the line carries in batchTime, at least a full frame.
func (w *writer) lineLimit() int {
	return max(octetsIn(w.rate.rate, batchTime), fqQuantum)
}

// octetsIn is what a line carrying rate octets a second carries in d.
func octetsIn(rate int, d time.Duration) int {
	return int(int64(rate) * int64(d) / int64(time.Second))
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

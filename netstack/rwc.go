package netstack

import (
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// Receive-window control keeps the queue toward this stack short on a
// slow line whose other end (an operator's network, a modem) queues
// seconds of data that no queue discipline of ours can reach. Each TCP
// connection of the stack advertises a receive window of about what the
// line carries in one of its round trips, shared among the connections
// that are receiving in bulk, after DRWA (Jiang et al., "Tackling
// Bufferbloat in 3G/4G Networks", IMC 2012): the sender then has no
// more in flight than keeps the line busy, so little waits in the
// queue, and a keystroke's reply waits behind that little instead of
// behind seconds of a download. Connections receiving in bulk get equal
// shares, so that two downloads share the line evenly.
//
// The round trip is the link's: the smallest any connection has seen,
// for the line's delay dominates every path through it, and a
// connection opened while the queue was full saw it longer than it is
// (two downloads opened one after the other, sized by their own round
// trips, split the line one to three). That round trip is shorter than
// a full segment's, and this host's own delays (a busy CPU, a reader
// that lags) add to it, so the windows carry a gain that follows the line:
// while connections receive in bulk, it grows when the line carried
// less than it could and shrinks back toward one when it was full.
//
// The window is set through the endpoint's receive buffer size
// (SO_RCVBUF), which also turns gVisor's receive buffer moderation off
// for the endpoint; gVisor never shrinks a window it has advertised, so
// a smaller one takes effect as the data in flight arrives.
type windowControl struct {
	rate int           // octets a second the line carries toward the stack
	mss  int           // the largest segment a peer sends
	in   func() uint64 // IPv4 octets received from the link so far

	mu    sync.Mutex // guards conns
	conns map[*tcpConn]*rwcState

	// Owned by routineWindows.
	gain    float64       // the windows' gain over a round trip's worth
	minRTT  time.Duration // the smallest smoothed round trip of any connection; 0 if none yet
	last    time.Time     // the last tick
	since   time.Time     // the start of the utilisation period
	inStart uint64        // in() at since
}

// rwcState is what windowControl knows of one connection; owned by
// routineWindows once registered.
type rwcState struct {
	read int64   // octets read at the last tick
	rate float64 // octets a second read, averaged over about a second
	buf  int     // the receive buffer size last set; 0 if none
}

// Tuning of the control.
const (
	// rwcTick is how often windows are recomputed.
	rwcTick = 100 * time.Millisecond
	// rwcAverage is the weight of one tick's reading rate in a
	// connection's average: about a second's memory.
	rwcAverage = 1.0 / 8
	// rwcBulkShare marks a connection as receiving in bulk when it
	// reads at least this fraction of the line's rate.
	rwcBulkShare = 1.0 / 16
	// rwcLineGain multiplies a connection's share of the round trip's
	// worth, for the line's own share of the round trip; rwcGain, the window's gain to
	// start with and to come back to; rwcMaxGain bounds it.
	rwcLineGain         = 1.25
	rwcGain, rwcMaxGain = 1, 4
	// rwcHeadroom is the segments added to each window, for the
	// peer's bursts and this side's delayed ACKs.
	rwcHeadroom = 3
	// rwcPeriodFrames sets the period over which the line's
	// utilisation is measured: at least a second, and at least this
	// many full frames of line time, so that one frame more or less
	// makes little difference.
	rwcPeriodFrames = 24
	// rwcIdle and rwcFull bound the utilisation, IPv4 octets received
	// over what the line carries: below rwcIdle the line waited for
	// data (PPP's framing costs about 1%), and the gain grows by as
	// much as the line fell short of rwcFull, at most rwcMaxGrow times;
	// above rwcFull it was full, and the gain shrinks by rwcShrink
	// toward rwcGain, draining what queued.
	rwcIdle, rwcFull      = 0.95, 0.975
	rwcMaxGrow, rwcShrink = 2, 0.9
	// rwcDefaultRTT stands for a connection's round trip before it has
	// one: a cellular line's order of magnitude.
	rwcDefaultRTT = 200 * time.Millisecond
	// rwcFrameOverhead is what a full segment's frame carries beyond
	// the segment's data: TCP/IP headers with timestamps and PPP's
	// framing, escapes aside.
	rwcFrameOverhead = 48
)

func newWindowControl(rate, mss int, in func() uint64) *windowControl {
	return &windowControl{rate: rate, mss: mss, in: in, conns: map[*tcpConn]*rwcState{}, gain: rwcGain}
}

// add has c's window controlled until remove; c starts with a window
// as if it were alone, at the starting gain.
func (w *windowControl) add(c *tcpConn) {
	st := &rwcState{}
	w.set(c, st, w.firstWindow())
	w.mu.Lock()
	w.conns[c] = st
	w.mu.Unlock()
}

// presize gives ep, before it connects or listens, the receive buffer
// add gives a connection, so that the window its handshake advertises
// is already a controlled one (a listener's connections inherit it).
// gVisor's first window is otherwise twenty segments' worth (29 KB:
// 2.5 s of a 115200 bit/s line, 30 s at 9600 bit/s), which the sender
// may fill before the first tick sets a window, and gVisor never
// shrinks a window it has advertised.
func (w *windowControl) presize(ep tcpip.Endpoint) {
	ep.SocketOptions().SetReceiveBufferSize(int64(bufferFor(w.firstWindow())), true)
}

// firstWindow is a connection's window before its first tick: as if it
// were alone, at the starting gain, its round trip unknown.
func (w *windowControl) firstWindow() int {
	return windowFor(w.rate, w.mss, 0, rwcGain, 1)
}

// bufferFor is the receive buffer for a window of wnd octets: gVisor
// advertises half the free buffer.
func bufferFor(wnd int) int { return min(2*wnd, tcpMaxBuffer) }

// remove stops controlling c.
func (w *windowControl) remove(c *tcpConn) {
	w.mu.Lock()
	delete(w.conns, c)
	w.mu.Unlock()
}

// routineWindows recomputes the windows every rwcTick until done.
func (w *windowControl) routineWindows(done <-chan struct{}) {
	t := time.NewTicker(rwcTick)
	defer t.Stop()
	w.last = time.Now()
	w.since, w.inStart = w.last, w.in()
	for {
		select {
		case now := <-t.C:
			w.tick(now)
		case <-done:
			return
		}
	}
}

// tick measures each connection since the last tick and sets its
// window.
func (w *windowControl) tick(now time.Time) {
	d := now.Sub(w.last)
	w.last = now
	if d <= 0 {
		return
	}
	w.mu.Lock()
	conns := make([]*tcpConn, 0, len(w.conns))
	states := make([]*rwcState, 0, len(w.conns))
	for c, st := range w.conns {
		conns = append(conns, c)
		states = append(states, st)
	}
	w.mu.Unlock()
	bulk := 0
	for i, c := range conns {
		st := states[i]
		read := c.read.Load()
		st.rate += (float64(read-st.read)/d.Seconds() - st.rate) * rwcAverage
		st.read = read
		if w.isBulk(st) {
			bulk++
		}
		var info tcpip.TCPInfoOption
		if err := c.ep.GetSockOpt(&info); err == nil && info.RTT > 0 && (w.minRTT == 0 || info.RTT < w.minRTT) {
			w.minRTT = info.RTT
		}
	}
	w.adapt(now, bulk > 0)
	for i, c := range conns {
		st := states[i]
		share := 1
		if w.isBulk(st) {
			share = bulk
		}
		w.set(c, st, windowFor(w.rate, w.mss, w.minRTT, w.gain, share))
	}
}

func (w *windowControl) isBulk(st *rwcState) bool {
	return st.rate >= float64(w.rate)*rwcBulkShare
}

// adapt follows the line's utilisation with the gain, at the end of
// each period in which connections received in bulk throughout. A tick
// without bulk receivers starts the period again, so that the first
// ends a period after a download starts, not up to two periods after
// (a download behind an upload, whose window needs the gain, reached
// 0.75 of the line instead of 0.80 in 15 s).
func (w *windowControl) adapt(now time.Time, bulk bool) {
	if !bulk {
		w.since, w.inStart = now, w.in()
		return
	}
	period := max(time.Second, time.Duration(int64(rwcPeriodFrames*(w.mss+rwcFrameOverhead))*int64(time.Second)/int64(w.rate)))
	d := now.Sub(w.since)
	if d < period {
		return
	}
	in := w.in()
	u := float64(in-w.inStart) / (float64(w.rate) * d.Seconds())
	switch {
	case u < rwcIdle:
		// Grow in proportion to the shortfall: a window half the
		// size it needs doubles at once.
		grow := float64(rwcMaxGrow)
		if u > 0 {
			grow = min(rwcFull/u, rwcMaxGrow)
		}
		w.gain = min(w.gain*grow, rwcMaxGain)
	case u > rwcFull:
		w.gain = max(w.gain*rwcShrink, rwcGain)
	}
	w.since, w.inStart = now, in
}

// windowFor is the receive window for a connection with round trip rtt
// (0 if unknown) that gets one of shares of a line carrying rate octets
// a second, with segments of mss octets, at gain. The gain multiplies
// the whole window, headroom and all: on a line with little delay of
// its own the headroom is most of it, and a round trip made longer by
// the uplink's queue (a download's ACKs behind an upload) needs more.
//
// The round trip's worth is at least one full frame: the link's
// smallest round trip is a handshake's, of segments without data, and a
// full segment's ACK cannot leave before the whole frame has crossed
// the line. On a line with little latency of its own the handshake's
// round trip is a few milliseconds, and a window sized by it alone left
// a download behind an upload, whose ACKs wait behind the upload's
// frames, at two thirds of the line until the gain caught up.
func windowFor(rate, mss int, rtt time.Duration, gain float64, shares int) int {
	if rtt == 0 {
		rtt = rwcDefaultRTT
	}
	bdp := max(float64(rate)*rtt.Seconds(), float64(mss+rwcFrameOverhead))
	return int((bdp*rwcLineGain/float64(shares) + rwcHeadroom*float64(mss)) * gain)
}

// set gives c a receive buffer for a window of wnd octets, unless its
// buffer is within an eighth of that already.
func (w *windowControl) set(c *tcpConn, st *rwcState, wnd int) {
	buf := bufferFor(wnd)
	if diff := buf - st.buf; st.buf != 0 && diff < st.buf/8 && -diff < st.buf/8 {
		return
	}
	st.buf = buf
	c.ep.SocketOptions().SetReceiveBufferSize(int64(buf), true)
}

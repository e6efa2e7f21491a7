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
// The window is set through the endpoint's receive buffer size
// (SO_RCVBUF), which also turns gVisor's receive buffer moderation off
// for the endpoint; gVisor never shrinks a window it has advertised, so
// a smaller one takes effect as the data in flight arrives.
type windowControl struct {
	rate int // octets a second the line carries toward the stack; 0: off
	mss  int

	mu    sync.Mutex // guards conns
	conns map[*tcpConn]*rwcState
}

// rwcState is what windowControl knows of one connection; owned by
// routineWindows once registered.
type rwcState struct {
	read   int64         // octets read at the last tick
	rate   float64       // octets a second read, averaged over rwcAverage
	minRTT time.Duration // the smallest smoothed round trip seen; 0 if none yet
	buf    int           // the receive buffer size last set; 0 if none
}

// Tuning of the control. The gain over one round trip's worth and the
// segments of headroom keep the line busy although the round trip seen
// at the handshake is shorter than a full segment's (a 1500-octet frame
// takes 130 ms at 115200 bit/s) and the peer's segments arrive in
// bursts of delayed ACKs.
const (
	// rwcTick is how often windows are recomputed.
	rwcTick = 100 * time.Millisecond
	// rwcAverage is the weight of one tick's reading rate in a
	// connection's average: about a second's memory.
	rwcAverage = 1.0 / 8
	// rwcBulkShare marks a connection as receiving in bulk when it
	// reads at least this fraction of the line's rate.
	rwcBulkShare = 1.0 / 16
	// rwcGainNum / rwcGainDen is the gain over one round trip's worth.
	rwcGainNum, rwcGainDen = 5, 4
	// rwcHeadroom is the segments added to the line's share.
	rwcHeadroom = 3
	// rwcDefaultRTT stands for a connection's round trip before it has
	// one: a cellular line's order of magnitude.
	rwcDefaultRTT = 200 * time.Millisecond
)

func newWindowControl(rate int, mtu uint32) *windowControl {
	return &windowControl{rate: rate, mss: int(mtu) - 40, conns: map[*tcpConn]*rwcState{}}
}

// add has c's window controlled until remove.
func (w *windowControl) add(c *tcpConn) {
	w.mu.Lock()
	w.conns[c] = &rwcState{}
	w.mu.Unlock()
}

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
	for {
		select {
		case <-t.C:
			w.tick(rwcTick)
		case <-done:
			return
		}
	}
}

// tick measures each connection over the d since the last tick and sets
// its window.
func (w *windowControl) tick(d time.Duration) {
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
		if st.rate >= float64(w.rate)*rwcBulkShare {
			bulk++
		}
		var info tcpip.TCPInfoOption
		if err := c.ep.GetSockOpt(&info); err == nil && info.RTT > 0 && (st.minRTT == 0 || info.RTT < st.minRTT) {
			st.minRTT = info.RTT
		}
	}
	for i, c := range conns {
		st := states[i]
		share := 1
		if st.rate >= float64(w.rate)*rwcBulkShare {
			share = max(bulk, 1)
		}
		w.set(c, st, w.window(st.minRTT, share))
	}
}

// window is the receive window for a connection with round trip rtt
// (0 if unknown) that gets one share of the line.
func (w *windowControl) window(rtt time.Duration, shares int) int {
	if rtt == 0 {
		rtt = rwcDefaultRTT
	}
	bdp := int(int64(w.rate) * int64(rtt) / int64(time.Second))
	return bdp*rwcGainNum/rwcGainDen/shares + rwcHeadroom*w.mss
}

// set gives c a receive buffer for a window of wnd octets, unless its
// buffer is within an eighth of that already. gVisor advertises half
// the free buffer as the window.
func (w *windowControl) set(c *tcpConn, st *rwcState, wnd int) {
	buf := min(2*wnd, tcpMaxBuffer)
	if diff := buf - st.buf; st.buf != 0 && diff < st.buf/8 && -diff < st.buf/8 {
		return
	}
	st.buf = buf
	c.ep.SocketOptions().SetReceiveBufferSize(int64(buf), true)
}

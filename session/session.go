// Inbound flow
//
//  1. Session.routineRead reads the line (for Dial, dialer.WatchCarrier
//     over the modem's port; for Open, the caller's stream) and feeds each
//     chunk to ppp.Decoder.Decode, which unescapes, checks the FCS
//     (applyRecvFCS picks FCS-16 or FCS-32 as LCP agreed) and counts and
//     drops bad frames.
//  2. Session.frame gets each good frame on the same goroutine, shows it
//     to Config.Trace and splits off the header with ppp.ParseFrame. Once
//     IPCP is Opened, IPv4 goes straight to the handler that
//     SetIPHandler installed (netstack.Stack.DeliverInbound, which copies
//     it and runs gVisor's receive path inline). Anything else is copied
//     onto s.in, or dropped and counted when s.in is full.
//  3. Session.routineLoop, which owns all protocol state, passes each
//     control packet to receive (phases.go) and ppp.Demux.Input. The
//     handlers registerProtocols installed run LCP and IPCP (over
//     ppp/fsm) and PAP/CHAP (auth.go), hold packets a phase early, and
//     answer unknown protocols with LCP Protocol-Reject. IPv4 that
//     reaches the loop goes to earlyIPv4, held while IP comes up.
//  4. The loop also runs fsm timers (timer.go, via s.timers), commands
//     from other goroutines (s.cmds: Close, Terminate, SetIPHandler) and
//     line errors (s.ioErr, from either direction), which take LCP down
//     with ErrIO; Session.end then closes the line and Done.
//
// The outbound flow is in writer.go.

package session

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gprsppp/gprsppp/ipcp"
	"github.com/gprsppp/gprsppp/ipv6cp"
	"github.com/gprsppp/gprsppp/lcp"
	"github.com/gprsppp/gprsppp/ppp"
)

// Session is one PPP link over a byte stream.
type Session struct {
	cfg Config
	rw  io.ReadWriteCloser

	// Owned by routineLoop.
	phase   ppp.Phase
	demux   ppp.Demux
	lcp     *lcp.LCP
	ipcp    *ipcp.IPCP
	ipv6cp  *ipv6cp.IPv6CP // nil unless Config.IPv6
	ncps    ncpState
	auth    authState
	early   []frame  // auth and IPCP packets that came before their phase
	earlyIP [][]byte // IPv4 packets that came before IP was up
	wasUp   bool     // IPCP was Opened at least once

	in         chan frame
	timers     chan timerFire
	cmds       chan func()
	ioErr      chan error
	up         chan struct{} // closed when IPCP is Opened
	reopened   chan struct{} // signalled when IPCP is Opened again
	done       chan struct{} // closed when the link has ended
	wg         sync.WaitGroup
	endOnce    sync.Once
	closeOnce  sync.Once
	closeAsked atomic.Bool // Close was called: the link ends with ErrClosed
	err        error       // why the link ended; set before done is closed

	mu      sync.Mutex // guards ipcpNeg, ipv6Neg and lcpOut
	ipcpNeg ipcp.Negotiated
	ipv6Neg ipv6cp.Negotiated
	lcpOut  lcp.Negotiated

	w      writer
	dec    ppp.Decoder   // owned by routineRead
	rxFCS  atomic.Uint32 // the FCS dec expects, set by routineLoop: see setRecvFCS
	ipUp   atomic.Bool   // IPCP is Opened: IPv4 flows
	ipv6Up atomic.Bool   // IPv6CP is Opened: IPv6 flows
	// ipv6Closed: IPv6CP went down alone, LCP staying (IPv6Closed).
	ipv6Closed atomic.Bool
	rxSeen     atomic.Bool // a frame arrived since the last timer event
	handler    atomic.Pointer[func([]byte)]
	flush      atomic.Pointer[func()] // ends a run of packets to handler
	stats      counters
}

// frame is a received control packet on its way to the loop.
type frame struct {
	proto ppp.Protocol
	info  []byte
}

// Start begins PPP on rw, which must already be in data mode, and returns
// at once; Up tells when IP can flow and Done when the link has ended.
// The Session owns rw from now on and closes it when the link ends.
func Start(rw io.ReadWriteCloser, cfg Config) *Session {
	cfg.setDefaults()
	s := &Session{
		cfg:      cfg,
		rw:       rw,
		in:       make(chan frame, 64),
		timers:   make(chan timerFire, 16),
		cmds:     make(chan func()),
		ioErr:    make(chan error, 1),
		up:       make(chan struct{}),
		reopened: make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	s.w.init(s)
	s.dec.MaxFrame = int(max(cfg.MRU, 1500)) + 4
	s.setRecvFCS(false, false)
	s.applyRecvFCS()
	s.lcp = lcp.New(s.lcpConfig())
	s.ipcp = ipcp.New(s.ipcpConfig())
	if cfg.IPv6 {
		s.ipv6cp = ipv6cp.New(s.ipv6cpConfig())
	}
	s.registerProtocols()
	s.wg.Add(3)
	go s.routineRead()
	go s.w.routineWrite()
	go s.routineLoop()
	return s
}

// Up is closed once IPCP is Opened and IP packets flow.
func (s *Session) Up() <-chan struct{} { return s.up }

// Reopened receives a value when IPCP or IPv6CP is Opened again after a
// renegotiation (of LCP or of the NCP alone), which may have changed the
// addresses, the DNS servers or the MRU: IPCP, IPv6CP and LCP then tell
// the new ones; and when IPv6CP goes down while LCP stays Opened
// (IPv6CP then reports it is not). Values do not queue: one tells of
// any number of changes.
func (s *Session) Reopened() <-chan struct{} { return s.reopened }

// Done is closed when the link has ended; Err then tells why.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err returns why the link ended, or nil while it runs.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// IPCP returns the addresses IPCP negotiated; valid after Up.
func (s *Session) IPCP() ipcp.Negotiated {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ipcpNeg
}

// LCP returns the link parameters LCP negotiated; valid after Up.
func (s *Session) LCP() lcp.Negotiated {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lcpOut
}

// SetIPHandler sets the function that receives inbound IP packets,
// IPv4 and (with Config.IPv6) IPv6: the version field tells them apart.
// It runs on the line's reading goroutine (or the link's, for packets
// held while IP came up) and must copy what it keeps; it may change
// pkt in place.
func (s *Session) SetIPHandler(h func(pkt []byte)) {
	s.handler.Store(&h)
	s.do(s.deliverEarlyIP)
}

// SetIPFlush sets a function that runs after each run of packets the IP
// handler got: on the line's reading goroutine once a read from the
// line has been unframed, and on the link's after packets held while IP
// came up. A handler that gathers packets to pass them on together
// (netstack.Receiver) passes them on there. Set it before the handler.
func (s *Session) SetIPFlush(f func()) {
	s.flush.Store(&f)
}

// flushIP runs the function SetIPFlush set, if any.
func (s *Session) flushIP() {
	if f := s.flush.Load(); f != nil {
		(*f)()
	}
}

// WriteIPv4 queues one IPv4 packet for the line and returns at once; see
// writer for the queue's policy. Packets the queue drops are counted in
// Stats.QueueDrops, Stats.CodelDrops and Stats.ACKsFiltered. It fails with ErrNotUp before IPCP is Opened.
func (s *Session) WriteIPv4(pkt []byte) error {
	if !s.ipUp.Load() {
		s.stats.ipDrops.Add(1)
		return ErrNotUp
	}
	return s.w.enqueue(ppp.ProtocolIPv4, pkt)
}

// WritePacket queues one IP packet, IPv4 or IPv6 by its version field,
// as WriteIPv4 or WriteIPv6 would.
func (s *Session) WritePacket(pkt []byte) error {
	if len(pkt) > 0 && pkt[0]>>4 == 6 {
		return s.WriteIPv6(pkt)
	}
	return s.WriteIPv4(pkt)
}

// Terminate ends the link with LCP Terminate-Request for a reason of
// the caller's, which Err then reports. It returns at once.
func (s *Session) Terminate(reason error) {
	go s.do(func() {
		if s.phase != ppp.PhaseDead {
			s.lcp.Close(reason)
		}
	})
}

// Close ends the link: LCP Terminate-Request, then a wait of at most one
// restart period for the Terminate-Ack before the line is closed. A line
// whose writes block (flow control held, a reader gone) is closed at the
// end of that wait all the same. Close is idempotent and returns nil once
// the link is down; Err then reports ErrClosed, unless the link had
// ended already. It must not be called
// from the IP handler.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.closeAsked.Store(true)
		grace := make(chan struct{})
		t := s.cfg.Clock.AfterFunc(s.restart(), func() { close(grace) })
		defer t.Stop()
		terminate := func() {
			if s.phase != ppp.PhaseDead {
				s.lcp.Close(ErrClosed)
			}
		}
		select {
		case s.cmds <- terminate:
		case <-s.done:
		case <-grace:
		}
		select {
		case <-s.done:
		case <-grace:
			// Closing the line unblocks a stuck write and so the loop.
			s.rw.Close()
			s.do(func() { s.end(ErrClosed) })
		}
	})
	<-s.done
	s.wg.Wait()
	return nil
}

func (s *Session) restart() time.Duration {
	if s.cfg.Restart > 0 {
		return s.cfg.Restart
	}
	return 3 * time.Second
}

// do runs f on the loop, unless the link has ended.
func (s *Session) do(f func()) {
	select {
	case s.cmds <- f:
	case <-s.done:
	}
}

// routineLoop owns all protocol state.
func (s *Session) routineLoop() {
	defer s.wg.Done()
	s.setPhase(ppp.PhaseEstablish)
	s.lcp.Open()
	for {
		select {
		case f := <-s.in:
			s.receive(f)
		case t := <-s.timers:
			if s.rxSeen.Swap(false) {
				s.lcp.Received()
			}
			t.run()
		case f := <-s.cmds:
			f()
		case err := <-s.ioErr:
			s.lcp.LowerDown(fmt.Errorf("%w: %w", ErrIO, err))
		case <-s.done:
			return
		}
	}
}

// routineRead reads the line and unframes it. The IP packets of a read
// are flushed to the handler (SetIPFlush) once the line holds nothing
// more to read, as a line that tells (InputQueued, e.g. a tty's
// TIOCINQ) says, or after flushAfter octets: a handler that joins the
// segments of a connection (netstack.Receiver) then joins all that came
// together rather than one read's worth (a pty hands over at most 4 KiB
// a read). A short read, or a line that cannot tell, flushes at once.
func (s *Session) routineRead() {
	defer s.wg.Done()
	buf := make([]byte, 16<<10)
	q, _ := s.rw.(inputQueuer)
	held := 0 // octets read since the last flush
	for {
		n, err := s.rw.Read(buf)
		if n > 0 {
			s.applyRecvFCS()
			s.dec.Decode(buf[:n], s.frame)
			held += n
		}
		if held > 0 && (err != nil || held >= flushAfter || n < moreAfter || !lineHolds(q)) {
			s.flushIP()
			held = 0
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			s.lineError(err)
			return
		}
	}
}

// inputQueuer is a line that tells how many octets wait to be read
// (device.InputQueuer).
type inputQueuer interface {
	InputQueued() (int, error)
}

// Bounds of the reader's flushes: it flushes after flushAfter octets
// read, and after any read shorter than moreAfter (what a line that
// returns less has no more of at the moment).
const (
	flushAfter = 64 << 10
	moreAfter  = 512
)

// lineHolds reports whether q, if not nil, holds octets to read.
func lineHolds(q inputQueuer) bool {
	if q == nil {
		return false
	}
	n, err := q.InputQueued()
	return err == nil && n > 0
}

// frame dispatches one unframed PPP frame: IPv4 and IPv6 straight to the handler,
// anything else to the loop.
func (s *Session) frame(b []byte) {
	s.applyRecvFCS() // for the next frame
	if s.cfg.Trace != nil {
		s.cfg.Trace(false, b)
	}
	proto, info, err := ppp.ParseFrame(b)
	if err != nil {
		s.stats.badHeaders.Add(1)
		return
	}
	s.rxSeen.Store(true)
	if (proto == ppp.ProtocolIPv4 && s.ipUp.Load()) || (proto == ppp.ProtocolIPv6 && s.ipv6Up.Load()) {
		if h := s.handler.Load(); h != nil {
			s.stats.ipIn.Add(1)
			(*h)(info)
			return
		}
	}
	select {
	case s.in <- frame{proto: proto, info: append([]byte(nil), info...)}:
	default:
		s.stats.controlDrops.Add(1)
	}
}

// Values of Session.rxFCS.
const (
	rxFCS16  = iota // the 16-bit FCS (and LCP with either, see ppp.Decoder)
	rxFCS32         // the 32-bit FCS, as LCP agreed (and LCP with either)
	rxFCSAny        // either, while LCP negotiates the 32-bit FCS
)

// setRecvFCS tells routineRead which FCS to expect: the 32-bit one once
// LCP is opened and agreed on it (RFC 1570 §2.1), otherwise the 16-bit
// one. While LCP is not opened and we ask for the 32-bit FCS, either is
// taken: the peer starts sending the 32-bit FCS as it reaches Opened,
// right after the Configure-Ack that opens our LCP too, and routineRead
// decodes those frames before the loop has processed that Ack.
func (s *Session) setRecvFCS(opened, fcs32 bool) {
	m := uint32(rxFCS16)
	switch {
	case fcs32:
		m = rxFCS32
	case !opened && s.cfg.FCS32:
		m = rxFCSAny
	}
	s.rxFCS.Store(m)
}

// applyRecvFCS configures the decoder as setRecvFCS asked. It runs on
// routineRead, before a chunk or from the decoder's emit, so the change
// applies from the next frame.
func (s *Session) applyRecvFCS() {
	m := s.rxFCS.Load()
	s.dec.FCS32, s.dec.AnyFCS = m == rxFCS32, m == rxFCSAny
}

// lineError reports a failed read or write to the loop.
func (s *Session) lineError(err error) {
	select {
	case s.ioErr <- err:
	default:
	}
}

// end finishes the link once: the line is closed and Done fires.
func (s *Session) end(reason error) {
	s.endOnce.Do(func() {
		if s.closeAsked.Load() {
			reason = ErrClosed
		}
		s.setPhase(ppp.PhaseDead)
		s.ipUp.Store(false)
		s.ipv6Up.Store(false)
		s.auth.stop()
		s.lcp.Stop()
		s.ipcp.Stop()
		if s.ipv6cp != nil {
			s.ipv6cp.Stop()
		}
		s.cfg.Logger.Info("link ended", "reason", reason)
		s.err = reason
		s.w.close()
		close(s.done)
	})
}

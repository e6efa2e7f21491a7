package fsm

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// Callbacks is what a protocol supplies to its Machine, after pppd's
// fsm_callbacks. All methods run on the link's goroutine.
type Callbacks interface {
	// AppendRequest appends the options of our next Configure-Request.
	AppendRequest(b []byte) []byte
	// ReceiveAck takes a Configure-Ack, whose options the Machine has
	// checked to be exactly those of the outstanding request; false drops
	// the packet.
	ReceiveAck(opts []byte) bool
	// ReceiveNak adjusts what we ask for from a Configure-Nak; false means
	// the packet was malformed and is dropped.
	ReceiveNak(opts []byte) bool
	// ReceiveReject stops asking for rejected options; false means the
	// packet was malformed or rejected what we did not ask for.
	ReceiveReject(opts []byte) bool
	// ReceiveRequest checks the peer's Configure-Request and appends the
	// reply's options to reply: all of them for ConfigureAck, the naked or
	// rejected ones otherwise. With rejectOnly set (Max-Failure reached),
	// options that would be naked are rejected instead.
	ReceiveRequest(opts, reply []byte, rejectOnly bool) (Code, []byte)
	// Up, Down, Started and Finished are the tlu, tld, tls and tlf actions.
	Up()
	Down()
	Started()
	Finished()
	// ReceiveOther handles codes beyond Code-Reject (LCP's Protocol-Reject,
	// Echo and Discard) and reports whether the code is known; an unknown
	// code is answered with a Code-Reject.
	ReceiveOther(code Code, id uint8, data []byte) bool
	// CodeRejectFatal reports whether the peer rejecting code makes the
	// link unusable (RXJ-) or can be ignored (RXJ+). It is asked only
	// about codes outside 1 to 7, whose rejection is always RXJ-, and must
	// answer true only for a code the protocol sends and cannot do
	// without (RFC 1661 §5.6).
	CodeRejectFatal(code Code) bool
}

// Config holds a Machine's parameters (RFC 1661 §4.6). Zero values take
// the defaults given.
type Config struct {
	Protocol ppp.Protocol
	// Send transmits one packet of Protocol; the slice is reused after.
	Send func(pkt []byte)
	// NewTimer creates the restart timer around f.
	NewTimer func(f func()) ppp.Timer
	// Restart is the restart timer's period; zero means 3 s.
	Restart time.Duration
	// MaxTerminate is how many Terminate-Requests go unanswered before
	// giving up; zero means 2.
	MaxTerminate int
	// MaxConfigure is how many Configure-Requests go unanswered before
	// giving up; zero means 10.
	MaxConfigure int
	// MaxFailure is how many Configure-Naks are sent before naked options
	// are rejected instead; zero means 5.
	MaxFailure int
	// MaxReply bounds a Code-Reject's length (the peer's MRU); zero
	// means 1500.
	MaxReply int
	// Logger receives state changes at debug level; nil is silent.
	Logger *slog.Logger
}

// Machine runs the automaton for one protocol.
type Machine struct {
	cfg       Config
	cb        Callbacks
	state     State
	timer     ppp.Timer
	restart   int // restart counter (RFC 1661 §4.6)
	naks      int // Configure-Naks sent without sending a Configure-Ack
	rnaks     int // Configure-Naks received without receiving an Ack
	queue     []Event
	running   bool  // executing a transition: new events wait in queue
	id        uint8 // identifier of our last request
	reqID     uint8 // identifier of the outstanding Configure-Request
	sentReq   bool  // a Configure-Request was built since the last new negotiation
	reqOpts   []byte
	reply     []byte // sca/scn options prepared by receive
	replyCode Code
	replyID   uint8
	rcvd      []byte // packet for scj
	buf       []byte

	ignoredRejects atomic.Uint64 // Code-Rejects taken as RXJ+; read from any goroutine
}

// New returns a Machine in the Initial state.
func New(cfg Config, cb Callbacks) *Machine {
	if cfg.Restart == 0 {
		cfg.Restart = 3 * time.Second
	}
	if cfg.MaxTerminate == 0 {
		cfg.MaxTerminate = 2
	}
	if cfg.MaxConfigure == 0 {
		cfg.MaxConfigure = 10
	}
	if cfg.MaxFailure == 0 {
		cfg.MaxFailure = 5
	}
	if cfg.MaxReply == 0 {
		cfg.MaxReply = 1500
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Machine{cfg: cfg, cb: cb}
	m.timer = cfg.NewTimer(m.timeout)
	return m
}

// State returns the current state.
func (m *Machine) State() State { return m.state }

// CodeRejectsIgnored returns how many Code-Rejects the peer sent that
// named a code the protocol does not send or can do without, and which
// were therefore taken as RXJ+ (RFC 1661 §5.6). Unlike State, it may be
// called from any goroutine.
func (m *Machine) CodeRejectsIgnored() uint64 { return m.ignoredRejects.Load() }

// Up signals that the lower layer is ready (the Up event).
func (m *Machine) Up() {
	m.naks, m.rnaks = 0, 0
	m.event(Up)
}

// Down signals that the lower layer has gone (the Down event).
func (m *Machine) Down() { m.event(Down) }

// Open is the administrative Open event.
func (m *Machine) Open() { m.event(Open) }

// Close is the administrative Close event; it terminates an open link.
func (m *Machine) Close() { m.event(Close) }

// Stop cancels the restart timer for good, for use when the link ends.
func (m *Machine) Stop() { m.timer.Stop() }

// NextID returns a fresh Identifier for a packet outside the automaton,
// such as an LCP Echo-Request.
func (m *Machine) NextID() uint8 {
	m.id++
	return m.id
}

func (m *Machine) timeout() {
	if m.restart > 0 {
		m.event(TOPlus)
	} else {
		m.event(TOMinus)
	}
}

// event runs an event through the table and executes its actions. An
// event raised by a callback while a transition runs (a protocol closing
// itself from its tlu, say) is queued and runs once that transition is
// complete, so transitions never nest.
func (m *Machine) event(e Event) {
	m.queue = append(m.queue, e)
	if m.running {
		return
	}
	m.running = true
	defer func() { m.running = false }()
	for len(m.queue) > 0 {
		e := m.queue[0]
		m.queue = m.queue[1:]
		m.step(e)
	}
}

// step runs one event through the table.
func (m *Machine) step(e Event) {
	next, actions, ok := Transition(m.state, e)
	if !ok {
		m.cfg.Logger.Debug("event ignored", "protocol", m.cfg.Protocol, "state", m.state, "event", e)
		return
	}
	if next != m.state {
		m.cfg.Logger.Debug("state", "protocol", m.cfg.Protocol, "from", m.state, "to", next, "event", e)
	}
	old := m.state
	m.state = next
	for _, a := range actions {
		m.act(a, actions, e)
	}
	if isStable(next) && !isStable(old) || next == Opened {
		m.timerStopIfIdle()
	}
}

// isStable reports states in which the restart timer does not run.
func isStable(s State) bool { return s <= Stopped || s == Opened }

func (m *Machine) timerStopIfIdle() {
	if isStable(m.state) {
		m.timer.Stop()
	}
}

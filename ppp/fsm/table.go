package fsm

// transition is one cell of the RFC 1661 §4.1 state transition table.
type transition struct {
	valid   bool
	next    State
	actions []Action
}

func to(next State, actions ...Action) transition {
	return transition{valid: true, next: next, actions: actions}
}

// table is the state transition table of RFC 1661 §4.1, indexed by
// [event][state]. Empty cells are events that cannot happen in that state.
// The restart option ("r") and the passive option ("p") are not
// implemented, so Open in Stopped, Closing, Stopping or Opened and TO- in
// the request states take the plain transitions.
var table = [numEvents][numStates]transition{
	Up: {
		Initial:  to(Closed),
		Starting: to(ReqSent, IRC, SCR),
	},
	Down: {
		Closed: to(Initial), Stopped: to(Starting, TLS), Closing: to(Initial), Stopping: to(Starting),
		ReqSent: to(Starting), AckRcvd: to(Starting), AckSent: to(Starting), Opened: to(Starting, TLD),
	},
	Open: {
		Initial: to(Starting, TLS), Starting: to(Starting), Closed: to(ReqSent, IRC, SCR), Stopped: to(Stopped),
		Closing: to(Stopping), Stopping: to(Stopping),
		ReqSent: to(ReqSent), AckRcvd: to(AckRcvd), AckSent: to(AckSent), Opened: to(Opened),
	},
	Close: {
		Initial: to(Initial), Starting: to(Initial, TLF), Closed: to(Closed), Stopped: to(Closed),
		Closing: to(Closing), Stopping: to(Closing),
		ReqSent: to(Closing, IRC, STR), AckRcvd: to(Closing, IRC, STR), AckSent: to(Closing, IRC, STR),
		Opened: to(Closing, TLD, IRC, STR),
	},
	TOPlus: {
		Closing: to(Closing, STR), Stopping: to(Stopping, STR),
		ReqSent: to(ReqSent, SCR), AckRcvd: to(ReqSent, SCR), AckSent: to(AckSent, SCR),
	},
	TOMinus: {
		Closing: to(Closed, TLF), Stopping: to(Stopped, TLF),
		ReqSent: to(Stopped, TLF), AckRcvd: to(Stopped, TLF), AckSent: to(Stopped, TLF),
	},
	RCRPlus: {
		Closed: to(Closed, STA), Stopped: to(AckSent, IRC, SCR, SCA), Closing: to(Closing), Stopping: to(Stopping),
		ReqSent: to(AckSent, SCA), AckRcvd: to(Opened, SCA, TLU), AckSent: to(AckSent, SCA),
		Opened: to(AckSent, TLD, SCR, SCA),
	},
	RCRMinus: {
		Closed: to(Closed, STA), Stopped: to(ReqSent, IRC, SCR, SCN), Closing: to(Closing), Stopping: to(Stopping),
		ReqSent: to(ReqSent, SCN), AckRcvd: to(AckRcvd, SCN), AckSent: to(ReqSent, SCN),
		Opened: to(ReqSent, TLD, SCR, SCN),
	},
	RCA: {
		Closed: to(Closed, STA), Stopped: to(Stopped, STA), Closing: to(Closing), Stopping: to(Stopping),
		ReqSent: to(AckRcvd, IRC), AckRcvd: to(ReqSent, SCR), AckSent: to(Opened, IRC, TLU),
		Opened: to(ReqSent, TLD, SCR),
	},
	RCN: {
		Closed: to(Closed, STA), Stopped: to(Stopped, STA), Closing: to(Closing), Stopping: to(Stopping),
		ReqSent: to(ReqSent, IRC, SCR), AckRcvd: to(ReqSent, SCR), AckSent: to(AckSent, IRC, SCR),
		Opened: to(ReqSent, TLD, SCR),
	},
	RTR: {
		Closed: to(Closed, STA), Stopped: to(Stopped, STA), Closing: to(Closing, STA), Stopping: to(Stopping, STA),
		ReqSent: to(ReqSent, STA), AckRcvd: to(ReqSent, STA), AckSent: to(ReqSent, STA),
		Opened: to(Stopping, TLD, ZRC, STA),
	},
	RTA: {
		Closed: to(Closed), Stopped: to(Stopped), Closing: to(Closed, TLF), Stopping: to(Stopped, TLF),
		ReqSent: to(ReqSent), AckRcvd: to(ReqSent), AckSent: to(AckSent), Opened: to(ReqSent, TLD, SCR),
	},
	RUC: {
		Closed: to(Closed, SCJ), Stopped: to(Stopped, SCJ), Closing: to(Closing, SCJ), Stopping: to(Stopping, SCJ),
		ReqSent: to(ReqSent, SCJ), AckRcvd: to(AckRcvd, SCJ), AckSent: to(AckSent, SCJ), Opened: to(Opened, SCJ),
	},
	RXJPlus: {
		Closed: to(Closed), Stopped: to(Stopped), Closing: to(Closing), Stopping: to(Stopping),
		ReqSent: to(ReqSent), AckRcvd: to(ReqSent), AckSent: to(AckSent), Opened: to(Opened),
	},
	RXJMinus: {
		Closed: to(Closed, TLF), Stopped: to(Stopped, TLF), Closing: to(Closed, TLF), Stopping: to(Stopped, TLF),
		ReqSent: to(Stopped, TLF), AckRcvd: to(Stopped, TLF), AckSent: to(Stopped, TLF),
		Opened: to(Stopping, TLD, IRC, STR),
	},
	RXR: {
		Closed: to(Closed), Stopped: to(Stopped), Closing: to(Closing), Stopping: to(Stopping),
		ReqSent: to(ReqSent), AckRcvd: to(AckRcvd), AckSent: to(AckSent), Opened: to(Opened, SER),
	},
}

// Transition returns the state that event e leads to from state s and the
// actions to take, in order. ok is false when the table has no entry: the
// event cannot happen in that state (RFC 1661 §4.1: "-") and the state
// does not change.
func Transition(s State, e Event) (next State, actions []Action, ok bool) {
	if s >= numStates || e >= numEvents {
		return s, nil, false
	}
	t := table[e][s]
	if !t.valid {
		return s, nil, false
	}
	return t.next, t.actions, true
}

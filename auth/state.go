package auth

import "log/slog"

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=state -linecomment

// state is the life cycle shared by the four state machines.
type state uint8

const (
	stateInitial        state = iota // Initial
	stateAuthenticating              // Authenticating
	stateSucceeded                   // Succeeded
	stateFailed                      // Failed
	stateStopped                     // Stopped
)

// machine holds what every client and server has: its state and logger.
type machine struct {
	state state
	log   *slog.Logger
}

// enter moves to state to and logs "old → new on event".
func (m *machine) enter(to state, event string) {
	m.log.Debug("state change", "old", m.state, "new", to, "event", event)
	m.state = to
}

// active reports whether the machine still handles packets: it is
// authenticating, or it succeeded and must answer retransmissions and
// rechallenges.
func (m *machine) active() bool {
	return m.state == stateAuthenticating || m.state == stateSucceeded
}

// drop logs a packet that is ignored.
func (m *machine) drop(reason string, err error) {
	if err != nil {
		m.log.Debug("dropped packet", "reason", reason, "err", err)
		return
	}
	m.log.Debug("dropped packet", "reason", reason)
}

package ppp

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=Phase -linecomment -output=phase_string.go

// Phase is a link phase (RFC 1661 §3.2).
type Phase uint8

// Link phases, in the order a link goes through them.
const (
	PhaseDead         Phase = iota // Dead
	PhaseEstablish                 // Establish
	PhaseAuthenticate              // Authenticate
	PhaseNetwork                   // Network
	PhaseTerminate                 // Terminate
)

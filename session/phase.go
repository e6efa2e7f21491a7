package session

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=Phase,Role -linecomment

// Phase is a link phase (RFC 1661 §3.2).
type Phase uint8

// Link phases.
const (
	PhaseDead         Phase = iota // Dead
	PhaseEstablish                 // Establish
	PhaseAuthenticate              // Authenticate
	PhaseNetwork                   // Network
	PhaseTerminate                 // Terminate
)

// Role tells which end of the link a Session plays.
type Role uint8

// Roles.
const (
	// RoleClient asks for an address and DNS servers and authenticates
	// itself when the network asks: what a modem user runs.
	RoleClient Role = iota // client
	// RoleNetwork assigns addresses and may require authentication: what
	// an operator's gateway does.
	RoleNetwork // network
)

package session

//go:generate go run golang.org/x/tools/cmd/stringer@v0.38.0 -type=Role -linecomment

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

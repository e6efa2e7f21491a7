// Package session runs one PPP link over a byte stream: it frames and
// unframes (RFC 1662), walks the link phases of RFC 1661 §3.2 (Dead,
// Establish, Authenticate, Network, Terminate), runs LCP, PAP or CHAP and
// IPCP, rejects unknown protocols, and carries IPv4 packets to and from a
// handler — normally a netstack.Stack.
//
// A Session serves either role: the client, which asks for an address and
// authenticates itself, or the network side, which assigns addresses and
// may authenticate the client. All protocol state belongs to one goroutine
// (Session.routineLoop); a second goroutine reads the line
// (routineRead) and a third writes it (writer.routineWrite). IPv4 packets
// bypass the loop in both directions.
package session

// Package session runs one PPP link over a byte stream: it frames and
// unframes (RFC 1662), walks the link phases of RFC 1661 §3.2 (Dead,
// Establish, Authenticate, Network, Terminate), runs LCP, PAP or CHAP,
// IPCP and (with Config.IPv6) IPv6CP (RFC 5072), rejects unknown
// protocols, and carries IPv4 (0x0021) and IPv6 (0x0057) packets to and
// from one handler — normally a netstack.Stack.
//
// A Session serves either role: the client, which asks for an address and
// authenticates itself, or the network side, which assigns addresses and
// may authenticate the client. All protocol state belongs to one goroutine
// (Session.routineLoop); a second goroutine reads the line
// (routineRead) and a third writes it (writer.routineWrite). IP packets
// bypass the loop in both directions.
package session

// Package ipv6cp implements the PPP IPv6 Control Protocol (RFC 5072)
// with its Interface-Identifier option (RFC 5072 §4.1).
//
// Each side proposes the 64-bit identifier of its link-local address
// fe80::<identifier>. In the client role IPv6CP proposes an identifier of
// its own (random unless configured) and adopts the one a peer naks it
// with, as 3GPP networks and pppd's "ipv6 ,<remote>" dictate the UE's
// identifier; it accepts any non-zero identifier of the peer that
// differs from its own. In the network role it naks a client whose
// identifier differs from the one configured for it (or is zero, or
// equals ours) with that one. A collision (RFC 5072 §4.1: the peer
// proposes our identifier) is answered with a Nak carrying a fresh
// identifier when we have none to assign, and our own identifier is
// replaced too. An all-zero identifier from a peer when we have none to
// give is rejected. IPv6-Compression-Protocol (RFC 5172) and unknown
// options are rejected. IPv6CP runs on the RFC 1661 automaton of
// package ppp/fsm; the session registers it next to IPCP.
package ipv6cp

// Package ipcp implements the PPP Internet Protocol Control Protocol
// (RFC 1332) with the IP-Address option (RFC 1332 §3.3) and the
// Primary/Secondary DNS Server Address options (RFC 1877 §1.1, §1.3).
//
// In the client role IPCP asks for address 0.0.0.0 and takes the address
// the peer naks with, and likewise for the DNS servers; it tolerates a
// peer that never announces its own address. In the network role it
// assigns the peer's address and DNS servers. IP-Compression-Protocol (Van
// Jacobson, RFC 1332 §3.2) and the NBNS options (RFC 1877 §1.2, §1.4) are
// rejected. IPCP runs on the RFC 1661 automaton of package ppp/fsm.
package ipcp

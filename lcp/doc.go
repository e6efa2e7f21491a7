// Package lcp implements the PPP Link Control Protocol (RFC 1661 §5, §6):
// the Maximum-Receive-Unit, Async-Control-Character-Map (RFC 1662 §7.1),
// Authentication-Protocol, Magic-Number, Protocol-Field-Compression,
// Address-and-Control-Field-Compression and, when Config.FCS32 allows it,
// FCS-Alternatives (RFC 1570 §2.1) options; Terminate, Code-Reject,
// Protocol-Reject, Echo and Discard packets; loopback detection through the
// magic number; and an optional echo keepalive.
//
// An LCP runs on the RFC 1661 automaton of package ppp/fsm. The link that
// owns it feeds Receive with LCP packets, calls Up once the line is in data
// mode, and learns the negotiated parameters through Config.Up.
package lcp

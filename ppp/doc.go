// Package ppp implements the Point-to-Point Protocol link layer: HDLC-like
// framing for asynchronous serial lines (RFC 1662), the PPP header with
// address/control and protocol-field compression (RFC 1661 §6.5, §6.6),
// link phases (RFC 1661 §3.2), the control packet format shared by LCP,
// IPCP, PAP and CHAP (RFC 1661 §5), and a protocol demultiplexer.
//
// Option negotiation lives in ppp/fsm; the protocols built on it live in
// lcp, ipcp and auth. The package session wires them into a running link.
package ppp

// Package auth implements the two PPP authentication protocols a cellular
// link meets in practice: the Password Authentication Protocol (PAP,
// RFC 1334 §2) and the Challenge-Handshake Authentication Protocol with
// MD5 (CHAP, RFC 1994), each in both roles.
//
// A Client authenticates this end to the peer: it is what a modem user
// runs, with the username and password of the APN. The network chooses the
// method during LCP negotiation (RFC 1661 §6.2), so the link creates the
// client that matches the negotiated Authentication-Protocol option. A
// Server is the authenticator: the network side of a simulator, and the
// other half in tests.
//
// The objects are small event-driven state machines. They start no
// goroutines and take no locks; every method and every callback runs on
// the link's goroutine, and time comes only from the timers made by the
// configured NewTimer. To wire one in, the link
//
//   - builds it when the link enters the Authenticate phase (RFC 1661 §3.5)
//     and calls Start;
//   - passes the information field of every received packet with protocol
//     0xc023 (ppp.ProtocolPAP) or 0xc223 (ppp.ProtocolCHAP) to Input;
//   - sends each packet given to Send as a packet of that same protocol;
//   - moves to the Network-Layer Protocol phase when Done reports nil, and
//     terminates the link when it reports an error;
//   - calls Stop when the link goes down.
//
// The packet codecs (AuthenticateRequest, AuthenticateReply, Challenge,
// Result) can also be used on their own. Passwords, secrets and CHAP
// response values never appear in log records or error texts.
package auth

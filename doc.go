// Package gprsppp gives a Go program its own TCP/IP over a cellular
// modem's PPP link, with no kernel PPP and no root: PPP (RFC 1661, 1662),
// PAP/CHAP, IPCP with DNS, and a userspace gVisor TCP/IP stack whose
// sockets are plain net.Conn, net.Listener and net.PacketConn values.
//
// Open brings the link up on a byte stream already in data mode (after
// the modem answered CONNECT) and returns a Link:
//
//	link, err := gprsppp.Open(ctx, port, gprsppp.Config{Username: "user", Password: "pass"})
//	if err != nil { ... }
//	defer link.Close()
//	conn, err := link.DialContext(ctx, "tcp", "example.com:80")
//
// Dial opens a modem's port and runs the AT dial script first; with
// Config.CMUX it runs a 27.010 multiplexer on the port, PPP on its data
// channel and a status monitor on its AT channel (Link.ModemStatus,
// Link.ModemCommand).
//
// OpenNetwork runs the other end, an operator's gateway: it assigns
// addresses and DNS servers and may authenticate the client. The
// simulator and the tests use it.
package gprsppp

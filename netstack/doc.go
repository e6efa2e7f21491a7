// Package netstack is the IP layer of gprsppp: a userspace TCP/IP stack
// (gVisor's tcpip) whose only interface is a PPP link, with Go socket APIs
// on top, in the manner of wireguard-go's tun/netstack and Tailscale's
// tsnet.
//
// The link side is a gVisor stack.LinkEndpoint modelled on gVisor's
// link/channel: PPP carries bare IPv4 datagrams (RFC 1332 protocol 0x0021)
// and IPv6 ones (RFC 5072, 0x0057), so there is no link header, no link
// address, no ARP and no neighbour resolution, and the MTU is the MRU the
// peer negotiated in LCP (RFC 1661 §6.1). The stack holds the IPv4
// address IPCP assigned (RFC 1332 §3.3) as a /32, and routes every other
// destination over the link. DNS names are resolved with the servers
// IPCP reported (RFC 1877), queried through the stack itself.
//
// IPv6 comes with ConfigureIPv6 once IPv6CP has opened: the link-local
// address fe80::<interface identifier>, router solicitation (RFC 4861
// §6.3.7) and, from each router advertisement, a global address in every
// autonomous /64 prefix with the same identifier (SLAAC, RFC 4862; gVisor
// cannot form one without a MAC, so this package does it) and the DNS
// servers of its RDNSS option (RFC 8106). A router stack (the network
// side) advertises a prefix and answers solicitations instead. With
// both families, LookupNetIP asks for A and AAAA records and DialContext
// races them as net.Dialer does (Happy Eyeballs, RFC 8305).
//
// The socket side is DialContext, Listen, ListenPacket and LookupNetIP,
// returning net.Conn, net.Listener and net.PacketConn values whose errors
// follow the net package: *net.OpError wrapping syscall errnos such as
// ECONNREFUSED, and net.ErrClosed after Close. gVisor's own error type
// never leaves the package.
//
// # Queue and back-pressure policy
//
// The package keeps no packet queue of its own in either direction.
// Outbound, the gVisor goroutine that produced a packet calls
// Config.Out.WritePacket synchronously and waits for it: a Writer that
// blocks while the serial link drains pushes back on TCP, whose window then
// limits what is in flight; a Writer that returns an error drops the
// packet, which is counted in Stats.DroppedOut and left to TCP to resend.
// The queueing policy of the link (block, or a bounded queue that drops
// when full) is therefore the Writer's to choose and document. Inbound,
// DeliverInbound copies the packet and processes it on the caller's
// goroutine; gVisor queues TCP segments internally, drops what does not fit
// in a socket's receive buffer, and answers some packets (ping, reset for a
// closed port) inline through the Writer. Malformed packets are counted in
// Stats.DroppedIn. A Receiver (NewReceiver) delivers the same way but
// holds a connection's TCP segments until its Flush, to join those that
// follow each other into one.
//
// # Wiring
//
// Once IPCP is up, build a Stack with the negotiated values and connect the
// two directions of the link:
//
//	st, err := netstack.New(netstack.Config{
//		LocalAddr:  local,  // our address from IPCP
//		MTU:        mru,    // the peer's MRU from LCP
//		Out:        link,   // a Writer that frames and sends one datagram
//		DNSServers: dns,    // from IPCP (RFC 1877)
//	})
//	// in the link's receive loop, for each IPv4 or IPv6 datagram:
//	st.DeliverInbound(datagram)
//	// and anywhere else:
//	conn, err := st.DialContext(ctx, "tcp", "example.com:80")
//
// The goroutine that reads the link and calls DeliverInbound must not be
// the one WritePacket waits for, or an inline reply can deadlock it. Close
// the Stack when the link goes down; it stops using the Writer at once.
package netstack

package modemsock

import (
	"context"
	"net"
	"net/netip"
)

// Network is what sockets run on: the host-side TCP/IP stack over the
// modem's PPP link, for one activated context.
type Network interface {
	// DialContext opens a TCP or UDP connection ("tcp", "udp") to an
	// IP address ("ip:port").
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
	// DialResolved opens one to port at the addresses a name resolved
	// to (LookupNetIP's answer), as a dial by name does after its
	// lookup: those the network can reach, in order, and both address
	// families raced (Happy Eyeballs) where there are both.
	DialResolved(ctx context.Context, network string, addrs []netip.Addr, port uint16) (net.Conn, error)
	// Listen accepts TCP connections on the link's address (server mode).
	Listen(network, address string) (net.Listener, error)
	// ListenPacket opens a UDP socket on the link's address.
	ListenPacket(network, address string) (net.PacketConn, error)
	// LookupNetIP resolves a name with the link's DNS servers.
	LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error)
	// LocalAddr is the context's address.
	LocalAddr() netip.Addr
	// DNSServers are the servers the network gave.
	DNSServers() []netip.Addr
	// Done is closed when the context goes away (the link dropped).
	Done() <-chan struct{}
}

// UnackedConn is optionally implemented by the connections a Network
// returns. Unacked reports how many written bytes the peer has not yet
// acknowledged (TCP's SND.NXT - SND.UNA plus what is still queued), so
// that Socket.Counters reports real acknowledgements. Without it a byte
// counts as acknowledged once the connection's Write has accepted it.
type UnackedConn interface {
	Unacked() (int, error)
}

// Activator brings packet data contexts up: the part of a modem backend
// that Context uses.
type Activator interface {
	// Activate brings a context up with an APN and credentials, waiting
	// as long as ctx allows, and returns its network.
	Activate(ctx context.Context, apn, user, password string) (Network, error)
}

// IPv6Network is implemented by a Network that may carry IPv6 (a
// gprsppp link): its IPv6 addresses, the link-local one first, then the
// global ones router advertisements gave; none without IPv6.
type IPv6Network interface {
	IPv6Addrs() []netip.Addr
}

// DisplayAddr is the address a module shows for a context: its IPv4
// address; on an IPv6-only link its first global IPv6 address, else
// (no router advertisement yet) its link-local one; invalid if it has
// none of them.
func DisplayAddr(n Network) netip.Addr {
	if a := n.LocalAddr(); a.IsValid() {
		return a
	}
	v6, ok := n.(IPv6Network)
	if !ok {
		return netip.Addr{}
	}
	var ll netip.Addr
	for _, a := range v6.IPv6Addrs() {
		if !a.IsLinkLocalUnicast() {
			return a
		}
		if !ll.IsValid() {
			ll = a
		}
	}
	return ll
}

package tun

import "net/netip"

// Address is one address of the interface.
type Address struct {
	// Local is the interface's own address with its prefix length:
	// a /32 (or /128) for an address of the link alone, as IPCP gives.
	Local netip.Prefix
	// Peer is the other end's address on the point-to-point link, for
	// which the kernel adds a host route through the interface; the
	// zero Addr means none (the kernel then routes Local's prefix).
	Peer netip.Addr
}

// Settings are what the interface gets when a link comes up.
type Settings struct {
	// Addrs are the interface's addresses, IPv4 and IPv6 alike; any
	// other address on it is removed.
	Addrs []Address
	// MTU is the interface's MTU, the largest packet the peer takes
	// (its MRU); zero leaves it as it is.
	MTU int
}

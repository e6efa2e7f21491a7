package atcompat

import (
	"context"
	"net"
	"net/netip"
)

// Network is what the QI* shim's connections run on: the host-side
// TCP/IP stack over the modem's PPP link, for one activated context.
type Network interface {
	// DialContext opens a TCP or UDP connection ("tcp", "udp"); the
	// address may name a host, resolved through LookupNetIP.
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
	// Listen accepts TCP connections on the link's address (server mode).
	Listen(network, address string) (net.Listener, error)
	// ListenPacket opens a UDP socket on the link's address.
	ListenPacket(network, address string) (net.PacketConn, error)
	// LookupNetIP resolves a name with the link's DNS servers.
	LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error)
	// LocalAddr is the context's address (AT+QILOCIP).
	LocalAddr() netip.Addr
	// DNSServers are the servers the network gave (AT+QIDNSCFG?).
	DNSServers() []netip.Addr
	// Done is closed when the context goes away (the link dropped):
	// the shim reports +PDP DEACT.
	Done() <-chan struct{}
}

// ModemInfo is what the shim answers for the real modem's identity and
// radio state (AT+CGMI, AT+CSQ, AT+CREG?...). The radio state should be
// the modem's as last known: a modem without network reports RSSI and
// BER 99, Registration 0 or 2, and its SIM as it is.
type ModemInfo struct {
	Manufacturer, Model, Revision, IMEI string
	// RSSI and BER as AT+CSQ reports them (99 = unknown).
	RSSI, BER int
	// Registration is the +CREG/+CGREG stat: 1 home, 5 roaming, 2
	// searching, 3 denied, 0 neither registered nor searching, 4
	// unknown. While it is 0 or 3 the shim refuses AT+QIREGAPP, as a
	// module without a network to attach to.
	Registration int
	// SIMReady reports +CPIN: READY.
	SIMReady bool
	// SIMError, when SIMReady is false, says how AT+CPIN? answers:
	// ErrSIMPIN "+CPIN: SIM PIN", ErrSIMPUK "+CPIN: SIM PUK", a
	// *CMEError that error (13 SIM failure, 14 SIM busy...). Nil means
	// +CME ERROR: 10, SIM not inserted.
	SIMError error
	// Operator is the +COPS name; empty if not known.
	Operator string
}

// Backend is the real modem behind the shim.
type Backend interface {
	// Activate brings a packet data context up (AT+QIACT) with the APN
	// and credentials the host configured, waiting as long as ctx allows,
	// and returns its network. Several hosts may share one context.
	Activate(ctx context.Context, apn, user, password string) (Network, error)
	// Info reports the modem's identity and radio state.
	Info(ctx context.Context) ModemInfo
}

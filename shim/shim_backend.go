package shim

import (
	"context"
	"net/netip"

	"github.com/gprsppp/gprsppp/modemsock"
)

// Network is what the QI* shim's connections run on: the host-side
// TCP/IP stack over the modem's PPP link, for one activated context. The
// shim reports +PDP DEACT when its Done channel closes.
type Network = modemsock.Network

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
	// dialer.ErrSIMPIN "+CPIN: SIM PIN", dialer.ErrSIMPUK "+CPIN: SIM PUK", a
	// *dialer.CMEError that error (13 SIM failure, 14 SIM busy...). Nil means
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

// ipv4Text is a context's IPv4 address as the IPv4-only dialects show
// it, "0.0.0.0" on an IPv6-only link (their way of saying none).
func ipv4Text(a netip.Addr) string {
	if !a.Is4() {
		return "0.0.0.0"
	}
	return a.String()
}

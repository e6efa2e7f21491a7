package gprsppp

import (
	"context"

	"github.com/gprsppp/gprsppp/atcompat"
)

var _ atcompat.Network = (*Link)(nil)

// ShimBackend backs the QI* shim (atcompat.Shim) with gprsppp links: a
// host's AT+QIACT takes the current link, and the context ends (+PDP
// DEACT) when that link does. Several hosts share the link.
type ShimBackend struct {
	// Link returns the current link, waiting for one as long as ctx
	// allows: Supervisor.Link, or a function returning a fixed link.
	Link func(ctx context.Context) (*Link, error)
	// Modem is what the shim reports of the modem (AT+CGMI, AT+CSQ, ...);
	// zero fields take the values of a Quectel M95 on a good network.
	Modem atcompat.ModemInfo
}

// Activate implements atcompat.Backend. The APN and credentials were
// given to the link when it was dialled; the host's are not used.
func (b *ShimBackend) Activate(ctx context.Context, apn, user, password string) (atcompat.Network, error) {
	l, err := b.Link(ctx)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Info implements atcompat.Backend.
func (b *ShimBackend) Info(context.Context) atcompat.ModemInfo {
	m := b.Modem
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&m.Manufacturer, "Quectel")
	def(&m.Model, "M95")
	def(&m.Revision, "M95FAR02A08")
	def(&m.IMEI, "860000000000000")
	def(&m.Operator, "gprsppp")
	if m.RSSI == 0 && m.BER == 0 {
		m.RSSI, m.BER = 25, 0
	}
	if m.Registration == 0 {
		m.Registration = 1
	}
	m.SIMReady = true
	return m
}

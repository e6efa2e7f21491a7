package gprsppp

import (
	"context"

	"github.com/gprsppp/gprsppp/shim"
)

var _ shim.Network = (*Link)(nil)

// ShimBackend backs the QI* shim (shim.Shim) with gprsppp links: a
// host's AT+QIACT takes the current link, and the context ends (+PDP
// DEACT) when that link does. Several hosts share the link.
type ShimBackend struct {
	// Supervisor, if set, supplies the links, and what its dials found
	// of the modem: the shim reports the modem as it is (see Info), and
	// AT+QIACT fails at once, rather than wait, while no link is up and
	// the last dial failed.
	Supervisor *Supervisor
	// Link, used when Supervisor is nil, returns the current link,
	// waiting for one as long as ctx allows: a function returning a
	// fixed link, say. It must return at once when ctx is already done.
	Link func(ctx context.Context) (*Link, error)
	// Modem is the identity the shim reports (AT+CGMI, AT+CGSN, ...);
	// zero fields take those of the module the shim's dialect imitates
	// (a Quectel M95's, a BG96's). Its radio fields are not used.
	Modem shim.ModemInfo
}

// Activate implements shim.Backend. The APN and credentials were
// given to the link when it was dialled; the host's are not used.
func (b *ShimBackend) Activate(ctx context.Context, apn, user, password string) (shim.Network, error) {
	link := b.Link
	if b.Supervisor != nil {
		link = func(ctx context.Context) (*Link, error) { return b.Supervisor.link(ctx, true) }
	}
	l, err := link(ctx)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Info implements shim.Backend: the modem's identity, and its radio
// state as the dials found it (see modemInfo). It never waits.
func (b *ShimBackend) Info(context.Context) shim.ModemInfo {
	m := shim.ModemInfo{
		Manufacturer: b.Modem.Manufacturer,
		Model:        b.Modem.Model,
		Revision:     b.Modem.Revision,
		IMEI:         b.Modem.IMEI,
	}
	var st dialState
	if b.Supervisor != nil {
		st = b.Supervisor.dialState()
	} else {
		done, cancel := context.WithCancel(context.Background())
		cancel()
		st.link, _ = b.Link(done)
		st.dialing = st.link == nil // for all the shim knows
	}
	st.modemInfo(&m)
	return m
}

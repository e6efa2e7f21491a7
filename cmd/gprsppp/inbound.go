package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"

	"github.com/gprsppp/gprsppp/forward"
	"github.com/gprsppp/gprsppp/sim"
)

// simClientAddr is the address connect's and shim's built-in simulator
// gives its client (gprsppp.NetworkConfig's default PeerAddr).
var simClientAddr = netip.MustParseAddr("10.64.64.2")

// inboundHelp describes sim's --inbound and connect's and shim's
// --sim-inbound.
const inboundHelp = "[bind:]port:linkport[@source]: the simulated network opens each connection to port here (bind: 127.0.0.1) to linkport on the client's address, from source (default: its own address) (repeatable)"

// parseInbound parses the specs given with flag for a simulator whose
// client has the address client, which no source may take.
func parseInbound(flag string, specs []string, client netip.Addr) ([]forward.Inbound, error) {
	var ins []forward.Inbound
	for _, s := range specs {
		in, err := forward.ParseInbound(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flag, err)
		}
		if in.Source == client {
			return nil, fmt.Errorf("%s %s: the source is the client's own address", flag, s)
		}
		ins = append(ins, in)
	}
	return ins, nil
}

// checkSimInbound checks connect's and shim's --sim-inbound.
func checkSimInbound(f connectFlags) error {
	if len(f.simInbound) > 0 && !f.simulate {
		return errors.New("--sim-inbound needs --sim")
	}
	_, err := parseInbound("--sim-inbound", f.simInbound, simClientAddr)
	return err
}

// openInbound opens the host listeners of the specs given with flag; it
// returns nil when there are none. A bad spec is a usage error, a
// listener that cannot open a listening one.
func openInbound(flag string, specs []string, client netip.Addr, log *slog.Logger) (*sim.Inbound, error) {
	ins, err := parseInbound(flag, specs, client)
	if err != nil {
		return nil, exit(exitUsage, err)
	}
	if len(ins) == 0 {
		return nil, nil
	}
	in, err := sim.ListenInbound(ins, log.With(catKey, catSim))
	if err != nil {
		return nil, exit(exitListen, fmt.Errorf("%s: %w", flag, err))
	}
	return in, nil
}

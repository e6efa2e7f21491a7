package modemsock

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// fallbackDelay is how long the first address family of a name gets
// before the other one is tried alongside it, net.Dialer's default (RFC
// 8305 §5 suggests 250 ms); Core.fallbackDelay.
const fallbackDelay = 300 * time.Millisecond

// dialResult is the outcome of one family's dials.
type dialResult struct {
	conn    net.Conn
	err     error
	primary bool
}

// dialAddrs dials addrs at port: in order when they are of one family,
// else racing the two families as net.Dialer does (Happy Eyeballs, RFC
// 8305): those of the first address's family at once, the others after
// delay or as soon as the first ones have failed. The first connection
// wins; the other attempt is cancelled, waited for, and a connection it
// still made closed. With no connection it returns the first family's
// error.
func dialAddrs(ctx context.Context, n Network, network string, port uint16, addrs []netip.Addr, delay time.Duration) (net.Conn, error) {
	var primaries, fallbacks []netip.Addr
	for _, a := range addrs {
		if a.Is4() == addrs[0].Is4() {
			primaries = append(primaries, a)
		} else {
			fallbacks = append(fallbacks, a)
		}
	}
	if len(fallbacks) == 0 {
		return dialSerial(ctx, n, network, port, addrs)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan dialResult, 2)
	race := func(primary bool, addrs []netip.Addr) {
		c, err := dialSerial(ctx, n, network, port, addrs)
		results <- dialResult{c, err, primary}
	}
	go race(true, primaries)
	timer := time.NewTimer(delay)
	defer timer.Stop()
	var primaryErr, fallbackErr error
	started, pending := false, 1
	startFallback := func() {
		if !started {
			started = true
			pending++
			go race(false, fallbacks)
		}
	}
	for pending > 0 {
		select {
		case <-timer.C:
			startFallback()
		case r := <-results:
			pending--
			if r.err == nil {
				cancel()
				for ; pending > 0; pending-- {
					if l := <-results; l.conn != nil {
						l.conn.Close()
					}
				}
				return r.conn, nil
			}
			if r.primary {
				primaryErr = r.err
				startFallback()
			} else {
				fallbackErr = r.err
			}
		}
	}
	if primaryErr != nil {
		return nil, primaryErr
	}
	return nil, fallbackErr
}

package netstack

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// fallbackDelay is how long the first address family gets before the
// other one is tried alongside it, net.Dialer's default (RFC 8305 §5
// suggests 250 ms).
const fallbackDelay = 300 * time.Millisecond

// dialParallel races two address families as net.Dialer does (Happy
// Eyeballs, RFC 8305): primaries (normally IPv6) at once, fallbacks
// (IPv4) after delay (DialContext gives fallbackDelay) or as soon as the
// primaries have failed.
// The first connection wins; the other attempt is cancelled and a
// connection it still makes is closed.
func (s *Stack) dialParallel(ctx context.Context, network string, port uint16, primaries, fallbacks []netip.Addr, delay time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result, 2)
	race := func(primary bool, addrs []netip.Addr) {
		c, err := s.dialSerial(ctx, network, port, addrs)
		results <- result{c, err, primary}
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
				// The loser's connection, if any, is closed as it comes.
				go closeLosers(results, pending)
				return r.c, nil
			}
			if r.primary {
				primaryErr = r.err
				s.log.Debug("netstack: first address family failed, trying the other", "err", r.err)
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

// result is one family's outcome in dialParallel.
type result struct {
	c       net.Conn
	err     error
	primary bool
}

// closeLosers closes the connections of the n attempts still running.
func closeLosers(ch <-chan result, n int) {
	for range n {
		if r := <-ch; r.c != nil {
			r.c.Close()
		}
	}
}

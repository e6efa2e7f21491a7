package sim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/forward"
)

// inboundDialTimeout bounds how long a connection toward the client may
// take to open, while the host's connection waits.
const inboundDialTimeout = 30 * time.Second

// errNoCall refuses a host connection that comes between calls.
var errNoCall = errors.New("sim: no call is up")

// Inbound lets the simulated network originate connections toward the
// client, so that the client's listening sockets can be tried: for each
// forward.Inbound it listens on the host, and opens each connection it
// accepts from the network side of the call that is up (from Source, by
// default the network side's own address) to LinkPort on the address
// the client was given, relaying both ways with half-closes until either
// side ends. Between calls, host connections are closed at once, with a
// log line; one that comes while a call's PPP is being negotiated waits
// for it. A modem uses it when it is Services.Inbound; its network side
// then owns every Source too (gprsppp.NetworkConfig.ExtraAddrs), none of
// which may be the client's address. It serves one call at a time: the
// last to come up.
type Inbound struct {
	specs  []forward.Inbound
	log    *slog.Logger
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	mu   sync.Mutex
	call *inboundCall // the call being set up or up; nil between calls
}

// ListenInbound opens a TCP listener on the host for each of specs and
// serves them until Close. It fails, leaving nothing open, if one cannot
// be opened. log receives a line for each refused connection and, at
// debug level, one for each relayed connection that ends; nil is
// silent.
func ListenInbound(specs []forward.Inbound, log *slog.Logger) (*Inbound, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lns := make([]net.Listener, 0, len(specs))
	for _, spec := range specs {
		ln, err := net.Listen("tcp", spec.Bind.String())
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("sim: inbound %v: %w", spec, err)
		}
		lns = append(lns, ln)
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := &Inbound{specs: specs, log: log, cancel: cancel}
	for i, spec := range specs {
		in.wg.Add(1)
		go in.routineServe(ctx, lns[i], spec)
	}
	return in, nil
}

// routineServe serves one host listener until Close.
func (in *Inbound) routineServe(ctx context.Context, ln net.Listener, spec forward.Inbound) {
	defer in.wg.Done()
	dial := func(ctx context.Context) (net.Conn, error) { return in.dial(ctx, spec) }
	if err := forward.ServeInbound(ctx, ln, spec, dial, in.log); err != nil {
		in.log.Error("sim: inbound listener stopped", "inbound", spec.String(), "err", err)
	}
}

// Close closes the listeners and every relayed connection and waits for
// them. It is idempotent.
func (in *Inbound) Close() error {
	in.once.Do(func() {
		in.cancel()
		in.wg.Wait()
	})
	return nil
}

// sources returns the addresses that connections come from, besides the
// network side's own.
func (in *Inbound) sources() []netip.Addr {
	var srcs []netip.Addr
	for _, spec := range in.specs {
		if spec.Source.IsValid() {
			srcs = append(srcs, spec.Source)
		}
	}
	return srcs
}

// inboundCall is a call as Inbound sees it: being set up, then up.
type inboundCall struct {
	ready chan struct{} // closed once PPP is up (link set) or the call failed
	once  sync.Once
	link  *gprsppp.Link // the call's network side; written before ready closes
}

// begin registers a call whose PPP is being negotiated: connections that
// come meanwhile wait for it. Call up when it is up, and end when it
// ends. A nil Inbound does nothing.
func (in *Inbound) begin() *inboundCall {
	c := &inboundCall{ready: make(chan struct{})}
	if in == nil {
		return c
	}
	in.mu.Lock()
	in.call = c
	in.mu.Unlock()
	return c
}

// up makes l, the network side of c, the one connections are opened from.
func (c *inboundCall) up(l *gprsppp.Link) {
	c.once.Do(func() {
		c.link = l
		close(c.ready)
	})
}

// end unregisters c: connections are refused again.
func (in *Inbound) end(c *inboundCall) {
	c.once.Do(func() { close(c.ready) })
	if in == nil {
		return
	}
	in.mu.Lock()
	if in.call == c {
		in.call = nil
	}
	in.mu.Unlock()
}

// dial opens spec's connection toward the client of the call that is up,
// waiting for a call being set up.
func (in *Inbound) dial(ctx context.Context, spec forward.Inbound) (net.Conn, error) {
	in.mu.Lock()
	c := in.call
	in.mu.Unlock()
	if c == nil {
		return nil, errNoCall
	}
	ctx, cancel := context.WithTimeout(ctx, inboundDialTimeout)
	defer cancel()
	select {
	case <-c.ready:
	case <-ctx.Done():
		return nil, fmt.Errorf("sim: waiting for the call: %w", ctx.Err())
	}
	if c.link == nil {
		return nil, errNoCall
	}
	conn, err := c.link.DialTCPFrom(ctx, spec.Source, netip.AddrPortFrom(c.link.PeerAddr(), spec.LinkPort))
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	return conn, nil
}

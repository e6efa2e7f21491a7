package sim

import (
	"context"
	"io"
	"slices"
	"sync"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/clock"
)

// call is a packet data call: the network side of PPP, with the
// services behind it, on the line.
type call struct {
	network gprsppp.NetworkConfig // as the context's PDP type shapes it
	port    *dataPort
	ctx     context.Context
	cancel  context.CancelFunc
	started bool          // routineCall runs
	done    chan struct{} // closed when routineCall has finished
	drop    clock.Timer   // DropAfter, if set
}

// end releases the call as a radio loss does: the port is closed first,
// so that nothing PPP sends from now on (LCP Terminate-Request) reaches
// the line.
func (c *call) end() {
	c.port.Close()
	c.cancel()
	if c.drop != nil {
		c.drop.Stop()
	}
}

// newCall prepares a call; resume starts it once CONNECT is on the line.
func (d *dce) newCall() {
	ctx, cancel := context.WithCancel(context.Background())
	d.call = &call{network: d.m.cfg.Network, port: newDataPort(d), ctx: ctx, cancel: cancel, done: make(chan struct{})}
}

// resume connects the line to the call once CONNECT has been written:
// the first time it starts PPP, after ATO it lets PPP write again.
func (d *dce) resume() {
	c := d.call
	c.port.setOnline(true)
	if c.started {
		return
	}
	c.started = true
	if dur := d.m.cfg.DropAfter; dur > 0 {
		c.drop = d.after(dur, event{drop: c})
	}
	d.wg.Add(1)
	go d.routineCall(c)
}

// routineCall runs PPP and the services until the link ends or the call
// is released.
func (d *dce) routineCall(c *call) {
	defer d.wg.Done()
	defer close(c.done)
	log := d.m.log
	var srv *Server
	network := c.network
	inbound := d.m.cfg.Services.Inbound
	if inbound != nil {
		// Connections toward the client may come from other hosts.
		network.ExtraAddrs = append(slices.Clone(network.ExtraAddrs), inbound.sources()...)
	}
	// Registered before PPP starts: the client may be up, and a host
	// connect toward it, before this side's OpenNetwork returns.
	ic := inbound.begin()
	defer inbound.end(ic)
	// The services listen before the first packet from the client
	// arrives, so that its first connection finds them.
	ready := network.Ready
	network.Ready = func(l *gprsppp.Link) (err error) {
		if srv, err = Serve(l, d.m.cfg.Services); err != nil || ready == nil {
			return err
		}
		return ready(l)
	}
	link, err := gprsppp.OpenNetwork(c.ctx, c.port, network)
	if err != nil {
		log.Info("modem: call failed", "err", err)
		return
	}
	log.Info("modem: call up", "local", link.LocalAddr(), "peer", link.PeerAddr())
	ic.up(link)
	select {
	case <-link.Done():
	case <-c.ctx.Done():
	}
	link.Close()
	if srv != nil {
		srv.Close()
	}
	log.Info("modem: call ended", "reason", link.Err())
}

// hangup releases the call, if any, and waits for it.
func (d *dce) hangup() {
	c := d.call
	if c == nil {
		return
	}
	d.m.log.Info("modem: hanging up")
	d.leaveCall()
	c.end()
	if c.started {
		<-c.done
	}
}

// callEnded handles the end of the call's PPP link: the carrier is lost.
func (d *dce) callEnded() {
	d.call.end()
	d.leaveCall()
	d.noCarrier()
}

// leaveCall returns to command mode without a call.
func (d *dce) leaveCall() {
	d.call = nil
	d.shared.releaseCall()
	d.eng.Hangup()
}

// dataPort is the line as a call's PPP sees it, the wrapper that keeps
// the line open: Close only ends the call's use of the line. While the
// modem is in online command mode (after an escape), writes are
// discarded, as they would be lost on the air, and reads wait.
type dataPort struct {
	d       *dce
	in      chan []byte   // bytes from the line, from the loop
	pending []byte        // the rest of the last chunk; owned by Read's caller
	gone    chan struct{} // closed by Close
	once    sync.Once

	// Guarded by d.wmu.
	online bool // writes reach the line
}

var _ io.ReadWriteCloser = (*dataPort)(nil)

func newDataPort(d *dce) *dataPort {
	return &dataPort{d: d, in: make(chan []byte, 8), gone: make(chan struct{})}
}

// deliver queues bytes from the line for Read, blocking while the queue
// is full (the line's flow control) unless the port or ctx closes.
func (p *dataPort) deliver(ctx context.Context, b []byte) {
	select {
	case p.in <- b:
	case <-p.gone:
	case <-ctx.Done():
	}
}

func (p *dataPort) setOnline(on bool) {
	p.d.wmu.Lock()
	p.online = on
	p.d.wmu.Unlock()
}

// Read returns bytes from the line; io.EOF once the port is closed.
func (p *dataPort) Read(b []byte) (int, error) {
	if len(p.pending) == 0 {
		select {
		case p.pending = <-p.in:
		case <-p.gone:
			return 0, io.EOF
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// Write writes to the line in data mode and discards b in online command
// mode; it fails with io.ErrClosedPipe once the port is closed.
func (p *dataPort) Write(b []byte) (int, error) {
	p.d.wmu.Lock()
	defer p.d.wmu.Unlock()
	select {
	case <-p.gone:
		return 0, io.ErrClosedPipe
	default:
	}
	if !p.online {
		return len(b), nil
	}
	return p.d.line.Write(b)
}

// Close ends the port's use of the line, which stays open. It is
// idempotent.
func (p *dataPort) Close() error {
	p.once.Do(func() { close(p.gone) })
	return nil
}

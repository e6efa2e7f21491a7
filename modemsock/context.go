package modemsock

import (
	"context"
	"fmt"
	"time"
)

// Context is a packet data context: the Network its sockets run on, once
// activated, watched for loss (EventContextLost).
type Context struct {
	// Data is the embedder's; the core does not touch it.
	Data any

	core       *Core
	net        Network
	gen        int // bumped whenever the network is dropped
	activating []func(error)
	stopWatch  context.CancelFunc
}

// NewContext returns an inactive context.
func (c *Core) NewContext() *Context { return &Context{core: c} }

// Network is the context's network, nil while it is not active.
func (x *Context) Network() Network { return x.net }

// Activating reports an activation under way.
func (x *Context) Activating() bool { return len(x.activating) > 0 }

// Activate calls then once the context has a network: at once if it is
// active, else when the activation through a (with apn, user and password,
// bounded by timeout) ends; a call while one is under way joins it. Each
// then runs on the embedder's goroutine, in the order given, with nil or
// the activation's error.
func (x *Context) Activate(a Activator, apn, user, password string, timeout time.Duration, then func(error)) {
	if x.net != nil {
		then(nil)
		return
	}
	x.activating = append(x.activating, then)
	if len(x.activating) > 1 {
		return
	}
	gen := x.gen
	x.core.Go(func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		n, err := a.Activate(ctx, apn, user, password)
		return func() { x.activated(gen, n, err) }
	})
}

func (x *Context) activated(gen int, n Network, err error) {
	if gen != x.gen {
		return // deactivated meanwhile; the backend's context is shared
	}
	waiting := x.activating
	x.activating = nil
	if err != nil {
		x.core.cfg.Logger.Debug("modemsock: activation failed", "err", err)
		err = fmt.Errorf("modemsock: activate: %w", err)
	} else {
		x.net = n
		x.watch(n)
	}
	for _, f := range waiting {
		f(err)
	}
}

// watch reports EventContextLost when n goes away.
func (x *Context) watch(n Network) {
	ctx, cancel := context.WithCancel(x.core.ctx)
	x.stopWatch = cancel
	gen := x.gen
	x.core.wg.Add(1)
	go func() {
		defer x.core.wg.Done()
		select {
		case <-n.Done():
			x.core.cfg.Post(func() {
				if x.gen == gen {
					x.Deactivate(nil)
					x.core.emit(Event{Kind: EventContextLost, Context: x})
				}
			})
		case <-ctx.Done():
		}
	}()
}

// Deactivate drops the context's network; activations waiting get err.
// The sockets on it are the embedder's to close.
func (x *Context) Deactivate(err error) {
	x.gen++
	if x.stopWatch != nil {
		x.stopWatch()
		x.stopWatch = nil
	}
	x.net = nil
	waiting := x.activating
	x.activating = nil
	for _, f := range waiting {
		f(err)
	}
}

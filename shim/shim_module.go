package shim

import (
	"context"
	"reflect"

	"github.com/gprsppp/gprsppp/modemsock"
)

// shimModule is one emulated module: its AT ports (sessions, each with
// its own command line, settings and data mode) and what they share, the
// socket core and the dialect's module-wide state. One goroutine, the
// module loop (run), owns all of it; the ports' readers, the socket core
// and the timers post to it on ev.
type shimModule struct {
	ctx   context.Context
	ev    chan func()
	socks *modemsock.Core // made by the first port, which renders its events
	ports []*shimSession
	// shared is the personality's module-wide state, made by the first
	// port's personality and found there by the others (Telit's sockets).
	shared any
}

func newShimModule(ctx context.Context, _ *Shim) *shimModule {
	return &shimModule{ctx: ctx, ev: make(chan func(), shimEventQueue)}
}

// run is the module loop. A port whose command holds the line (its engine
// is suspended) is not read, so that its host waits, as on a module.
func (m *shimModule) run() error {
	for _, p := range m.ports {
		go p.routineRead()
	}
	if err := m.flush(); err != nil {
		return err
	}
	// Cases: ctx, ev, then one per port.
	cases := make([]reflect.SelectCase, 2+len(m.ports))
	cases[0] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(m.ctx.Done())}
	cases[1] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(m.ev)}
	for {
		for i, p := range m.ports {
			cases[2+i] = reflect.SelectCase{Dir: reflect.SelectRecv}
			if !p.e.Suspended() {
				cases[2+i].Chan = reflect.ValueOf(p.in)
			}
		}
		k, v, ok := reflect.Select(cases)
		switch {
		case k == 0:
			return m.ctx.Err()
		case k == 1:
			v.Interface().(func())()
		case !ok:
			return m.ports[k-2].inErr
		default:
			m.ports[k-2].input(v.Interface().([]byte))
		}
		if err := m.flush(); err != nil {
			return err
		}
	}
}

// flush writes every port's pending output.
func (m *shimModule) flush() error {
	for _, p := range m.ports {
		if err := p.flush(); err != nil {
			return err
		}
	}
	return nil
}

// shutdown closes everything the hosts opened and waits for the
// goroutines.
func (m *shimModule) shutdown() {
	for _, p := range m.ports {
		p.closePort()
	}
	if len(m.ports) > 0 {
		m.ports[0].pers.shutdown()
	}
	if m.socks != nil {
		m.socks.Close()
	}
	for _, p := range m.ports {
		p.wg.Wait()
	}
}

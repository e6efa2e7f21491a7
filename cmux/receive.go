package cmux

import "fmt"

// receive handles a frame from the peer. The P/F bit is ignored (BG96
// sends UIH with P set) and so is C/R on data: modems set it either way.
func (m *Mux) receive(f Frame) {
	if f.DLCI != 0 && (f.Type == UIH || f.Type == UI) {
		m.data(f)
		return
	}
	m.log.Debug("cmux: receive", "frame", f)
	switch f.Type {
	case SABM:
		m.onSABM(f)
	case UA:
		m.onUA(f)
	case DM:
		m.onDM(f)
	case DISC:
		m.onDISC(f)
	case UIH, UI:
		if m.ctrl == dlcOpen || m.ctrl == dlcClosing {
			m.control(f.Info)
		} else {
			m.stats.closedDLC.Add(1)
		}
	default:
		m.stats.unknown.Add(1)
	}
}

// data hands a data frame to its channel; a DLC that is not open
// answers DM, as n_gsm does.
func (m *Mux) data(f Frame) {
	d := m.dlcs[f.DLCI]
	if d == nil || d.ch == nil || (d.state != dlcOpen && d.state != dlcClosing) {
		m.stats.closedDLC.Add(1)
		if d == nil {
			m.respond(f.DLCI, DM)
		}
		return
	}
	if d.state == dlcClosing {
		return // data racing our DISC
	}
	throttle, dropped := d.ch.push(f.Info)
	if dropped {
		m.stats.rxDropped.Add(uint64(len(f.Info)))
		m.log.Debug("cmux: channel buffer full, data dropped", "dlci", f.DLCI, "octets", len(f.Info))
	}
	if throttle {
		m.syncFC(d)
	}
}

// onSABM opens a DLC for the initiator. The initiator itself ignores
// SABM: right after AT+CMUX a modem may still echo, and the SABM the
// initiator sent comes back.
func (m *Mux) onSABM(f Frame) {
	if m.initiator {
		m.stats.unknown.Add(1)
		return
	}
	if m.closing {
		m.respond(f.DLCI, DM)
		return
	}
	if f.DLCI == 0 {
		m.ctrl = dlcOpen
		m.respond(0, UA)
		return
	}
	if d := m.dlcs[f.DLCI]; d != nil {
		if d.state == dlcOpen {
			m.respond(f.DLCI, UA) // our UA was lost
		} else {
			m.respond(f.DLCI, DM)
		}
		return
	}
	n1 := m.cfg.N1
	if m.peerN1[f.DLCI] > 0 {
		n1 = m.peerN1[f.DLCI]
	}
	d := &dlc{dlci: f.DLCI, n1: n1}
	m.dlcs[f.DLCI] = d
	m.respond(f.DLCI, UA)
	m.opened(d)
	select {
	case m.accepts <- d.ch:
	default:
		m.log.Info("cmux: too many channels waiting for Accept, closing", "dlci", f.DLCI)
		m.startDISC(d, errClosedHere)
	}
}

// onUA completes an open or a close.
func (m *Mux) onUA(f Frame) {
	if f.DLCI == 0 {
		switch m.ctrl {
		case dlcOpening:
			m.ctrlRetry.stop()
			m.ctrl = dlcOpen
			m.log.Debug("cmux: DLCI 0 open")
			for _, d := range m.dlcs {
				if d != nil && d.state == dlcWaitControl {
					m.negotiate(d)
				}
			}
		case dlcClosing:
			m.finish(ErrMuxClosed)
		}
		return
	}
	d := m.dlcs[f.DLCI]
	switch {
	case d == nil:
		m.stats.closedDLC.Add(1)
	case d.state == dlcOpening:
		m.opened(d)
	case d.state == dlcClosing:
		m.dropDLC(d, errClosedHere)
	}
}

// onDM refuses an open, confirms a close or reports a DLC the peer no
// longer has.
func (m *Mux) onDM(f Frame) {
	if f.DLCI == 0 {
		switch m.ctrl {
		case dlcOpening:
			m.finish(fmt.Errorf("%w on DLCI 0", ErrRefused))
		case dlcClosing:
			m.finish(ErrMuxClosed)
		case dlcOpen:
			m.finish(fmt.Errorf("%w: DM on DLCI 0", ErrClosedByPeer))
		}
		return
	}
	d := m.dlcs[f.DLCI]
	switch {
	case d == nil:
		m.stats.closedDLC.Add(1)
	case d.state == dlcOpening:
		m.dropDLC(d, fmt.Errorf("%w on DLCI %d", ErrRefused, f.DLCI))
	case d.state == dlcClosing:
		m.dropDLC(d, errClosedHere)
	case d.state == dlcOpen:
		m.dropDLC(d, fmt.Errorf("%w: DM on DLCI %d", ErrDisconnected, f.DLCI))
	}
}

// onDISC closes a DLC, or the multiplexer on DLCI 0.
func (m *Mux) onDISC(f Frame) {
	if f.DLCI == 0 {
		if m.ctrl != dlcOpen && m.ctrl != dlcClosing {
			m.respond(0, DM)
			return
		}
		m.respond(0, UA)
		m.finish(fmt.Errorf("%w: DISC on DLCI 0", ErrClosedByPeer))
		return
	}
	d := m.dlcs[f.DLCI]
	if d == nil || (d.state != dlcOpen && d.state != dlcClosing) {
		m.respond(f.DLCI, DM)
		return
	}
	m.respond(f.DLCI, UA)
	if d.state == dlcClosing {
		m.dropDLC(d, errClosedHere)
		return
	}
	m.dropDLC(d, fmt.Errorf("%w: DISC on DLCI %d", ErrDisconnected, f.DLCI))
}

// shutdown starts Close: DISC on every open DLC, then CLD.
func (m *Mux) shutdown() {
	if m.closing || m.ended {
		return
	}
	m.closing = true
	m.log.Debug("cmux: closing")
	for _, d := range m.dlcs {
		switch {
		case d == nil:
		case d.state == dlcOpen:
			m.startDISC(d, ErrMuxClosed)
		case d.state != dlcClosing:
			m.dropDLC(d, ErrMuxClosed)
		}
	}
	m.closedOne()
}

// closedOne sends CLD once Close has closed every DLC.
func (m *Mux) closedOne() {
	if !m.closing || m.ended {
		return
	}
	for _, d := range m.dlcs {
		if d != nil {
			return
		}
	}
	if m.ctrl != dlcOpen {
		m.finish(ErrMuxClosed)
		return
	}
	// No retransmission and at most T2 for the response: n_gsm 6.1
	// sends none.
	m.ctrl = dlcClosing
	m.request(Message{Type: MsgCLD, Command: true}, 0, func(Message, error) {
		m.finish(ErrMuxClosed)
	})
}

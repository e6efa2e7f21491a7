package ppp

// Handler receives the information field of a frame of one protocol.
type Handler func(info []byte)

// Demux dispatches received packets on the Protocol field to the handler
// registered for it, after pppd's protent table. Packets of protocols with
// no handler go to Reject, which answers them with an LCP
// Protocol-Reject (RFC 1661 §5.7); the registry itself knows nothing of
// LCP. A Demux is used from one goroutine.
type Demux struct {
	handlers map[Protocol]Handler
	// Reject receives packets of unregistered protocols.
	Reject func(p Protocol, info []byte)
}

// Register sets the handler of protocol p.
func (d *Demux) Register(p Protocol, h Handler) {
	if d.handlers == nil {
		d.handlers = make(map[Protocol]Handler)
	}
	d.handlers[p] = h
}

// Input dispatches one packet.
func (d *Demux) Input(p Protocol, info []byte) {
	if h, ok := d.handlers[p]; ok {
		h(info)
		return
	}
	if d.Reject != nil {
		d.Reject(p, info)
	}
}

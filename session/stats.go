package session

import "sync/atomic"

// Stats counts a link's traffic and the damage it saw.
type Stats struct {
	// FramesIn and OctetsIn count good frames received and their octets.
	FramesIn, OctetsIn uint64
	// FramesOut and OctetsOut count frames sent and their encoded octets.
	FramesOut, OctetsOut uint64
	// IPIn and IPOut count IPv4 packets carried.
	IPIn, IPOut uint64
	// FCSErrors, Aborts, TooLong and Runts count frames dropped by the
	// unframer; Garbage counts octets outside any frame.
	FCSErrors, Aborts, TooLong, Runts, Garbage uint64
	// BadHeaders counts frames with an invalid address, control or
	// protocol field.
	BadHeaders uint64
	// ControlDrops counts control packets dropped because the protocol
	// loop was busy; IPDrops counts IPv4 packets dropped because IPCP was
	// not Opened or no handler was set.
	ControlDrops, IPDrops uint64
	// QueueDrops counts IPv4 packets dropped because the output queue
	// was full.
	QueueDrops uint64
	// WriteErrors counts failed writes to the line.
	WriteErrors uint64
	// CodeRejectsIgnored counts LCP and IPCP Code-Rejects of codes this
	// side never sends or can do without (RFC 1661 §5.6): a confused
	// peer's, logged at debug level and otherwise ignored.
	CodeRejectsIgnored uint64
}

type counters struct {
	framesOut, octetsOut, ipIn, ipOut              atomic.Uint64
	badHeaders, controlDrops, ipDrops, writeErrors atomic.Uint64
	queueDrops                                     atomic.Uint64
}

// Stats returns the link's counters.
func (s *Session) Stats() Stats {
	d := &s.dec.Stats
	return Stats{
		FramesIn: d.Frames.Load(), OctetsIn: d.Octets.Load(),
		FramesOut: s.stats.framesOut.Load(), OctetsOut: s.stats.octetsOut.Load(),
		IPIn: s.stats.ipIn.Load(), IPOut: s.stats.ipOut.Load(),
		FCSErrors: d.FCSErrors.Load(), Aborts: d.Aborts.Load(), TooLong: d.TooLong.Load(),
		Runts: d.Runts.Load(), Garbage: d.Garbage.Load(),
		BadHeaders: s.stats.badHeaders.Load(), ControlDrops: s.stats.controlDrops.Load(),
		IPDrops: s.stats.ipDrops.Load(), QueueDrops: s.stats.queueDrops.Load(),
		WriteErrors:        s.stats.writeErrors.Load(),
		CodeRejectsIgnored: s.lcp.CodeRejectsIgnored() + s.ipcp.CodeRejectsIgnored(),
	}
}

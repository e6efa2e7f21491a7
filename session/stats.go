package session

import (
	"sync/atomic"
	"time"
)

// Stats counts a link's traffic and the damage it saw.
type Stats struct {
	// FramesIn and OctetsIn count good frames received and their octets.
	FramesIn uint64 `json:"frames_in"`
	OctetsIn uint64 `json:"octets_in"`
	// FramesOut and OctetsOut count frames sent and their encoded octets.
	FramesOut uint64 `json:"frames_out"`
	OctetsOut uint64 `json:"octets_out"`
	// IPIn and IPOut count IP packets carried, IPv4 and IPv6.
	IPIn  uint64 `json:"ip_in"`
	IPOut uint64 `json:"ip_out"`
	// FCSErrors, Aborts, TooLong and Runts count frames dropped by the
	// unframer; Garbage counts octets outside any frame.
	FCSErrors uint64 `json:"fcs_errors"`
	Aborts    uint64 `json:"aborts"`
	TooLong   uint64 `json:"too_long"`
	Runts     uint64 `json:"runts"`
	Garbage   uint64 `json:"garbage"`
	// BadHeaders counts frames with an invalid address, control or
	// protocol field.
	BadHeaders uint64 `json:"bad_headers"`
	// ControlDrops counts control packets dropped because the protocol
	// loop was busy; IPDrops counts IPv4 packets dropped because IPCP was
	// not Opened or no handler was set.
	ControlDrops uint64 `json:"control_drops"`
	IPDrops      uint64 `json:"ip_drops"`
	// QueueDrops counts IPv4 packets dropped because the output queue
	// was full (QueueLen) or they had waited MaxQueueDelay.
	QueueDrops uint64 `json:"queue_drops"`
	// CodelDrops counts IPv4 packets the output queue's CoDel dropped
	// from a flow whose packets waited too long (see writer).
	CodelDrops uint64 `json:"codel_drops"`
	// ACKsFiltered counts TCP pure ACKs the output queue dropped for a
	// newer ACK of their connection that replaced them (see flowQueue).
	ACKsFiltered uint64 `json:"acks_filtered"`
	// PeakQueueDelay is the longest an IPv4 packet that reached the line
	// waited in the output queue (not in the buffers below it: the
	// line's driver's, the modem's); zero if none was sent.
	PeakQueueDelay time.Duration `json:"peak_queue_delay_ns"`
	// WriteErrors counts failed writes to the line.
	WriteErrors uint64 `json:"write_errors"`
	// CodeRejectsIgnored counts LCP and IPCP Code-Rejects of codes this
	// side never sends or can do without (RFC 1661 §5.6): a confused
	// peer's, logged at debug level and otherwise ignored.
	CodeRejectsIgnored uint64 `json:"code_rejects_ignored"`
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
		IPDrops: s.stats.ipDrops.Load(), QueueDrops: s.stats.queueDrops.Load() + s.w.fq.overflows.Load(),
		CodelDrops: s.w.fq.codelDrops.Load(), ACKsFiltered: s.w.fq.acksDropped.Load(),
		PeakQueueDelay:     time.Duration(s.w.peakDelay.Load()),
		WriteErrors:        s.stats.writeErrors.Load(),
		CodeRejectsIgnored: s.codeRejectsIgnored(),
	}
}

// codeRejectsIgnored sums LCP's and IPCP's count, for the protocols the
// session has (a Session made only for its writer, in tests, has none).
func (s *Session) codeRejectsIgnored() uint64 {
	var n uint64
	if s.lcp != nil {
		n += s.lcp.CodeRejectsIgnored()
	}
	if s.ipv6cp != nil {
		n += s.ipv6cp.CodeRejectsIgnored()
	}
	if s.ipcp != nil {
		n += s.ipcp.CodeRejectsIgnored()
	}
	return n
}

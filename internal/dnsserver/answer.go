package dnsserver

import (
	"net/netip"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

const (
	// ttl is the lifetime, in seconds, given to every record served.
	ttl = 60
	// maxUDPSize is the classic UDP message limit (RFC 1035 §4.2.1). The
	// server ignores EDNS(0), so longer UDP answers are truncated and the
	// client retries over TCP.
	maxUDPSize = 512
	// maxTCPSize is the largest message the TCP length prefix allows.
	maxTCPSize = 65535
)

// answer builds the reply to one query message, no longer than limit
// bytes. It returns nil when no reply should be sent: the message is too
// short to carry an ID, or it is itself a reply.
//
// Replies follow RFC 1035 §4.1.1: NOTIMP for opcodes other than QUERY,
// FORMERR unless there is exactly one parsable question, REFUSED for
// classes other than IN, NXDOMAIN for unknown names, and an authoritative
// answer (possibly empty for types other than A) for known ones.
func (s *Server) answer(query []byte, limit int) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil || h.Response {
		return nil
	}
	rh := dnsmessage.Header{
		ID:               h.ID,
		Response:         true,
		OpCode:           h.OpCode,
		RecursionDesired: h.RecursionDesired,
	}
	if h.OpCode != 0 {
		rh.RCode = dnsmessage.RCodeNotImplemented
		return build(rh, nil, nil)
	}
	qs, err := p.AllQuestions()
	if err != nil || len(qs) != 1 {
		rh.RCode = dnsmessage.RCodeFormatError
		return build(rh, nil, nil)
	}
	q := &qs[0]
	if q.Class != dnsmessage.ClassINET {
		rh.RCode = dnsmessage.RCodeRefused
		return build(rh, q, nil)
	}
	rh.Authoritative = true
	addrs, ok := s.Records[strings.ToLower(strings.TrimSuffix(q.Name.String(), "."))]
	if !ok {
		rh.RCode = dnsmessage.RCodeNameError
		return build(rh, q, nil)
	}
	if q.Type != dnsmessage.TypeA && q.Type != dnsmessage.TypeAAAA && q.Type != dnsmessage.TypeALL {
		return build(rh, q, nil) // the name exists, without data of this type
	}
	resp := build(rh, q, addrs)
	if len(resp) > limit {
		rh.Truncated = true
		resp = build(rh, q, nil)
	}
	return resp
}

// build encodes a reply with question q (if any) and one A record per
// IPv4 address in addrs for an A question, one AAAA record per IPv6
// address for an AAAA question, and both for ANY. It returns nil if
// encoding fails, which a parsed question cannot cause.
func build(h dnsmessage.Header, q *dnsmessage.Question, addrs []netip.Addr) []byte {
	b := dnsmessage.NewBuilder(make([]byte, 0, maxUDPSize), h)
	b.EnableCompression()
	if q == nil {
		msg, _ := b.Finish()
		return msg
	}
	if b.StartQuestions() != nil || b.Question(*q) != nil || b.StartAnswers() != nil {
		return nil
	}
	rr := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: ttl}
	for _, a := range addrs {
		var err error
		switch a = a.Unmap(); {
		case a.Is4() && q.Type != dnsmessage.TypeAAAA:
			err = b.AResource(rr, dnsmessage.AResource{A: a.As4()})
		case a.Is6() && q.Type != dnsmessage.TypeA:
			err = b.AAAAResource(rr, dnsmessage.AAAAResource{AAAA: a.As16()})
		}
		if err != nil {
			return nil
		}
	}
	msg, err := b.Finish()
	if err != nil {
		return nil
	}
	return msg
}

package netstack

import (
	"errors"
	"net/netip"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

var (
	// errMismatch marks a datagram that is not the answer to our query
	// (wrong ID or question); the resolver keeps waiting for the real one.
	errMismatch = errors.New("netstack: DNS reply does not match the query")
	// errMalformed marks a reply that cannot be parsed.
	errMalformed = errors.New("netstack: malformed DNS reply")
)

// maxCNAMEHops bounds how many CNAME records are followed within one
// answer, so a looping chain cannot keep the parser busy.
const maxCNAMEHops = 8

// dnsAnswer is what one reply says about an A question (RFC 1035 §4.1).
type dnsAnswer struct {
	rcode     dnsmessage.RCode
	truncated bool
	addrs     []netip.Addr
}

// aQuestion returns the A/IN question for host, which is treated as fully
// qualified: no search domains are appended.
func aQuestion(host string) (dnsmessage.Question, error) {
	return question(host, dnsmessage.TypeA)
}

// question returns the question of type typ (A or AAAA) for host, as
// aQuestion.
func question(host string, typ dnsmessage.Type) (dnsmessage.Question, error) {
	if host == "" {
		return dnsmessage.Question{}, errors.New("netstack: empty DNS name")
	}
	if !strings.HasSuffix(host, ".") {
		host += "."
	}
	name, err := dnsmessage.NewName(host)
	if err != nil {
		return dnsmessage.Question{}, err
	}
	q := dnsmessage.Question{Name: name, Type: typ, Class: dnsmessage.ClassINET}
	// NewName checks only the length; encoding checks the labels.
	if _, err := buildQuery(0, q); err != nil {
		return dnsmessage.Question{}, err
	}
	return q, nil
}

// buildQuery encodes a recursive query for q with the given ID. It has no
// EDNS(0) record, so servers keep UDP replies within 512 bytes and set
// TC when an answer does not fit.
func buildQuery(id uint16, q dnsmessage.Question) ([]byte, error) {
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), dnsmessage.Header{ID: id, RecursionDesired: true})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	return b.Finish()
}

// parseAnswer decodes a reply to the query (id, q). It returns
// errMismatch for a datagram that belongs to some other query, and
// collects the A (or, for an AAAA question, AAAA) records for q's name
// and the CNAME chain starting there.
func parseAnswer(msg []byte, id uint16, q dnsmessage.Question) (dnsAnswer, error) {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return dnsAnswer{}, errMalformed
	}
	if !h.Response || h.ID != id {
		return dnsAnswer{}, errMismatch
	}
	qs, err := p.AllQuestions()
	if err != nil || len(qs) != 1 || !sameQuestion(qs[0], q) {
		return dnsAnswer{}, errMismatch
	}
	ans := dnsAnswer{rcode: h.RCode, truncated: h.Truncated}
	if h.RCode != dnsmessage.RCodeSuccess || h.Truncated {
		return ans, nil
	}
	a, cnames, err := answerRecords(&p)
	if err != nil {
		return dnsAnswer{}, errMalformed
	}
	names := map[string]bool{}
	for n, i := canonical(q.Name), 0; n != "" && i <= maxCNAMEHops && !names[n]; i++ {
		names[n] = true
		n = cnames[n]
	}
	for _, r := range a {
		if names[r.name] && r.addr.Is6() == (q.Type == dnsmessage.TypeAAAA) {
			ans.addrs = append(ans.addrs, r.addr)
		}
	}
	return ans, nil
}

type aRecord struct {
	name string
	addr netip.Addr
}

// answerRecords reads the answer section: IN A and AAAA records, and CNAME targets
// keyed by owner name. Other records are skipped.
func answerRecords(p *dnsmessage.Parser) ([]aRecord, map[string]string, error) {
	var a []aRecord
	cnames := map[string]string{}
	for {
		h, err := p.AnswerHeader()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			return a, cnames, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch {
		case h.Class != dnsmessage.ClassINET:
			err = p.SkipAnswer()
		case h.Type == dnsmessage.TypeA:
			var r dnsmessage.AResource
			if r, err = p.AResource(); err == nil {
				a = append(a, aRecord{canonical(h.Name), netip.AddrFrom4(r.A)})
			}
		case h.Type == dnsmessage.TypeAAAA:
			var r dnsmessage.AAAAResource
			if r, err = p.AAAAResource(); err == nil {
				a = append(a, aRecord{canonical(h.Name), netip.AddrFrom16(r.AAAA)})
			}
		case h.Type == dnsmessage.TypeCNAME:
			var r dnsmessage.CNAMEResource
			if r, err = p.CNAMEResource(); err == nil {
				cnames[canonical(h.Name)] = canonical(r.CNAME)
			}
		default:
			err = p.SkipAnswer()
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

func sameQuestion(a, b dnsmessage.Question) bool {
	return a.Type == b.Type && a.Class == b.Class && canonical(a.Name) == canonical(b.Name)
}

// canonical is the case-folded form of a name (RFC 4343).
func canonical(n dnsmessage.Name) string { return strings.ToLower(n.String()) }

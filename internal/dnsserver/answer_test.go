package dnsserver

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/dns/dnsmessage"
)

var testServer = &Server{Records: map[string][]netip.Addr{
	"modem.example": {netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")},
	"v6.example":    {netip.MustParseAddr("2001:db8::2")},
	"many.example":  manyAddrs(40),
}}

func manyAddrs(n int) []netip.Addr {
	var as []netip.Addr
	for i := range n {
		as = append(as, netip.AddrFrom4([4]byte{198, 51, 100, byte(i + 1)}))
	}
	return as
}

// query encodes a query message; opcode and questions are parameters so
// tests can build odd ones.
func query(id uint16, opcode dnsmessage.OpCode, qs ...dnsmessage.Question) []byte {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id, OpCode: opcode, RecursionDesired: true})
	b.StartQuestions()
	for _, q := range qs {
		b.Question(q)
	}
	msg, err := b.Finish()
	if err != nil {
		panic(err)
	}
	return msg
}

func question(name string, typ dnsmessage.Type) dnsmessage.Question {
	return dnsmessage.Question{Name: dnsmessage.MustNewName(name), Type: typ, Class: dnsmessage.ClassINET}
}

// result is the part of a reply the tests check.
type result struct {
	ID               uint16
	RCode            dnsmessage.RCode
	Authoritative    bool
	Truncated        bool
	RecursionDesired bool
	Questions        []string
	Addrs            []netip.Addr
}

func decode(t *testing.T, msg []byte) *result {
	t.Helper()
	if msg == nil {
		return nil
	}
	var m dnsmessage.Message
	if err := m.Unpack(msg); err != nil {
		t.Fatalf("reply does not parse: %v", err)
	}
	if !m.Header.Response {
		t.Fatal("reply lacks the response bit")
	}
	r := &result{
		ID: m.Header.ID, RCode: m.Header.RCode, Authoritative: m.Header.Authoritative,
		Truncated: m.Header.Truncated, RecursionDesired: m.Header.RecursionDesired,
	}
	for _, q := range m.Questions {
		r.Questions = append(r.Questions, q.Name.String())
	}
	for _, a := range m.Answers {
		switch b := a.Body.(type) {
		case *dnsmessage.AResource:
			r.Addrs = append(r.Addrs, netip.AddrFrom4(b.A))
		case *dnsmessage.AAAAResource:
			r.Addrs = append(r.Addrs, netip.AddrFrom16(b.AAAA))
		}
		if a.Header.Name != m.Questions[0].Name || a.Header.TTL != ttl {
			t.Errorf("answer %v does not echo the question name with TTL %d", a.Header, ttl)
		}
	}
	return r
}

func TestAnswer(t *testing.T) {
	modemQ := question("modem.example.", dnsmessage.TypeA)
	tests := []struct {
		name  string
		query []byte
		limit int
		want  *result
	}{
		{"A record", query(1, 0, modemQ), maxUDPSize, &result{ID: 1, Authoritative: true, RecursionDesired: true,
			Questions: []string{"modem.example."}, Addrs: []netip.Addr{netip.MustParseAddr("192.0.2.1")}}},
		{"name case is ignored and echoed", query(2, 0, question("MODEM.Example.", dnsmessage.TypeA)), maxUDPSize,
			&result{ID: 2, Authoritative: true, RecursionDesired: true,
				Questions: []string{"MODEM.Example."}, Addrs: []netip.Addr{netip.MustParseAddr("192.0.2.1")}}},
		{"ANY", query(3, 0, question("modem.example.", dnsmessage.TypeALL)), maxUDPSize, &result{ID: 3, Authoritative: true,
			RecursionDesired: true, Questions: []string{"modem.example."}, Addrs: []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}}},
		{"unknown name", query(4, 0, question("nope.example.", dnsmessage.TypeA)), maxUDPSize, &result{ID: 4,
			RCode: dnsmessage.RCodeNameError, Authoritative: true, RecursionDesired: true, Questions: []string{"nope.example."}}},
		{"AAAA for a known name", query(5, 0, question("modem.example.", dnsmessage.TypeAAAA)), maxUDPSize,
			&result{ID: 5, Authoritative: true, RecursionDesired: true, Questions: []string{"modem.example."}, Addrs: []netip.Addr{netip.MustParseAddr("2001:db8::1")}}},
		{"name with only IPv6", query(6, 0, question("v6.example.", dnsmessage.TypeA)), maxUDPSize,
			&result{ID: 6, Authoritative: true, RecursionDesired: true, Questions: []string{"v6.example."}}},
		{"too big for UDP", query(7, 0, question("many.example.", dnsmessage.TypeA)), maxUDPSize,
			&result{ID: 7, Authoritative: true, Truncated: true, RecursionDesired: true, Questions: []string{"many.example."}}},
		{"fits TCP", query(8, 0, question("many.example.", dnsmessage.TypeA)), maxTCPSize,
			&result{ID: 8, Authoritative: true, RecursionDesired: true, Questions: []string{"many.example."}, Addrs: manyAddrs(40)}},
		{"opcode STATUS", query(9, 2, modemQ), maxUDPSize,
			&result{ID: 9, RCode: dnsmessage.RCodeNotImplemented, RecursionDesired: true}},
		{"no question", query(10, 0), maxUDPSize, &result{ID: 10, RCode: dnsmessage.RCodeFormatError, RecursionDesired: true}},
		{"two questions", query(11, 0, modemQ, modemQ), maxUDPSize,
			&result{ID: 11, RCode: dnsmessage.RCodeFormatError, RecursionDesired: true}},
		{"class CHAOS", query(12, 0, dnsmessage.Question{Name: modemQ.Name, Type: dnsmessage.TypeA, Class: 3}), maxUDPSize,
			&result{ID: 12, RCode: dnsmessage.RCodeRefused, RecursionDesired: true, Questions: []string{"modem.example."}}},
		{"question cut off", query(13, 0, modemQ)[:20], maxUDPSize,
			&result{ID: 13, RCode: dnsmessage.RCodeFormatError, RecursionDesired: true}},
		{"a reply", func() []byte { b := query(14, 0, modemQ); b[2] |= 0x80; return b }(), maxUDPSize, nil},
		{"shorter than a header", []byte{0, 15, 1}, maxUDPSize, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode(t, testServer.answer(tt.query, tt.limit))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

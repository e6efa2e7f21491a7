package netstack

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/dns/dnsmessage"
)

// reply builds a DNS reply with header h (Response set), question q and
// the given answers.
func reply(t *testing.T, h dnsmessage.Header, q dnsmessage.Question, answers ...dnsmessage.Resource) []byte {
	t.Helper()
	h.Response = true
	msg := dnsmessage.Message{Header: h, Questions: []dnsmessage.Question{q}, Answers: answers}
	b, err := msg.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func aRR(name string, ip string) dnsmessage.Resource {
	return dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(name), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET},
		Body:   &dnsmessage.AResource{A: netip.MustParseAddr(ip).As4()},
	}
}

func cnameRR(name, target string) dnsmessage.Resource {
	return dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(name), Type: dnsmessage.TypeCNAME, Class: dnsmessage.ClassINET},
		Body:   &dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName(target)},
	}
}

func TestParseAnswer(t *testing.T) {
	const id = 0x4242
	q, err := aQuestion("www.example")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := aQuestion("other.example")
	ok := dnsmessage.Header{ID: id}
	tests := []struct {
		name    string
		msg     []byte
		want    dnsAnswer
		wantErr error
	}{
		{"A records", reply(t, ok, q, aRR("www.example.", "192.0.2.1"), aRR("WWW.example.", "192.0.2.2")),
			dnsAnswer{addrs: []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")}}, nil},
		{"CNAME chain", reply(t, ok, q, aRR("cdn2.example.", "192.0.2.9"), cnameRR("www.example.", "cdn.example."),
			cnameRR("cdn.example.", "cdn2.example."), aRR("unrelated.example.", "192.0.2.7")),
			dnsAnswer{addrs: []netip.Addr{netip.MustParseAddr("192.0.2.9")}}, nil},
		{"CNAME loop", reply(t, ok, q, cnameRR("www.example.", "a.example."), cnameRR("a.example.", "www.example.")),
			dnsAnswer{}, nil},
		{"NXDOMAIN", reply(t, dnsmessage.Header{ID: id, RCode: dnsmessage.RCodeNameError}, q),
			dnsAnswer{rcode: dnsmessage.RCodeNameError}, nil},
		{"truncated", reply(t, dnsmessage.Header{ID: id, Truncated: true}, q, aRR("www.example.", "192.0.2.1")),
			dnsAnswer{truncated: true}, nil},
		{"other ID", reply(t, dnsmessage.Header{ID: id + 1}, q), dnsAnswer{}, errMismatch},
		{"other question", reply(t, ok, other), dnsAnswer{}, errMismatch},
		{"a query, not a reply", func() []byte { b, _ := buildQuery(id, q); return b }(), dnsAnswer{}, errMismatch},
		{"short", []byte{0x42, 0x42, 0x80}, dnsAnswer{}, errMalformed},
		{"answer cut off", func() []byte {
			b := reply(t, ok, q, aRR("www.example.", "192.0.2.1"))
			return b[:len(b)-2]
		}(), dnsAnswer{}, errMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAnswer(tt.msg, id, q)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			opts := cmp.Options{cmp.AllowUnexported(dnsAnswer{}), cmpopts.EquateComparable(netip.Addr{}), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(tt.want, got, opts); diff != "" {
				t.Errorf("parseAnswer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAQuestion(t *testing.T) {
	tests := []struct {
		host    string
		want    string
		wantErr bool
	}{
		{"example.com", "example.com.", false},
		{"example.com.", "example.com.", false},
		{"", "", true},
		{"a..b", "", true},
		{strings.Repeat("a", 64) + ".example", "", true},
	}
	for _, tt := range tests {
		q, err := aQuestion(tt.host)
		if (err != nil) != tt.wantErr || (err == nil && q.Name.String() != tt.want) {
			t.Errorf("aQuestion(%q) = %v, %v; want %q, error %v", tt.host, q.Name, err, tt.want, tt.wantErr)
		}
	}
}

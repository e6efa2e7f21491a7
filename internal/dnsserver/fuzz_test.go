package dnsserver

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/dns/dnsmessage"
)

// FuzzAnswer feeds arbitrary messages to the query handler. The committed
// corpus in testdata/fuzz/FuzzAnswer holds one annotated-by-name file per
// kind of query in TestAnswer, plus hostile encodings (compression loops,
// counts larger than the message). The handler must never panic, and any
// reply must parse, carry the query's ID, respect the size limit, answer
// the same way twice, and survive parse→marshal→parse unchanged.
func FuzzAnswer(f *testing.F) {
	f.Add(query(1, 0, question("modem.example.", dnsmessage.TypeA)))
	f.Fuzz(func(t *testing.T, msg []byte) {
		for _, limit := range []int{maxUDPSize, maxTCPSize} {
			resp := testServer.answer(msg, limit)
			if resp == nil {
				continue
			}
			if len(resp) > limit {
				t.Fatalf("reply of %d bytes exceeds the limit of %d", len(resp), limit)
			}
			var m dnsmessage.Message
			if err := m.Unpack(resp); err != nil {
				t.Fatalf("reply does not parse: %v", err)
			}
			if !m.Header.Response || m.Header.ID != binary.BigEndian.Uint16(msg) {
				t.Fatalf("reply header %+v does not answer query ID %#04x", m.Header, msg[:2])
			}
			if again := testServer.answer(msg, limit); !bytes.Equal(again, resp) {
				t.Fatal("the same query got two different replies")
			}
			packed, err := m.Pack()
			if err != nil {
				t.Fatalf("parsed reply does not marshal: %v", err)
			}
			var m2 dnsmessage.Message
			if err := m2.Unpack(packed); err != nil {
				t.Fatalf("marshalled reply does not parse: %v", err)
			}
			if diff := cmp.Diff(m, m2); diff != "" {
				t.Fatalf("parse→marshal→parse changed the reply (-first +second):\n%s", diff)
			}
		}
	})
}

package auth

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// Each parser's target asserts parse→marshal→parse stability: whatever
// decodes must encode, and the encoding must decode to the same value and
// encode to the same bytes. Seeds are the wire test vectors; the committed
// corpus in testdata/fuzz holds the same packets.

func FuzzAuthenticateRequest(f *testing.F) { fuzzStable(f, papRequestCases) }

func FuzzAuthenticateReply(f *testing.F) { fuzzStable(f, papReplyCases) }

func FuzzChallenge(f *testing.F) { fuzzStable(f, chapChallengeCases) }

func FuzzResult(f *testing.F) { fuzzStable(f, chapResultCases) }

func fuzzStable[T any, P packet[T]](f *testing.F, seeds []wireCase[T]) {
	for _, s := range seeds {
		f.Add(bytes.Join(s.b, nil))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var first T
		if P(&first).UnmarshalBinary(b) != nil {
			return
		}
		out, err := P(&first).MarshalBinary()
		if err != nil {
			t.Fatalf("MarshalBinary of a parsed packet: %v", err)
		}
		var second T
		if err := P(&second).UnmarshalBinary(out); err != nil {
			t.Fatalf("UnmarshalBinary(%x) of our own encoding: %v", out, err)
		}
		if diff := cmp.Diff(first, second); diff != "" {
			t.Fatalf("parse→marshal→parse (-want +got):\n%s", diff)
		}
		again, err := P(&second).MarshalBinary()
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("second MarshalBinary = %x, %v; want %x", again, err, out)
		}
	})
}

// FuzzInput feeds arbitrary packets to all four state machines, both while
// they authenticate and after they succeeded: nothing may panic, Done runs
// at most once, and no secret reaches the logs.
func FuzzInput(f *testing.F) {
	for _, cs := range [][][]byte{
		casesBytes(papRequestCases), casesBytes(papReplyCases),
		casesBytes(chapChallengeCases), casesBytes(chapResultCases),
	} {
		for _, b := range cs {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, pkt []byte) {
		for _, m := range methods {
			fuzzClient(t, m, pkt)
			fuzzServer(t, m, pkt)
		}
	})
}

func casesBytes[T any](cases []wireCase[T]) [][]byte {
	var out [][]byte
	for _, c := range cases {
		out = append(out, bytes.Join(c.b, nil))
	}
	return out
}

func fuzzClient(t *testing.T, m method, pkt []byte) {
	clk := clock.NewManual(time.Unix(0, 0))
	var r recorder
	var sent [][]byte
	c := m.newClient(r.clientConfig(clk, testUser, testPassword, func(p []byte) { sent = append(sent, bytes.Clone(p)) }))
	c.Start()
	c.Input(pkt)
	c.Input(pkt)
	// Reach the succeeded state, then try again.
	if m.name == "PAP" {
		c.Input(papReply(CodeAuthenticateAck, 1, ""))
	} else {
		c.Input(chapChallenge(1, seq(16)))
		c.Input(chapResult(CodeSuccess, 1, ""))
	}
	c.Input(pkt)
	clk.Advance(time.Hour)
	if len(r.clientDone) > 1 {
		t.Fatalf("%s client Done called %d times", m.name, len(r.clientDone))
	}
	r.checkNoSecrets(t, []string{testPassword}, sent)
}

func fuzzServer(t *testing.T, m method, pkt []byte) {
	clk := clock.NewManual(time.Unix(0, 0))
	var r recorder
	s := m.newServer(r.serverConfig(clk, testSecrets, func([]byte) {}))
	s.Start()
	s.Input(pkt)
	if m.name == "PAP" {
		s.Input(papRequest(1, testUser, testPassword))
	} else {
		s.Input(chapResponse(0x2a, testUser, testPassword, seq(challengeLen)))
	}
	s.Input(pkt)
	clk.Advance(time.Hour)
	if len(r.serverDone) > 1 {
		t.Fatalf("%s server Done called %d times", m.name, len(r.serverDone))
	}
	r.checkNoSecrets(t, []string{testPassword}, nil)
}

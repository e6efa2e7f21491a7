package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

func TestCHAPClient(t *testing.T) {
	value, value2 := seq(16), seq(8)
	resp := func(id uint8, v []byte) []byte { return chapResponse(id, testUser, testPassword, v) }
	success := func(id uint8) []byte { return chapResult(CodeSuccess, id, "Access granted") }
	tests := []clientCase{
		{
			name:     "retransmitted Challenge answered again",
			steps:    []step{start(), input(chapChallenge(7, value)), input(chapChallenge(7, value)), input(success(7))},
			wantSent: [][]byte{resp(7, value), resp(7, value)},
			wantDone: []error{nil},
		},
		{
			name: "rechallenge after Success",
			steps: []step{start(), input(chapChallenge(7, value)), input(success(7)),
				input(chapChallenge(8, value2)), input(success(8)), input(success(8))},
			wantSent: [][]byte{resp(7, value), resp(8, value2)},
			wantDone: []error{nil},
		},
		{
			name: "Failure of a rechallenge stops answering",
			steps: []step{start(), input(chapChallenge(7, value)), input(success(7)),
				input(chapChallenge(8, value2)), input(chapResult(CodeFailure, 8, "")), input(chapChallenge(9, value))},
			wantSent: [][]byte{resp(7, value), resp(8, value2)},
			wantDone: []error{nil},
		},
		{
			name:     "Success with another Identifier dropped",
			steps:    []step{start(), input(success(7)), input(chapChallenge(7, value)), input(success(6)), input(success(7))},
			wantSent: [][]byte{resp(7, value)},
			wantDone: []error{nil},
		},
		{
			name:     "Failure",
			steps:    []step{start(), input(chapChallenge(1, value)), input(chapResult(CodeFailure, 1, "E=691")), input(chapChallenge(2, value))},
			wantSent: [][]byte{resp(1, value)},
			wantDone: []error{ErrRejected},
		},
		{
			name: "malformed and unknown packets dropped",
			steps: []step{start(), input([]byte{}), input([]byte{0x01, 0x01, 0x00, 0x05, 0x00}),
				input([]byte{0x01, 0x01, 0x00, 0x06, 0x05, 0x00}), input(resp(1, value)),
				input([]byte{0x05, 0x01, 0x00, 0x04}), input([]byte{0x03, 0x01})},
			wantSent: nil,
		},
		{
			name:     "timeout without Challenge",
			steps:    []step{start(), advance(9*time.Second - 1), advance(1), input(chapChallenge(1, value))},
			wantDone: []error{ErrTimeout},
		},
		{
			name:     "timeout waiting for the verdict",
			steps:    []step{start(), input(chapChallenge(1, value)), advance(9 * time.Second), input(success(1))},
			wantSent: [][]byte{resp(1, value)},
			wantDone: []error{ErrTimeout},
		},
		{
			name:     "Stop",
			steps:    []step{start(), input(chapChallenge(1, value)), stop(), input(success(1)), input(chapChallenge(2, value)), advance(time.Minute)},
			wantSent: [][]byte{resp(1, value)},
		},
	}
	for i := range tests {
		tests[i].newFn = NewCHAPClient
	}
	runClientCases(t, tests)
}

func TestCHAPServer(t *testing.T) {
	const id = 0x2a // the first octet of the test Rand
	challenge := chapChallenge(id, seq(challengeLen))
	good := chapResponse(id, testUser, testPassword, seq(challengeLen))
	success := chapResult(CodeSuccess, id, "Access granted")
	failure := chapResult(CodeFailure, id, "Access denied")
	tests := []serverCase{
		{
			name:      "repeated Response gets the same Success",
			steps:     []step{start(), input(good), input(good), advance(time.Minute)},
			wantSent:  [][]byte{challenge, success, success},
			wantDone:  []error{nil},
			wantPeers: []string{testUser},
		},
		{
			name:      "Challenge retransmitted unchanged until MaxRequests",
			steps:     []step{start(), advance(3 * time.Second), advance(3 * time.Second), advance(3 * time.Second), input(good)},
			wantSent:  [][]byte{challenge, challenge, challenge},
			wantDone:  []error{ErrTimeout},
			wantPeers: []string{""},
		},
		{
			name:      "Response with another Identifier dropped",
			steps:     []step{start(), input(chapResponse(id+1, testUser, testPassword, seq(challengeLen))), input(good)},
			wantSent:  [][]byte{challenge, success},
			wantDone:  []error{nil},
			wantPeers: []string{testUser},
		},
		{
			name:      "wrong secret",
			steps:     []step{start(), input(chapResponse(id, testUser, "x", seq(challengeLen))), input(good), advance(time.Minute)},
			wantSent:  [][]byte{challenge, failure},
			wantDone:  []error{ErrAuthFailed},
			wantPeers: []string{testUser},
		},
		{
			name: "short Response value",
			steps: []step{start(), input(mustMarshal(Challenge{Code: CodeResponse, Identifier: id,
				Value: MD5Response(id, []byte(testPassword), seq(challengeLen))[:8], Name: []byte(testUser)}))},
			wantSent:  [][]byte{challenge, failure},
			wantDone:  []error{ErrAuthFailed},
			wantPeers: []string{testUser},
		},
		{
			name:      "Challenge, Success and malformed packets dropped",
			steps:     []step{start(), input(challenge), input(success), input([]byte{0x02, id, 0x00}), input(good)},
			wantSent:  [][]byte{challenge, success},
			wantDone:  []error{nil},
			wantPeers: []string{testUser},
		},
		{
			name:     "Stop",
			steps:    []step{start(), stop(), advance(time.Minute), input(good)},
			wantSent: [][]byte{challenge},
		},
	}
	for i := range tests {
		tests[i].newFn = NewCHAPServer
	}
	runServerCases(t, tests)
}

func TestCHAPServerRandError(t *testing.T) {
	clk := clock.NewManual(time.Unix(0, 0))
	var r recorder
	var sent int
	cfg := r.serverConfig(clk, testSecrets, func([]byte) { sent++ })
	cfg.Rand = errReader{}
	NewCHAPServer(cfg).Start()
	if sent != 0 {
		t.Errorf("sent %d packets", sent)
	}
	if len(r.serverDone) != 1 || !errors.Is(r.serverDone[0].err, errNoEntropy) {
		t.Errorf("Done calls %v, want one wrapping %v", r.serverDone, errNoEntropy)
	}
}

var errNoEntropy = errors.New("no entropy")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errNoEntropy }

// TestStopInsideSend checks that a Server whose reply leads the link to
// call Stop, before Send returns, does not report afterwards.
func TestStopInsideSend(t *testing.T) {
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			clk := clock.NewManual(time.Unix(0, 0))
			var r recorder
			var server Server
			var replies int
			cfg := r.serverConfig(clk, testSecrets, func([]byte) {
				replies++
				if replies == map[string]int{"PAP": 1, "CHAP": 2}[m.name] {
					server.Stop()
				}
			})
			server = m.newServer(cfg)
			server.Start()
			if m.name == "PAP" {
				server.Input(papRequest(1, testUser, testPassword))
			} else {
				server.Input(chapResponse(0x2a, testUser, testPassword, seq(challengeLen)))
			}
			if len(r.serverDone) != 0 {
				t.Errorf("Done called after Stop: %v", r.serverDone)
			}
		})
	}
}

package auth

import (
	"testing"
	"time"
)

func TestPAPClient(t *testing.T) {
	req := func(id uint8) []byte { return papRequest(id, testUser, testPassword) }
	ack := func(id uint8) []byte { return papReply(CodeAuthenticateAck, id, "Login ok") }
	tests := []clientCase{
		{
			name:     "new Identifier on every retransmission",
			steps:    []step{start(), advance(3 * time.Second), advance(3 * time.Second), input(ack(3))},
			wantSent: [][]byte{req(1), req(2), req(3)},
			wantDone: []error{nil},
		},
		{
			name:     "reply to an older request dropped",
			steps:    []step{start(), advance(3 * time.Second), input(ack(1)), advance(3 * time.Second), advance(3 * time.Second)},
			wantSent: [][]byte{req(1), req(2), req(3)},
			wantDone: []error{ErrTimeout},
		},
		{
			name:     "malformed and unknown packets dropped",
			steps:    []step{start(), input([]byte{}), input([]byte{0x02, 0x01, 0x00}), input([]byte{0x02, 0x01, 0x00, 0x07, 0x09}), input(req(1)), input([]byte{0x09, 0x01, 0x00, 0x04}), input(ack(1))},
			wantSent: [][]byte{req(1)},
			wantDone: []error{nil},
		},
		{
			name:     "Nak with hostile message",
			steps:    []step{start(), input(papReply(CodeAuthenticateNak, 1, "bad\x1b[2J\n"))},
			wantSent: [][]byte{req(1)},
			wantDone: []error{ErrRejected},
		},
		{
			name:     "nothing after success",
			steps:    []step{start(), input(ack(1)), input(ack(1)), input(papReply(CodeAuthenticateNak, 1, "")), advance(time.Minute)},
			wantSent: [][]byte{req(1)},
			wantDone: []error{nil},
		},
		{
			name:     "Stop cancels the timer and Done",
			steps:    []step{start(), stop(), advance(time.Minute), input(ack(1)), start()},
			wantSent: [][]byte{req(1)},
		},
		{
			name:  "input before Start dropped",
			steps: []step{input(ack(0)), input(ack(1))},
		},
		{
			name:     "Start twice sends once",
			steps:    []step{start(), start(), input(ack(1))},
			wantSent: [][]byte{req(1)},
			wantDone: []error{nil},
		},
		{
			name:     "password too long",
			password: string(make([]byte, 256)),
			steps:    []step{start(), advance(time.Minute)},
			wantDone: []error{errFieldLength},
		},
	}
	for i := range tests {
		tests[i].newFn = NewPAPClient
	}
	runClientCases(t, tests)
}

func TestPAPServer(t *testing.T) {
	good := func(id uint8) []byte { return papRequest(id, testUser, testPassword) }
	ack := func(id uint8) []byte { return papReply(CodeAuthenticateAck, id, "Login ok") }
	tests := []serverCase{
		{
			name:      "retransmitted request acked again",
			steps:     []step{start(), input(good(1)), input(good(2)), input(good(2))},
			wantSent:  [][]byte{ack(1), ack(2), ack(2)},
			wantDone:  []error{nil},
			wantPeers: []string{testUser},
		},
		{
			name:      "other credentials after success dropped",
			steps:     []step{start(), input(good(1)), input(papRequest(2, testUser, "x")), input(papRequest(3, "other", testPassword))},
			wantSent:  [][]byte{ack(1)},
			wantDone:  []error{nil},
			wantPeers: []string{testUser},
		},
		{
			name:      "nothing after Nak",
			steps:     []step{start(), input(papRequest(5, testUser, "x")), input(good(6)), advance(time.Minute)},
			wantSent:  [][]byte{papReply(CodeAuthenticateNak, 5, "Login incorrect")},
			wantDone:  []error{ErrAuthFailed},
			wantPeers: []string{testUser},
		},
		{
			name:      "timeout after Restart*MaxRequests",
			steps:     []step{start(), advance(9*time.Second - 1), input(ack(1)), advance(1), input(good(1))},
			wantDone:  []error{ErrTimeout},
			wantPeers: []string{""},
		},
		{
			name:  "Stop",
			steps: []step{start(), stop(), advance(time.Minute), input(good(1))},
		},
		{
			name:      "malformed requests dropped",
			steps:     []step{start(), input([]byte{0x01, 0x01, 0x00, 0x06, 0x05, 'u'}), input([]byte{0x01}), input(good(1))},
			wantSent:  [][]byte{ack(1)},
			wantDone:  []error{nil},
			wantPeers: []string{testUser},
		},
	}
	for i := range tests {
		tests[i].newFn = NewPAPServer
	}
	runServerCases(t, tests)
}

package fsm

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
)

// fatalProto is a fakeProto that cannot do without one code of its own.
type fatalProto struct {
	*fakeProto
	needs Code
}

func (f fatalProto) CodeRejectFatal(c Code) bool { return c == f.needs }

// scripted is a Machine whose peer is the test itself: it records what
// the Machine sends and takes packets the test writes.
type scripted struct {
	t    *testing.T
	m    *Machine
	clk  *clock.Manual
	sent []Code
	last []byte // the last packet sent
}

func newScripted(t *testing.T, cb Callbacks) *scripted {
	s := &scripted{t: t, clk: clock.NewManual(time.Unix(0, 0))}
	s.m = New(Config{
		Protocol: ppp.ProtocolIPCP,
		Send: func(pkt []byte) {
			s.sent = append(s.sent, Code(pkt[0]))
			s.last = append(s.last[:0], pkt...)
		},
		NewTimer: func(f func()) ppp.Timer { return &manualTimer{clk: s.clk, f: f} },
	}, cb)
	return s
}

// receive hands the Machine one packet from the peer.
func (s *scripted) receive(code Code, id uint8, data []byte) {
	s.t.Helper()
	pkt := ppp.ControlPacket{Code: uint8(code), Identifier: id, Data: data}.Append(nil)
	if err := s.m.Receive(pkt); err != nil {
		s.t.Fatal(err)
	}
}

// ackLast acknowledges the Configure-Request the Machine sent last.
func (s *scripted) ackLast() {
	s.t.Helper()
	var p ppp.ControlPacket
	if err := p.Parse(s.last); err != nil || Code(p.Code) != ConfigureRequest {
		s.t.Fatalf("last packet sent %x, want a Configure-Request", s.last)
	}
	s.receive(ConfigureAck, p.Identifier, p.Data)
}

// open brings the Machine to Opened: our request acknowledged, then the
// peer's, with no options, acknowledged by the Machine.
func (s *scripted) open() {
	s.t.Helper()
	s.m.Open()
	s.m.Up()
	s.ackLast()
	s.receive(ConfigureRequest, 100, nil)
	if s.m.State() != Opened {
		s.t.Fatalf("state %v, want Opened", s.m.State())
	}
	s.sent = nil
}

// A Code-Reject received on an Opened link is RXJ- only for a code the
// link needs: those of the automaton, and those the protocol says it
// cannot do without. Anything else, code 0 included, is RXJ+ and counted
// (RFC 1661 §5.6).
func TestCodeRejectOnOpened(t *testing.T) {
	for _, tt := range []struct {
		name        string
		rejected    []byte // the Code-Reject's data: the rejected packet
		wantState   State
		wantSent    []Code // what the Machine answers with
		wantIgnored uint64
	}{
		{"code 0", []byte{0, 1, 0, 4}, Opened, nil, 1},
		{"Protocol-Reject", []byte{8, 1, 0, 6, 0x80, 0x21}, Opened, nil, 1},
		{"code 12", []byte{12, 1, 0, 4}, Opened, nil, 1},
		{"code 255", []byte{255, 1, 0, 4}, Opened, nil, 1},
		{"code alone", []byte{12}, Opened, nil, 1},
		{"nothing rejected", nil, Opened, nil, 0},
		{"code the protocol needs", []byte{9, 1, 0, 8, 0, 0, 0, 0}, Stopping, []Code{TerminateRequest}, 0},
		{"Configure-Request", []byte{1, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
		{"Configure-Ack", []byte{2, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
		{"Configure-Nak", []byte{3, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
		{"Configure-Reject", []byte{4, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
		{"Terminate-Request", []byte{5, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
		{"Terminate-Ack", []byte{6, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
		{"Code-Reject", []byte{7, 1, 0, 4}, Stopping, []Code{TerminateRequest}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakeProto{max: 9}
			s := newScripted(t, fatalProto{p, EchoRequest})
			s.open()
			events := len(p.events)
			s.receive(CodeReject, 42, tt.rejected)
			if got := s.m.State(); got != tt.wantState {
				t.Errorf("state %v, want %v", got, tt.wantState)
			}
			if diff := cmp.Diff(tt.wantSent, s.sent); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			if got := s.m.CodeRejectsIgnored(); got != tt.wantIgnored {
				t.Errorf("CodeRejectsIgnored %d, want %d", got, tt.wantIgnored)
			}
			var wantEvents []string
			if tt.wantState != Opened {
				wantEvents = []string{"down"}
			}
			if diff := cmp.Diff(wantEvents, p.events[events:], cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("callbacks (-want +got):\n%s", diff)
			}
		})
	}
}

// Ignored Code-Rejects leave a negotiation going: in Ack-Rcvd one is RXJ+
// back to Req-Sent (RFC 1661 §4.1), the restart timer asks again, and the
// link opens.
func TestCodeRejectIgnoredWhileNegotiating(t *testing.T) {
	s := newScripted(t, &fakeProto{max: 9})
	s.m.Open()
	s.m.Up()
	s.ackLast()
	if s.m.State() != AckRcvd {
		t.Fatalf("state %v, want Ack-Rcvd", s.m.State())
	}
	s.receive(CodeReject, 1, []byte{0, 1, 0, 4})
	if s.m.State() != ReqSent {
		t.Fatalf("state %v after an ignored Code-Reject in Ack-Rcvd, want Req-Sent", s.m.State())
	}
	s.clk.Advance(3 * time.Second)
	s.ackLast()
	s.receive(ConfigureRequest, 100, nil)
	if s.m.State() != Opened {
		t.Errorf("state %v, want Opened", s.m.State())
	}
	if got := s.m.CodeRejectsIgnored(); got != 1 {
		t.Errorf("CodeRejectsIgnored %d, want 1", got)
	}
}

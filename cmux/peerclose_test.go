package cmux

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// openedPeer starts an initiator on a pipe to a fake peer and opens
// DLCI 1 through it, the peer answering as a responder does.
func openedPeer(t *testing.T, cfg Config) (*Mux, *fakePeer, *Channel) {
	a, b := ppptest.Pipe()
	m := NewInitiator(a, cfg)
	p := newFakePeer(t, b)
	p.expect(SABM, 0)
	p.ua(0)
	opened := make(chan *Channel, 1)
	go func() {
		c, err := m.Open(context.Background(), 1)
		if err != nil {
			t.Error(err)
		}
		opened <- c
	}()
	p.expect(SABM, 1)
	p.ua(1)
	c := <-opened
	if c == nil {
		t.FailNow()
	}
	msc := p.expectMsg(MsgMSC, true)
	p.sendMsg(Message{Type: MsgMSC, Value: msc.Value})
	return m, p, c
}

// The modem ending the multiplexer (CLD, DISC on DLCI 0, or DM on it)
// is answered, ends the initiator with ErrClosedByPeer, and every
// channel fails with that reason.
func TestPeerEndsMultiplexer(t *testing.T) {
	tests := []struct {
		name   string
		send   func(p *fakePeer)
		answer func(p *fakePeer)
	}{
		{"CLD", func(p *fakePeer) { p.sendMsg(Message{Type: MsgCLD, Command: true}) },
			func(p *fakePeer) { p.expectMsg(MsgCLD, false) }},
		{"DISC 0", func(p *fakePeer) { p.send(Frame{DLCI: 0, Type: DISC, PF: true}) },
			func(p *fakePeer) { p.expect(UA, 0) }},
		{"DM 0", func(p *fakePeer) { p.send(Frame{DLCI: 0, CR: true, Type: DM, PF: true}) },
			func(*fakePeer) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m, p, c := openedPeer(t, Config{NoPN: true})
				tt.send(p)
				tt.answer(p)
				<-m.Done()
				if !errors.Is(m.Err(), ErrClosedByPeer) {
					t.Errorf("Err() = %v, want ErrClosedByPeer", m.Err())
				}
				if _, err := c.Read(make([]byte, 1)); !errors.Is(err, ErrChannelClosed) || !errors.Is(err, ErrClosedByPeer) {
					t.Errorf("read: %v", err)
				}
				if _, err := c.Write([]byte("AT\r")); !errors.Is(err, ErrChannelClosed) {
					t.Errorf("write: %v", err)
				}
				if _, err := m.Open(context.Background(), 2); err == nil {
					t.Error("Open after the peer ended the multiplexer: no error")
				}
			})
		})
	}
}

// Close with a DISC the modem never answers sends it N2+1 times, T1
// apart, then CLD, and returns at most T2 after that.
func TestCloseDISCUnanswered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, p, _ := openedPeer(t, Config{NoPN: true, T1: 100 * time.Millisecond, T2: 300 * time.Millisecond, N2: 2})
		closed := make(chan struct{})
		go func() {
			m.Close()
			close(closed)
		}()
		start := time.Now()
		for i := range 3 {
			p.expect(DISC, 1)
			if d, want := time.Since(start), time.Duration(i)*100*time.Millisecond; d != want {
				t.Errorf("DISC %d after %v, want %v", i+1, d, want)
			}
		}
		p.expectMsg(MsgCLD, true)
		if d := time.Since(start); d != 300*time.Millisecond {
			t.Errorf("CLD after %v, want 3 × T1", d)
		}
		<-closed
		if d := time.Since(start); d != 600*time.Millisecond {
			t.Errorf("Close returned after %v, want 3 × T1 + T2", d)
		}
		if s := m.Stats(); s.Retransmissions != 2 {
			t.Errorf("%d retransmissions, want 2", s.Retransmissions)
		}
		if !errors.Is(m.Err(), ErrMuxClosed) {
			t.Errorf("Err() = %v", m.Err())
		}
	})
}

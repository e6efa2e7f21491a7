package cmux

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// A modem that answers AT+CMUX with OK but never UA (SIM7000G): SABM 0
// goes out N2+1 times, T1 apart, then the multiplexer ends with
// ErrNoResponse and Open says so.
func TestNoUA(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		start := time.Now()
		m := NewInitiator(a, Config{T1: 200 * time.Millisecond, N2: 2})
		p := newFakePeer(t, b)
		for range 3 {
			p.expect(SABM, 0)
		}
		_, err := m.Open(context.Background(), 1)
		if !errors.Is(err, ErrNoResponse) {
			t.Errorf("Open: %v", err)
		}
		<-m.Done()
		if !errors.Is(m.Err(), ErrNoResponse) {
			t.Errorf("Err() = %v", m.Err())
		}
		if d := time.Since(start); d != 600*time.Millisecond {
			t.Errorf("gave up after %v, want 3 × T1", d)
		}
		if s := m.Stats(); s.Retransmissions != 2 {
			t.Errorf("retransmissions %d, want 2", s.Retransmissions)
		}
	})
}

// A lost SABM (the modem still attaching its multiplexer) is sent again
// after T1 and the DLC opens.
func TestSABMRetransmitted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewInitiator(a, Config{NoPN: true})
		defer m.Close()
		p := newFakePeer(t, b)
		p.expect(SABM, 0) // lost
		start := time.Now()
		p.expect(SABM, 0)
		if d := time.Since(start); d != DefaultT1 {
			t.Errorf("retransmitted after %v, want T1", d)
		}
		p.ua(0)
		go m.Open(context.Background(), 2)
		p.expect(SABM, 2)
		p.send(Frame{DLCI: 2, CR: true, Type: DM, PF: true})
		synctest.Wait()
		p.rw.Close()
	})
}

// DM to SABM refuses the DLC.
func TestRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewInitiator(a, Config{NoPN: true})
		p := newFakePeer(t, b)
		p.expect(SABM, 0)
		p.ua(0)
		res := make(chan error, 1)
		go func() {
			_, err := m.Open(context.Background(), 3)
			res <- err
		}()
		p.expect(SABM, 3)
		p.send(Frame{DLCI: 3, CR: true, Type: DM, PF: true})
		if err := <-res; !errors.Is(err, ErrRefused) {
			t.Errorf("Open: %v", err)
		}
		go m.Close()
		p.expectMsg(MsgCLD, true)
		p.sendMsg(Message{Type: MsgCLD})
		<-m.Done()
	})
}

// With KeepAlive, a peer that goes silent ends the multiplexer with
// ErrPeerSilent after KeepAlive plus N2+1 Test commands T2 apart, and
// every channel fails with the reason.
func TestKeepAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewInitiator(a, Config{NoPN: true, KeepAlive: time.Second})
		p := newFakePeer(t, b)
		p.expect(SABM, 0)
		p.ua(0)
		opened := make(chan *Channel, 1)
		go func() {
			c, _ := m.Open(context.Background(), 1)
			opened <- c
		}()
		p.expect(SABM, 1)
		p.ua(1)
		c := <-opened
		msc := p.expectMsg(MsgMSC, true)
		p.sendMsg(Message{Type: MsgMSC, Value: msc.Value})
		// An answered Test keeps it alive.
		tm := p.expectMsg(MsgTest, true)
		p.sendMsg(Message{Type: MsgTest, Value: tm.Value})
		start := time.Now()
		for range 1 + DefaultN2 {
			p.expectMsg(MsgTest, true)
		}
		<-m.Done()
		if !errors.Is(m.Err(), ErrPeerSilent) {
			t.Errorf("Err() = %v", m.Err())
		}
		if d := time.Since(start); d > 2*time.Second+4*DefaultT2 {
			t.Errorf("noticed after %v", d)
		}
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, ErrPeerSilent) || !errors.Is(err, ErrChannelClosed) {
			t.Errorf("read: %v", err)
		}
	})
}

// The line failing ends the multiplexer with the port's error.
func TestPortClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewResponder(a, Config{})
		b.Close()
		<-m.Done()
		if m.Err() == nil {
			t.Error("no error")
		}
		if _, err := m.Accept(context.Background()); err == nil {
			t.Error("Accept after the end")
		}
	})
}

// The responder: DISC on DLCI 0 from the host ends the multiplexer
// (UA first); data for a DLC that is not open gets DM; PN gets the
// smaller N1; Test is echoed.
func TestResponderControl(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewResponder(a, Config{N1: 64})
		p := newFakePeer(t, b)
		p.send(Frame{DLCI: 0, CR: true, Type: SABM, PF: true})
		if f := p.expect(UA, 0); !f.CR || !f.PF {
			t.Errorf("UA %v", f)
		}
		p.send(Frame{DLCI: 5, CR: true, Type: UIH, Info: []byte("x")})
		p.expect(DM, 5)
		p.send(Frame{DLCI: 0, CR: true, Type: UIH, Info: Message{Type: MsgPN, Command: true, Value: PN{DLCI: 1, N1: 127}.Append(nil)}.Append(nil)})
		r := p.expectMsg(MsgPN, false)
		if pn, err := ParsePN(r.Value); err != nil || pn.N1 != 64 || pn.DLCI != 1 {
			t.Errorf("PN response %+v, %v", pn, err)
		}
		p.send(Frame{DLCI: 1, CR: true, Type: SABM, PF: true})
		p.expect(UA, 1)
		ch, err := m.Accept(context.Background())
		if err != nil || ch.N1() != 64 {
			t.Fatalf("accepted %v, %v", ch, err)
		}
		if msc := p.expectMsg(MsgMSC, true); string(msc.Value) != string(MSC{DLCI: 1, Signals: RTC | RTR | DV}.Append(nil)) {
			t.Errorf("responder's MSC % x", msc.Value)
		}
		p.send(Frame{DLCI: 0, CR: true, Type: UIH, Info: Message{Type: MsgTest, Command: true, Value: []byte{1, 2}}.Append(nil)})
		if r := p.expectMsg(MsgTest, false); string(r.Value) != "\x01\x02" {
			t.Errorf("Test response % x", r.Value)
		}
		p.send(Frame{DLCI: 0, CR: true, Type: DISC, PF: true})
		// The MSC may be sent again before the UA: skip control frames.
		for {
			f := p.next()
			if f.Type == UA && f.DLCI == 0 {
				break
			}
		}
		<-m.Done()
		if !errors.Is(m.Err(), ErrClosedByPeer) {
			t.Errorf("Err() = %v", m.Err())
		}
		if _, err := ch.Read(make([]byte, 1)); !errors.Is(err, ErrClosedByPeer) {
			t.Errorf("channel read %v", err)
		}
	})
}

// Right after AT+CMUX a modem may echo: the initiator's own SABM comes
// back and is ignored.
func TestEchoedSABM(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewInitiator(a, Config{NoPN: true})
		p := newFakePeer(t, b)
		sabm := p.expect(SABM, 0)
		p.send(sabm) // the echo
		p.ua(0)
		go m.Open(context.Background(), 1)
		p.expect(SABM, 1)
		p.send(Frame{DLCI: 1, CR: true, Type: SABM, PF: true})
		p.ua(1)
		p.expectMsg(MsgMSC, true)
		synctest.Wait()
		if s := m.Stats(); s.Unknown != 2 || s.Retransmissions != 0 {
			t.Errorf("stats %+v", s)
		}
		go m.Close()
		p.expect(DISC, 1)
		p.ua(1)
		p.expectMsg(MsgCLD, true)
		<-m.Done()
	})
}

// A peer that sends PSC sleeps once answered: the next frame follows a
// run of wake-up flags, sent again every T1 until the peer answers with a
// flag. A peer waking this end with flags gets flags back.
func TestPowerSaving(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewInitiator(a, Config{NoPN: true})
		p := newFakePeer(t, b)
		p.expect(SABM, 0)
		p.ua(0)
		opened := make(chan *Channel, 1)
		go func() {
			c, _ := m.Open(context.Background(), 1)
			opened <- c
		}()
		p.expect(SABM, 1)
		p.ua(1)
		c := <-opened
		msc := p.expectMsg(MsgMSC, true)
		p.sendMsg(Message{Type: MsgMSC, Value: msc.Value})

		p.sendMsg(Message{Type: MsgPSC, Command: true})
		p.expectMsg(MsgPSC, false)
		synctest.Wait()
		before := len(p.transcript())
		go c.Write([]byte("AT\r"))
		time.Sleep(2 * DefaultT1) // fake time: two runs of flags unanswered
		synctest.Wait()
		sent := p.transcript()[before:]
		if !bytes.Equal(sent, flags(3*wakeRun)) {
			t.Fatalf("sent % x, want three runs of wake-up flags", sent)
		}
		p.rw.Write([]byte{Flag})
		if f := p.expect(UIH, 1); string(f.Info) != "AT\r" {
			t.Errorf("after wake-up %v", f)
		}

		// The peer sleeps again and wakes this end with flags.
		p.sendMsg(Message{Type: MsgPSC, Command: true})
		p.expectMsg(MsgPSC, false)
		synctest.Wait()
		before = len(p.transcript())
		p.rw.Write(flags(wakeRun))
		synctest.Wait()
		if got := p.transcript()[before:]; !bytes.Equal(got, []byte{Flag, Flag}) {
			t.Errorf("answered the wake-up with % x", got)
		}
		go m.Close()
		p.expect(DISC, 1)
		p.ua(1)
		p.expectMsg(MsgCLD, true)
		<-m.Done()
	})
}

// An MSC with FC=1 still unanswered when the reader drains is
// superseded by the FC=0 one, not retransmitted after it: the peer would
// keep FC set for good. (Found as a stalled writer in TestFlowControl
// under load, where a response came later than T2.)
func TestStaleMSCNotRetransmitted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		m := NewResponder(a, Config{N1: 512, RxBuffer: 1024})
		defer m.Close()
		p := newFakePeer(t, b)
		p.send(Frame{DLCI: 0, CR: true, Type: SABM, PF: true})
		p.expect(UA, 0)
		p.send(Frame{DLCI: 1, CR: true, Type: SABM, PF: true})
		p.expect(UA, 1)
		p.expectMsg(MsgMSC, true) // initial, left unanswered
		ch, err := m.Accept(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p.send(Frame{DLCI: 1, CR: true, Type: UIH, Info: make([]byte, 300)})
		on := p.expectMsg(MsgMSC, true)
		if s, _ := ParseMSC(on.Value); s.Signals&FC == 0 {
			t.Fatalf("MSC %v, want FC", s.Signals)
		}
		io.ReadFull(ch, make([]byte, 300))
		off := p.expectMsg(MsgMSC, true)
		if s, _ := ParseMSC(off.Value); s.Signals&FC != 0 {
			t.Fatalf("MSC %v, want no FC", s.Signals)
		}
		// Only the FC=0 MSC is sent again while unanswered.
		for range DefaultN2 {
			if r := p.expectMsg(MsgMSC, true); !bytes.Equal(r.Value, off.Value) {
				t.Fatalf("retransmitted % x, want % x", r.Value, off.Value)
			}
		}
		synctest.Wait()
	})
}

// PN answered with NSC, in the standard form (the type octet, 0x83) and
// in Linux n_gsm 6.1's (0x41), falls back to the configured N1 at once,
// without retransmissions.
func TestPNNotSupported(t *testing.T) {
	for _, nsc := range []byte{0x83, 0x41} {
		t.Run(fmt.Sprintf("%02x", nsc), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, b := ppptest.Pipe()
				m := NewInitiator(a, Config{N1: 100})
				p := newFakePeer(t, b)
				p.expect(SABM, 0)
				p.ua(0)
				opened := make(chan *Channel, 1)
				go func() {
					c, _ := m.Open(context.Background(), 2)
					opened <- c
				}()
				start := time.Now()
				p.expectMsg(MsgPN, true)
				p.sendMsg(Message{Type: MsgNSC, Value: []byte{nsc}})
				p.expect(SABM, 2)
				p.ua(2)
				if c := <-opened; c == nil || c.N1() != 100 {
					t.Fatalf("channel %v", c)
				}
				if d := time.Since(start); d != 0 {
					t.Errorf("opened after %v", d)
				}
				if s := m.Stats(); s.Retransmissions != 0 {
					t.Errorf("%d retransmissions", s.Retransmissions)
				}
				go m.Close()
				for {
					if f := p.next(); f.Type == DISC {
						p.ua(2)
						break
					}
				}
				p.expectMsg(MsgCLD, true)
				<-m.Done()
			})
		})
	}
}

// A read deadline ends a pending Read with os.ErrDeadlineExceeded, as
// the dialer expects of a port; data that came first is returned first.
func TestReadDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ini, resp := pipePair(t, Config{}, Config{})
		c, r := open(t, ini, resp, 1)
		start := time.Now()
		c.SetReadDeadline(start.Add(time.Second))
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("read: %v", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("deadline after %v", d)
		}
		// Past: at once, even with a Read pending when it is set.
		done := make(chan error, 1)
		c.SetReadDeadline(time.Time{})
		go func() {
			_, err := c.Read(make([]byte, 1))
			done <- err
		}()
		synctest.Wait()
		c.SetReadDeadline(time.Now().Add(-time.Second))
		if err := <-done; !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("pending read: %v", err)
		}
		c.SetReadDeadline(time.Time{})
		r.Write([]byte("OK"))
		b := make([]byte, 2)
		if _, err := io.ReadFull(c, b); err != nil || string(b) != "OK" {
			t.Fatalf("read %q, %v", b, err)
		}
	})
}

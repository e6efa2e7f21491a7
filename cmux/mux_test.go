package cmux

import (
	"context"
	"errors"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// lines are the ends the back-to-back tests run on: an in-memory pipe
// and a pseudo-terminal in raw mode.
var lines = []struct {
	name string
	pair func(t *testing.T, icfg, rcfg Config) (*Mux, *Mux)
}{
	{"pipe", pipePair},
	{"pty", func(t *testing.T, icfg, rcfg Config) (*Mux, *Mux) {
		a, b := ppptest.PtyPair(t)
		return pair(t, a, b, icfg, rcfg)
	}},
}

func TestOpenWriteClose(t *testing.T) {
	for _, l := range lines {
		t.Run(l.name, func(t *testing.T) { testOpenWriteClose(t, l.pair) })
	}
}

func testOpenWriteClose(t *testing.T, pairFn func(t *testing.T, icfg, rcfg Config) (*Mux, *Mux)) {
	cfg := Config{N1: 127}
	ini, resp := pairFn(t, cfg, cfg)
	c1, r1 := open(t, ini, resp, 1)
	c2, r2 := open(t, ini, resp, 2)
	transfer(t, c1, r1, []byte("AT+CSQ\r"))
	transfer(t, r1, c1, []byte("\r\n+CSQ: 20,99\r\n\r\nOK\r\n"))
	transfer(t, c2, r2, pattern(100000, 1))
	transfer(t, r2, c2, pattern(100000, 2))
	// Each end announced RTC, RTR and DV.
	for _, c := range []*Channel{c1, c2, r1, r2} {
		deadline := time.After(waitTimeout)
		for {
			s, changed := c.WatchSignals()
			if s == RTC|RTR|DV {
				break
			}
			select {
			case <-changed:
			case <-deadline:
				t.Fatalf("DLCI %d signals %v", c.DLCI(), s)
			}
		}
	}
	if err := ini.Close(); err != nil {
		t.Fatal(err)
	}
	waitDone(t, ini, ErrMuxClosed)
	waitDone(t, resp, ErrClosedByPeer)
	for _, c := range []*Channel{c1, c2} {
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, ErrChannelClosed) || !errors.Is(err, ErrMuxClosed) {
			t.Errorf("DLCI %d read after close: %v", c.DLCI(), err)
		}
	}
	for _, c := range []*Channel{r1, r2} {
		if _, err := c.Read(make([]byte, 1)); !errors.Is(err, ErrChannelClosed) || !errors.Is(err, ErrDisconnected) {
			t.Errorf("DLCI %d read after the peer's close: %v", c.DLCI(), err)
		}
	}
	if _, err := c1.Write([]byte("x")); !errors.Is(err, ErrChannelClosed) {
		t.Errorf("write after close: %v", err)
	}
	if s := ini.Stats(); s.Decoder.BadFCS+s.Decoder.TooLong+s.Decoder.BadFrame+s.RxDropped != 0 {
		t.Errorf("initiator drops: %+v", s)
	}
}

// A channel the peer closes fails with ErrDisconnected; the DLC can be
// opened again.
func TestPeerClosesChannel(t *testing.T) {
	ini, resp := pipePair(t, Config{}, Config{})
	c, r := open(t, ini, resp, 2)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(waitTimeout):
		t.Fatal("channel not closed")
	}
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, ErrChannelClosed) || !errors.Is(err, ErrDisconnected) {
		t.Errorf("read: %v", err)
	}
	c, r = open(t, ini, resp, 2)
	transfer(t, c, r, []byte("again"))
}

// The initiator proposes N1 = 128 with PN, the responder has 127: both
// send at most 127 and nothing is lost. Without PN the 128-octet frame
// is dropped by the responder, as n_gsm drops it.
func TestPNNegotiatesN1(t *testing.T) {
	ini, resp := pipePair(t, Config{N1: 128}, Config{N1: 127})
	c, r := open(t, ini, resp, 2)
	if c.N1() != 127 || r.N1() != 127 {
		t.Fatalf("N1 %d and %d, want 127", c.N1(), r.N1())
	}
	transfer(t, c, r, pattern(128*100, 3))
	transfer(t, r, c, pattern(128*100, 4))
	if s := resp.Stats(); s.Decoder.TooLong != 0 {
		t.Errorf("responder dropped %d frames as too long", s.Decoder.TooLong)
	}

	t.Run("without PN", func(t *testing.T) {
		ini, resp := pipePair(t, Config{N1: 128, NoPN: true}, Config{N1: 127})
		c, r := open(t, ini, resp, 2)
		if c.N1() != 128 {
			t.Fatalf("N1 %d, want 128", c.N1())
		}
		c.Write(pattern(128, 5))
		c.Write([]byte{0x42})
		b := make([]byte, 200)
		n, err := r.Read(b)
		if err != nil || n != 1 || b[0] != 0x42 {
			t.Fatalf("read %d octets % x, %v: want the 128-octet frame lost", n, b[:n], err)
		}
		if s := resp.Stats(); s.Decoder.TooLong != 1 {
			t.Errorf("TooLong = %d, want 1", s.Decoder.TooLong)
		}
	})
}

// A reader that falls behind makes its end send MSC with FC; the writer
// waits and nothing is lost, though the data is 8 times the buffer (and
// 16 times the pipe's).
func TestFlowControl(t *testing.T) {
	for _, l := range lines {
		t.Run(l.name, func(t *testing.T) { testFlowControl(t, l.pair) })
	}
}

func testFlowControl(t *testing.T, pairFn func(t *testing.T, icfg, rcfg Config) (*Mux, *Mux)) {
	ini, resp := pairFn(t, Config{N1: 127}, Config{N1: 127, RxBuffer: 128 << 10})
	c, r := open(t, ini, resp, 2)
	data := pattern(1<<20, 6)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(data)
		werr <- err
	}()
	// The writer is held back: the peer asked it to stop.
	deadline := time.After(waitTimeout)
	for {
		s, changed := c.WatchSignals()
		if s&FC != 0 {
			break
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("no MSC with FC")
		}
	}
	select {
	case err := <-werr:
		t.Fatalf("write finished (%v) while the reader read nothing", err)
	default:
	}
	if s := resp.Stats(); s.FlowStops == 0 {
		t.Error("Stats.FlowStops is 0 after an MSC with FC")
	}
	if n := r.Buffered(); n <= 128<<10/4 || n > 128<<10 {
		t.Errorf("%d octets buffered when FC was sent, want over RxBuffer/4 and at most RxBuffer", n)
	}
	got := make([]byte, len(data))
	if _, err := io.ReadFull(r, got); err != nil {
		t.Fatal(err)
	}
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	if string(got) != string(data) {
		t.Fatal("data differs")
	}
	if s := resp.Stats(); s.RxDropped != 0 {
		t.Errorf("responder dropped %d octets", s.RxDropped)
	}
	if c.Signals()&FC != 0 {
		// The FC=0 MSC may still be on its way; wait for it.
		_, changed := c.WatchSignals()
		select {
		case <-changed:
		case <-time.After(waitTimeout):
			t.Fatal("FC never cleared")
		}
	}
	if s := resp.Stats(); s.FlowResumes == 0 || s.FlowResumes > s.FlowStops {
		t.Errorf("Stats: %d flow stops, %d resumes; want at least one resume, no more than the stops", s.FlowStops, s.FlowResumes)
	}
}

// Against a peer that acts as Linux n_gsm 6.1: PN gets NSC (N1 stays as
// configured), the peer's MSC is answered, FCoff holds writes until FCon,
// and CLD gets no response (Close returns after T2).
func TestNGSMLikePeer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		ini := NewInitiator(a, Config{N1: 127, T2: 50 * time.Millisecond})
		defer ini.Close()
		p := newFakePeer(t, b)
		p.expect(SABM, 0)
		p.ua(0)
		opened := make(chan *Channel, 1)
		go func() {
			c, err := ini.Open(context.Background(), 1)
			if err != nil {
				t.Error(err)
			}
			opened <- c
		}()
		// n_gsm 6.1's NSC carries the type octet without EA, shifted: 0x41.
		p.expectMsg(MsgPN, true)
		p.sendMsg(Message{Type: MsgNSC, Value: []byte{0x41}})
		p.expect(SABM, 1)
		p.ua(1)
		c := <-opened
		if c == nil {
			t.FailNow()
		}
		if c.N1() != 127 {
			t.Errorf("N1 %d, want 127", c.N1())
		}
		// Our MSC carries RTC, RTR and DV; answer it.
		msc := p.expectMsg(MsgMSC, true)
		if s, _ := ParseMSC(msc.Value); s.DLCI != 1 || s.Signals != RTC|RTR|DV {
			t.Errorf("our MSC %+v", s)
		}
		p.sendMsg(Message{Type: MsgMSC, Value: msc.Value})
		// n_gsm's own MSC: answered with the same value.
		p.sendMsg(Message{Type: MsgMSC, Command: true, Value: MSC{DLCI: 1, Signals: RTC | RTR}.Append(nil)})
		if r := p.expectMsg(MsgMSC, false); string(r.Value) != string(MSC{DLCI: 1, Signals: RTC | RTR}.Append(nil)) {
			t.Errorf("MSC response % x", r.Value)
		}
		// Unknown commands get NSC with their type octet.
		p.sendMsg(Message{Type: MsgRPN, Command: true, Value: []byte{0x07}})
		if r := p.expectMsg(MsgNSC, false); len(r.Value) != 1 || r.Value[0] != 0x93 {
			t.Errorf("NSC % x", r.Value)
		}
		// Test is echoed.
		p.sendMsg(Message{Type: MsgTest, Command: true, Value: []byte("ping")})
		if r := p.expectMsg(MsgTest, false); string(r.Value) != "ping" {
			t.Errorf("Test response %q", r.Value)
		}
		// FCoff holds a write; FCon releases it.
		p.sendMsg(Message{Type: MsgFCoff, Command: true})
		p.expectMsg(MsgFCoff, false)
		wrote := make(chan error, 1)
		go func() {
			_, err := c.Write([]byte("AT\r"))
			wrote <- err
		}()
		select {
		case err := <-wrote:
			t.Fatalf("write passed FCoff: %v", err)
		case <-time.After(time.Second): // fake time: long enough for it to pass, were it to
		}
		p.sendMsg(Message{Type: MsgFCon, Command: true})
		// The FCon response and the data race for the line.
		for range 2 {
			f := p.next()
			switch f.DLCI {
			case 0:
				if m, _, err := ParseMessage(f.Info); err != nil || m.Type != MsgFCon || m.Command {
					t.Errorf("got %v, want the FCon response", m)
				}
			case 1:
				if string(f.Info) != "AT\r" || !f.CR || f.Type != UIH {
					t.Errorf("data frame %v %q", f, f.Info)
				}
			}
		}
		if err := <-wrote; err != nil {
			t.Fatal(err)
		}
		// Close: DISC 1 (UA), CLD with no response.
		closed := make(chan struct{})
		go func() {
			ini.Close()
			close(closed)
		}()
		p.expect(DISC, 1)
		p.ua(1)
		p.expectMsg(MsgCLD, true)
		start := time.Now()
		<-closed
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("Close returned %v after CLD, want T2", d)
		}
		if !errors.Is(ini.Err(), ErrMuxClosed) {
			t.Errorf("Err() = %v", ini.Err())
		}
	})
}

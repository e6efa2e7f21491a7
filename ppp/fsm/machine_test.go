package fsm

import (
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
)

// manualTimer adapts a clock.Manual to ppp.Timer.
type manualTimer struct {
	clk *clock.Manual
	f   func()
	t   clock.Timer
}

func (m *manualTimer) Reset(d time.Duration) {
	m.Stop()
	m.t = m.clk.AfterFunc(d, m.f)
}

func (m *manualTimer) Stop() {
	if m.t != nil {
		m.t.Stop()
		m.t = nil
	}
}

// fakeProto negotiates one option, type 1, a single octet. It asks for
// want and accepts from the peer any value up to max, naking with max.
type fakeProto struct {
	want, max  uint8
	noOption   bool // the peer rejected option 1
	stubborn   bool // ignore Naks' values
	alwaysNak  bool // nak every request, even past Max-Failure
	events     []string
	rejectedBy int
}

func (f *fakeProto) AppendRequest(b []byte) []byte {
	if f.noOption {
		return b
	}
	return RawOption{Type: 1, Data: []byte{f.want}}.Append(b)
}

func (f *fakeProto) ReceiveAck(opts []byte) bool {
	return string(opts) == string(f.AppendRequest(nil))
}

func (f *fakeProto) ReceiveNak(opts []byte) bool {
	o, err := ParseOptions(opts)
	if err != nil || len(o) != 1 || len(o[0].Data) != 1 {
		return false
	}
	if !f.stubborn {
		f.want = o[0].Data[0]
	}
	return true
}

func (f *fakeProto) ReceiveReject(opts []byte) bool {
	f.noOption = true
	f.rejectedBy++
	return true
}

func (f *fakeProto) ReceiveRequest(opts, reply []byte, rejectOnly bool) (Code, []byte) {
	o, err := ParseOptions(opts)
	if err != nil {
		return ConfigureReject, append(reply, opts...)
	}
	for _, opt := range o {
		if opt.Type == 1 && len(opt.Data) == 1 && opt.Data[0] > f.max {
			if rejectOnly && !f.alwaysNak {
				return ConfigureReject, opt.Append(reply)
			}
			return ConfigureNak, RawOption{Type: 1, Data: []byte{f.max}}.Append(reply)
		}
	}
	return ConfigureAck, append(reply, opts...)
}

func (f *fakeProto) Up()                                   { f.events = append(f.events, "up") }
func (f *fakeProto) Down()                                 { f.events = append(f.events, "down") }
func (f *fakeProto) Started()                              { f.events = append(f.events, "started") }
func (f *fakeProto) Finished()                             { f.events = append(f.events, "finished") }
func (f *fakeProto) ReceiveOther(Code, uint8, []byte) bool { return false }
func (f *fakeProto) CodeRejectFatal(Code) bool             { return false }

// wire joins machines through queues so that no Receive runs inside
// another machine's Send.
type wire struct {
	clk   *clock.Manual
	queue []func()
	drop  func(from int, pkt []byte) bool
	sent  [2][][]byte
}

func (w *wire) machine(t *testing.T, side int, p *fakeProto, peer **Machine) *Machine {
	return New(Config{
		Protocol: ppp.ProtocolIPCP,
		Send: func(pkt []byte) {
			pkt = append([]byte(nil), pkt...)
			w.sent[side] = append(w.sent[side], pkt)
			if w.drop != nil && w.drop(side, pkt) {
				return
			}
			w.queue = append(w.queue, func() {
				if err := (*peer).Receive(pkt); err != nil {
					t.Errorf("receive: %v", err)
				}
			})
		},
		NewTimer: func(f func()) ppp.Timer { return &manualTimer{clk: w.clk, f: f} },
	}, p)
}

func (w *wire) pump() {
	for len(w.queue) > 0 {
		f := w.queue[0]
		w.queue = w.queue[1:]
		f()
	}
}

func newPair(t *testing.T, pa, pb *fakeProto) (*wire, *Machine, *Machine) {
	w := &wire{clk: clock.NewManual(time.Unix(0, 0))}
	var a, b *Machine
	a = w.machine(t, 0, pa, &b)
	b = w.machine(t, 1, pb, &a)
	return w, a, b
}

func TestMachineNegotiates(t *testing.T) {
	pa := &fakeProto{want: 200, max: 100}
	pb := &fakeProto{want: 50, max: 100}
	w, a, b := newPair(t, pa, pb)
	a.Open()
	b.Open()
	a.Up()
	b.Up()
	w.pump()
	if a.State() != Opened || b.State() != Opened {
		t.Fatalf("states %v %v, want both Opened", a.State(), b.State())
	}
	if pa.want != 100 {
		t.Errorf("a asks for %d after the Nak, want 100", pa.want)
	}
	if w.clk.Pending() != 0 {
		t.Errorf("%d timers still pending once Opened", w.clk.Pending())
	}
}

func TestMachineRetransmitsThenGivesUp(t *testing.T) {
	pa := &fakeProto{want: 1, max: 1}
	w, a, _ := newPair(t, pa, &fakeProto{})
	w.drop = func(int, []byte) bool { return true }
	a.Open()
	a.Up()
	for i := 0; i < 10; i++ {
		w.clk.Advance(3 * time.Second)
	}
	if got := len(w.sent[0]); got != 10 {
		t.Errorf("sent %d Configure-Requests, want Max-Configure = 10", got)
	}
	if a.State() != Stopped {
		t.Errorf("state %v, want Stopped", a.State())
	}
	if got := pa.events[len(pa.events)-1]; got != "finished" {
		t.Errorf("last event %q, want finished", got)
	}
	// Retransmissions repeat the Identifier.
	if w.sent[0][0][1] != w.sent[0][9][1] {
		t.Errorf("retransmission changed the Identifier")
	}
}

func TestMachineRejectsAfterMaxFailure(t *testing.T) {
	// a insists on 200; b naks Max-Failure times, then rejects.
	pa := &fakeProto{want: 200, max: 255, stubborn: true}
	pb := &fakeProto{max: 100}
	w, a, b := newPair(t, pa, pb)
	a.Open()
	b.Open()
	a.Up()
	b.Up()
	w.pump()
	if a.State() != Opened || b.State() != Opened {
		t.Fatalf("states %v %v, want both Opened", a.State(), b.State())
	}
	if pa.rejectedBy != 1 {
		t.Errorf("rejected %d times, want 1", pa.rejectedBy)
	}
}

func TestMachineCloseTerminates(t *testing.T) {
	pa, pb := &fakeProto{max: 9}, &fakeProto{max: 9}
	w, a, b := newPair(t, pa, pb)
	a.Open()
	b.Open()
	a.Up()
	b.Up()
	w.pump()
	a.Close()
	w.pump()
	if a.State() != Closed || b.State() != Stopping {
		t.Fatalf("states %v %v, want Closed Stopping", a.State(), b.State())
	}
	w.clk.Advance(3 * time.Second)
	if b.State() != Stopped {
		t.Errorf("peer state %v after the restart timer, want Stopped", b.State())
	}
	for name, p := range map[string]*fakeProto{"closer": pa, "peer": pb} {
		if got := p.events[len(p.events)-1]; got != "finished" {
			t.Errorf("%s: last event %q, want finished", name, got)
		}
	}
}

// A peer that naks forever must not make us loop at line speed: past
// Max-Failure its Naks count as Rejects.
func TestMachineBoundsReceivedNaks(t *testing.T) {
	pa := &fakeProto{want: 200, max: 255, stubborn: true}
	pb := &fakeProto{max: 100, alwaysNak: true}
	w, a, b := newPair(t, pa, pb)
	a.Open()
	b.Open()
	a.Up()
	b.Up()
	w.pump()
	if a.State() != Opened || b.State() != Opened {
		t.Fatalf("states %v %v, want both Opened", a.State(), b.State())
	}
	if pa.rejectedBy != 1 {
		t.Errorf("option dropped %d times, want 1", pa.rejectedBy)
	}
	if n := len(w.sent[0]); n > 5+3 {
		t.Errorf("sent %d packets, want about Max-Failure", n)
	}
}

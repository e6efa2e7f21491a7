package linkstate

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// pair brings up a client link and its network side over an in-memory
// line.
func pair(ctx context.Context) (client, network *gprsppp.Link, err error) {
	a, b := ppptest.Pipe()
	nch := make(chan *gprsppp.Link, 1)
	go func() {
		l, _ := gprsppp.OpenNetwork(ctx, b, gprsppp.NetworkConfig{DNS: []netip.Addr{netip.MustParseAddr("10.64.64.1")}})
		nch <- l
	}()
	client, err = gprsppp.Open(ctx, a, gprsppp.Config{})
	network = <-nch
	if err != nil || network == nil {
		return nil, nil, errors.Join(err, errors.New("network side failed"))
	}
	return client, network, nil
}

// A supervisor through a failed dial, a link the network drops and a
// link ended by cancelling: the events in order, redials counted, and
// the totals carrying the ended links' counters.
func TestTrackerFollowsSupervisor(t *testing.T) {
	events := make(chan Event, 100)
	tr := New(Config{Name: "test", Device: "pipe", Persist: true, OnEvent: func(ev Event) { events <- ev }})
	networks := make(chan *gprsppp.Link, 3)
	dials := 0
	dial := func(ctx context.Context) (*gprsppp.Link, error) {
		dials++
		if dials == 1 {
			return nil, errors.New("no carrier")
		}
		c, n, err := pair(ctx)
		if err == nil {
			networks <- n
		}
		return c, err
	}
	sup := gprsppp.NewSupervisor(tr.Wrap(gprsppp.SupervisorConfig{
		Dial: dial, Persist: true, Holdoff: time.Millisecond, MaxFail: -1}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- sup.Run(ctx) }()

	next := func(want EventKind) Event {
		t.Helper()
		select {
		case ev := <-events:
			if ev.Kind != want {
				t.Fatalf("event %d (%+v), want %d", ev.Kind, ev, want)
			}
			return ev
		case <-time.After(20 * time.Second):
			t.Fatalf("no event %d within 20 s", want)
			return Event{}
		}
	}
	next(EventDialing)
	if ev := next(EventDialFailed); ev.Status.State != Down || ev.Status.LastReason != "no carrier" {
		t.Errorf("after a failed dial: %+v", ev.Status)
	}
	if ev := next(EventDialing); ev.Status.Redials != 1 {
		t.Errorf("redials %d", ev.Status.Redials)
	}
	up := next(EventUp)
	wantUp := Status{Name: "test", Device: "pipe", State: Up, Address: netip.MustParseAddr("10.64.64.2"),
		Peer: netip.MustParseAddr("10.64.64.1"), DNS: []netip.Addr{netip.MustParseAddr("10.64.64.1")}, Redials: 1, LastReason: "no carrier"}
	got := up.Status
	got.Since, got.Uptime, got.Link, got.Total = time.Time{}, 0, gprsppp.Stats{}, gprsppp.Stats{}
	if diff := cmp.Diff(wantUp, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("status when up (-want +got):\n%s", diff)
	}
	if st := tr.Status(); st.State != Up || st.Link.FramesIn == 0 || st.Total != st.Link || st.Uptime <= 0 {
		t.Errorf("status of a link up: %+v", st)
	}

	(<-networks).Close() // the network ends the call
	down := next(EventDown)
	if !errors.Is(down.Err, gprsppp.ErrPeerTerminated) || down.Duration <= 0 || down.Stats.FramesIn == 0 ||
		down.Status.State != Down || down.Status.Total != down.Stats || down.Status.Link != (gprsppp.Stats{}) {
		t.Errorf("down: %+v", down)
	}
	if ev := next(EventDialing); ev.Status.Redials != 2 {
		t.Errorf("redials %d", ev.Status.Redials)
	}
	next(EventUp)
	st := tr.Status()
	if st.Total.FramesIn <= down.Stats.FramesIn || st.Total.OctetsOut <= down.Stats.OctetsOut {
		t.Errorf("totals %+v do not add the second link to the first's %+v", st.Total, down.Stats)
	}

	cancel()
	if err := <-runErr; err != nil {
		t.Errorf("Run: %v", err)
	}
	tr.Close()
	last := next(EventDown)
	if !errors.Is(last.Err, gprsppp.ErrClosed) {
		t.Errorf("last link ended with %v", last.Err)
	}
	if st := tr.Status(); st.State != Stopped || st.Total.FramesIn < last.Status.Total.FramesIn {
		t.Errorf("after Close: %+v", st)
	}
	for len(networks) > 0 {
		(<-networks).Close()
	}
}

// A dual-stack link: the status carries the IPv6 link-local addresses
// from IPv6CP at once, and the global address and DNS server of the
// router advertisement as soon as it comes (an EventChanged, unless it
// came before the link was reported up).
func TestTrackerFollowsIPv6(t *testing.T) {
	events := make(chan Event, 100)
	tr := New(Config{Name: "test", Device: "pipe", OnEvent: func(ev Event) { events <- ev }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, b := ppptest.Pipe()
	networks := make(chan *gprsppp.Link, 1)
	dial := func(ctx context.Context) (*gprsppp.Link, error) {
		go func() {
			n, _ := gprsppp.OpenNetwork(ctx, b, gprsppp.NetworkConfig{
				IPv6: &gprsppp.NetworkIPv6{DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}}})
			networks <- n
		}()
		return gprsppp.Open(ctx, a, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6})
	}
	sup := gprsppp.NewSupervisor(tr.Wrap(gprsppp.SupervisorConfig{Dial: dial}))
	runErr := make(chan error, 1)
	go func() { runErr <- sup.Run(ctx) }()

	global := netip.MustParseAddr("2001:db8:64::2")
	var up bool
	var st Status
	deadline := time.After(20 * time.Second)
	for !slices.Contains(st.IPv6, global) {
		select {
		case ev := <-events:
			switch ev.Kind {
			case EventUp:
				up = true
			case EventChanged:
				if !up {
					t.Fatal("EventChanged before EventUp")
				}
			case EventDialing:
				continue
			default:
				t.Fatalf("event %d: %+v", ev.Kind, ev)
			}
			st = ev.Status
		case <-deadline:
			t.Fatalf("no status with %v within 20 s; last %+v", global, st)
		}
	}
	want := Status{IPv6: []netip.Addr{netip.MustParseAddr("fe80::2"), global}, IPv6Peer: netip.MustParseAddr("fe80::1"),
		IPv6DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}}
	got := Status{IPv6: st.IPv6, IPv6Peer: st.IPv6Peer, IPv6DNS: st.IPv6DNS}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("IPv6 status (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(st.IPv6, tr.Status().IPv6, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("Status() (-event +Status()):\n%s", diff)
	}
	cancel()
	<-runErr
	tr.Close()
	if n := <-networks; n != nil {
		n.Close()
	}
}

// fakeTUN is a TUN interface's name and drop counter.
type fakeTUN struct{ drops atomic.Uint64 }

func (*fakeTUN) Name() string    { return "gprs0" }
func (f *fakeTUN) Drops() uint64 { return f.drops.Load() }

// Status reports the TUN interface and its drops as they are now, and
// nothing of one without it.
func TestTrackerTUN(t *testing.T) {
	if st := New(Config{Name: "test"}).Status(); st.TUN != "" || st.TUNDrops != 0 {
		t.Errorf("without a TUN: %q, %d", st.TUN, st.TUNDrops)
	}
	tun := new(fakeTUN)
	tr := New(Config{Name: "test", TUN: tun})
	tun.drops.Store(3)
	if st := tr.Status(); st.TUN != "gprs0" || st.TUNDrops != 3 {
		t.Errorf("status: tun %q, %d drops; want gprs0, 3", st.TUN, st.TUNDrops)
	}
	tun.drops.Store(5)
	if st := tr.Status(); st.TUNDrops != 5 {
		t.Errorf("status: %d drops, want the 5 counted since", st.TUNDrops)
	}
}

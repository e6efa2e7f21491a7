package test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// networks hands out a fresh network side for each dial and lets the
// test end the current one, as a dropped call would.
type networks struct {
	t   *testing.T
	mu  sync.Mutex
	cur *gprsppp.Link
	all []*gprsppp.Link
}

func (n *networks) dial(ctx context.Context) (*gprsppp.Link, error) {
	a, b := ppptest.Pipe()
	nch := make(chan *gprsppp.Link, 1)
	go func() {
		l, err := gprsppp.OpenNetwork(ctx, b, gprsppp.NetworkConfig{})
		if err != nil {
			nch <- nil
			return
		}
		serveNetwork(n.t, l)
		nch <- l
	}()
	client, err := gprsppp.Open(ctx, a, gprsppp.Config{})
	network := <-nch
	if err != nil || network == nil {
		return nil, errors.Join(err, errors.New("network side failed"))
	}
	n.mu.Lock()
	n.cur = network
	n.all = append(n.all, network)
	n.mu.Unlock()
	return client, nil
}

func (n *networks) drop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cur.Close()
}

func TestSupervisorRedials(t *testing.T) {
	nets := &networks{t: t}
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{Dial: nets.dial, Persist: true, Holdoff: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- sup.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-runErr; err != nil {
			t.Errorf("Run: %v", err)
		}
		for _, l := range nets.all {
			l.Close()
		}
	}()

	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	first, err := sup.Link(wctx)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sup.DialContext(wctx, "tcp", "10.64.64.1:7")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	nets.drop()
	// The socket on the old link fails promptly.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("read on the dropped link: %v, want a prompt error", err)
	}
	// A new link comes up and carries new sockets.
	second, err := sup.Link(wctx)
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Fatal("Link returned the dropped link")
	}
	echoTCP(t, second, "10.64.64.1:7", 64<<10)
}

func TestSupervisorGivesUp(t *testing.T) {
	var dials int
	fail := errors.New("no modem")
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial:    func(context.Context) (*gprsppp.Link, error) { dials++; return nil, fail },
		Persist: true, Holdoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, MaxFail: 5,
	})
	err := sup.Run(context.Background())
	if !errors.Is(err, fail) || dials != 5 {
		t.Fatalf("Run = %v after %d dials, want %v after 5", err, dials, fail)
	}
	if _, err := sup.Link(context.Background()); !errors.Is(err, gprsppp.ErrSupervisorStopped) {
		t.Errorf("Link after giving up: %v", err)
	}
}

package test

import (
	"runtime"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
)

// floodWithin is how long a flood may take to inject: the receiver reads
// its line all the while, so a flood that does not get through is a link
// that stopped reading.
const floodWithin = 15 * time.Second

// startFlood injects n packets from a goroutine. The function
// it returns waits for the flood to end, failing the test if the packets
// are not all taken within floodWithin of the start.
func startFlood(t *testing.T, n int, inject func(i int) error) (wait func()) {
	done := make(chan error, 1)
	deadline := time.NewTimer(floodWithin)
	go func() {
		for i := range n {
			if err := inject(i); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	return func() {
		t.Helper()
		defer deadline.Stop()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("flood: %v", err)
			}
		case <-deadline.C:
			t.Fatalf("a flood of %d packets not taken within %v: the link stopped reading", n, floodWithin)
		}
	}
}

// heapInUse returns the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// A peer that sends thousands of LCP Configure-Requests on an open link
// makes it renegotiate at every one (RFC 1661 §4.1: RCR in Opened is
// tld, scr, sca), but the link neither crashes nor hangs nor grows: once
// the flood ends it negotiates again and carries TCP, or ends with
// ErrNegotiation; either way goroutines and memory stay bounded.
func TestLCPConfigureRequestFlood(t *testing.T) {
	goroutines := testenv.Goroutines()
	t.Cleanup(func() { // runs last, once the links and relays are gone
		if leaked := testenv.WaitGoroutines(goroutines); leaked != "" {
			t.Error(leaked)
		}
	})
	clientEnd, networkEnd, toClient, toNetwork := injectLine(t)
	cfg := gprsppp.Config{Restart: time.Second}
	client, network := pair(t, clientEnd, networkEnd, cfg, gprsppp.NetworkConfig{Restart: time.Second})
	serveNetwork(t, network)
	echoTCP(t, client, "10.64.64.1:7", 16<<10)
	up, heap := testenv.Goroutines(), heapInUse()

	const n = 10000
	startFlood(t, n, func(i int) error {
		return toClient.inject(ppp.ProtocolLCP, fsm.ConfigureRequest, uint8(i), nil)
	})()
	if !toClient.probe(t, 10*time.Second) {
		select {
		case <-client.Done():
			if err := client.Err(); !isErr(err, gprsppp.ErrNegotiation) {
				t.Fatalf("the link ended with %v, want ErrNegotiation or a link that negotiates again", err)
			}
			t.Logf("the link ended: %v", client.Err())
			return
		default:
			t.Fatal("LCP not open again within 10 s of the flood, and the link still up")
		}
	}
	echoTCP(t, client, "10.64.64.1:7", 64<<10)
	for _, l := range []*gprsppp.Link{client, network} {
		select {
		case <-l.Done():
			t.Fatalf("link ended: %v", l.Err())
		default:
		}
	}
	t.Logf("%d Configure-Requests injected: the client sent %d and the network side %d; client %+v",
		n, toNetwork.count(ppp.ProtocolLCP, fsm.ConfigureRequest), toClient.count(ppp.ProtocolLCP, fsm.ConfigureRequest),
		client.Stats())
	if leaked := testenv.WaitGoroutines(up + 2); leaked != "" {
		t.Errorf("after the flood: %s", leaked)
	}
	if grown := int64(heapInUse()) - int64(heap); grown > 16<<20 {
		t.Errorf("heap grew by %d MB over the flood", grown>>20)
	}
}

// A peer that floods an open link with LCP Echo-Requests while TCP runs
// over it gets every one answered, or counted in ControlDrops if the
// link's queue was full; the link stays up and TCP goes on.
func TestLCPEchoRequestFlood(t *testing.T) {
	clientEnd, networkEnd, toClient, toNetwork := injectLine(t)
	client, network := pair(t, clientEnd, networkEnd, gprsppp.Config{}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)

	const n = 20000
	wait := startFlood(t, n, func(i int) error { return toClient.injectEcho(uint8(i)) })
	echoTCP(t, client, "10.64.64.1:7", 1<<20)
	wait()
	if !toClient.probe(t, 10*time.Second) {
		t.Fatal("no answer to an Echo-Request within 10 s of the flood")
	}
	injected, answered, dropped := toClient.echoes.Load(), toNetwork.echoed.Load(), int64(client.Stats().ControlDrops)
	t.Logf("%d Echo-Requests injected: %d answered, %d dropped", injected, answered, dropped)
	if answered+dropped != injected {
		t.Errorf("%d Echo-Requests injected, %d answered and %d dropped: some went unanswered and uncounted",
			injected, answered, dropped)
	}
	echoTCP(t, client, "10.64.64.1:7", 64<<10)
	for _, l := range []*gprsppp.Link{client, network} {
		select {
		case <-l.Done():
			t.Fatalf("link ended: %v", l.Err())
		default:
		}
	}
}

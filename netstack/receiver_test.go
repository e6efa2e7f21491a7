package netstack_test

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/netstack"
)

// chanWriter is a Writer that queues copies of the packets for a
// goroutine to deliver; it drops them when the queue is full.
type chanWriter chan []byte

func (w chanWriter) WritePacket(pkt []byte) error {
	select {
	case w <- append([]byte(nil), pkt...):
	default:
	}
	return nil
}

// TestReceiver sends a stream through a Receiver that gets what the
// link holds in runs, as the reader of a line does, and checks that the
// stream arrives whole with segments joined.
func TestReceiver(t *testing.T) {
	checkGoroutines(t)
	ab, ba := make(chanWriter, 4096), make(chanWriter, 4096)
	a, err := netstack.New(netstack.Config{LocalAddr: addrA, Out: ab})
	if err != nil {
		t.Fatal(err)
	}
	b, err := netstack.New(netstack.Config{LocalAddr: addrB, Out: ba})
	if err != nil {
		t.Fatal(err)
	}
	rx := b.NewReceiver()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // a to b in runs of what is queued, flushed after each
		for {
			select {
			case p := <-ab:
				rx.Deliver(p)
				for more := true; more; {
					select {
					case p := <-ab:
						rx.Deliver(p)
						more = len(ab) > 0
					default:
						more = false
					}
				}
				rx.Flush()
			case <-done:
				return
			}
		}
	})
	wg.Go(func() {
		for {
			select {
			case p := <-ba:
				a.DeliverInbound(p)
			case <-done:
				return
			}
		}
	})
	t.Cleanup(func() {
		a.Close()
		b.Close()
		close(done)
		wg.Wait()
	})

	l := listen(t, b, ":9")
	want := make([]byte, 1<<20)
	for i := range want {
		want[i] = byte(i * 7 / 13)
	}
	got := make(chan []byte, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		data, _ := io.ReadAll(c)
		got <- data
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := a.DialContext(ctx, "tcp", netip.AddrPortFrom(addrB, 9).String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(want); err != nil {
		t.Fatal(err)
	}
	c.Close()
	select {
	case data := <-got:
		if !bytes.Equal(data, want) {
			t.Fatalf("received %d octets, not the %d sent", len(data), len(want))
		}
	case <-ctx.Done():
		t.Fatal("stream not received within 30 s")
	}
	if st := b.Stats(); st.SegmentsJoined == 0 {
		t.Errorf("no segments joined (%+v)", st)
	}
}

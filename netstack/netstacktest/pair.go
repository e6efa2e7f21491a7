// Package netstacktest joins two netstack.Stacks back to back over a plain
// in-memory packet link, without PPP. Tests use it to exercise the stacks,
// and benchmarks use it as the baseline to compare a PPP link against.
package netstacktest

import (
	"errors"
	"net/netip"
	"sync"
	"testing"

	"github.com/gprsppp/gprsppp/netstack"
)

// QueueLen is how many packets each direction of a Pair's link holds. It
// exceeds the largest TCP window the stacks advertise, so a single stream
// never overflows it.
const QueueLen = 4096

var (
	errLinkDown  = errors.New("netstacktest: link closed")
	errQueueFull = errors.New("netstacktest: link queue full")
)

// Pair returns two stacks with addresses a and b whose links are joined:
// every packet one sends is delivered to the other. Each stack's DNSServers
// is the other's address, so a DNS server on one side answers lookups from
// the other. Both stacks are closed, and the link's goroutines stopped, by
// t.Cleanup.
//
// Each direction is a bounded queue of QueueLen packets drained by its own
// goroutine. The Writer never blocks: when the queue is full it drops the
// packet and returns an error (counted in the sender's Stats.DroppedOut),
// like a congested link. Blocking instead could deadlock, because a stack
// may answer a packet inline from DeliverInbound while the opposite queue
// is full as well.
func Pair(t testing.TB, a, b netip.Addr) (*netstack.Stack, *netstack.Stack) {
	t.Helper()
	return PairConfig(t,
		netstack.Config{LocalAddr: a, DNSServers: []netip.Addr{b}},
		netstack.Config{LocalAddr: b, DNSServers: []netip.Addr{a}})
}

// PairConfig is Pair with full control over both stacks' configuration,
// for example to make one side Promiscuous. The Out fields are ignored:
// PairConfig sets them to the two directions of the link.
func PairConfig(t testing.TB, a, b netstack.Config) (*netstack.Stack, *netstack.Stack) {
	t.Helper()
	ab, ba := newLink(), newLink()
	a.Out, b.Out = ab, ba
	sa, err := netstack.New(a)
	if err != nil {
		t.Fatalf("netstacktest: %v", err)
	}
	sb, err := netstack.New(b)
	if err != nil {
		sa.Close()
		t.Fatalf("netstacktest: %v", err)
	}
	ab.dst, ba.dst = sb, sa

	var wg sync.WaitGroup
	wg.Add(2)
	go ab.routineDeliver(&wg)
	go ba.routineDeliver(&wg)
	t.Cleanup(func() {
		// Count drops before closing: a closing stack drops its last
		// packets (resets for open connections) on purpose.
		for _, s := range []*netstack.Stack{sa, sb} {
			if st := s.Stats(); st.DroppedOut > 0 {
				t.Logf("netstacktest: %v dropped %d outbound packets", s.LocalAddr(), st.DroppedOut)
			}
		}
		sa.Close()
		sb.Close()
		close(ab.done)
		close(ba.done)
		wg.Wait()
	})
	return sa, sb
}

// link is one direction: a Writer feeding a queue that a goroutine drains
// into the destination stack.
type link struct {
	q    chan *[]byte
	done chan struct{}
	bufs sync.Pool
	dst  *netstack.Stack // set before routineDeliver starts
}

func newLink() *link {
	l := &link{
		q:    make(chan *[]byte, QueueLen),
		done: make(chan struct{}),
	}
	l.bufs.New = func() any { return new([]byte) }
	return l
}

// WritePacket implements netstack.Writer. It copies pkt into the queue.
func (l *link) WritePacket(pkt []byte) error {
	select {
	case <-l.done:
		return errLinkDown
	default:
	}
	bp := l.bufs.Get().(*[]byte)
	*bp = append((*bp)[:0], pkt...)
	select {
	case l.q <- bp:
		return nil
	default:
		l.bufs.Put(bp)
		return errQueueFull
	}
}

// routineDeliver drains the queue into the destination stack until done.
func (l *link) routineDeliver(wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case bp := <-l.q:
			l.dst.DeliverInbound(*bp)
			l.bufs.Put(bp)
		case <-l.done:
			return
		}
	}
}

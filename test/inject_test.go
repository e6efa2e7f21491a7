package test

import (
	"bytes"
	"encoding/binary"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppp/fsm"
	"github.com/gprsppp/gprsppp/ppptest"
)

// injectRelay carries one direction of a line between two links, from
// the side that sends to the side that receives. It counts the control
// packets passing through, and inserts frames of the test's own between
// the sender's frames, as if the sender had written them: the receiver
// cannot tell them apart.
type injectRelay struct {
	dst  io.WriteCloser
	back *injectRelay // the other direction, which carries the answers
	seen sync.Map     // seenKey → *atomic.Int64, control packets passed
	// passed is signalled after each control packet passed.
	passed chan struct{}
	// echoes counts the Echo-Requests injected here (see injectEcho);
	// echoed counts the Echo-Replies passed here that answer those
	// injected the other way.
	echoes, echoed atomic.Int64

	mu      sync.Mutex // guards the fields below and writes to dst
	enc     ppp.Encoder
	atFlag  bool   // the last octet written to dst was a Flag Sequence
	pending []byte // injected frames waiting for the end of a frame
}

type seenKey struct {
	proto ppp.Protocol
	code  fsm.Code
}

// echoMark starts the data, after the Magic-Number, of every injected
// Echo-Request.
var echoMark = []byte("injected echo")

// injectLine joins a client and a network side through two injectRelays:
// toClient carries what the network side sends, toNetwork what the
// client sends. t.Cleanup closes every end and waits for the relays.
func injectLine(t *testing.T) (clientEnd, networkEnd io.ReadWriteCloser, toClient, toNetwork *injectRelay) {
	c, cr := ppptest.Pipe() // client ↔ relay
	nr, n := ppptest.Pipe() // relay ↔ network
	toClient, toNetwork = newInjectRelay(cr), newInjectRelay(nr)
	toClient.back, toNetwork.back = toNetwork, toClient
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); toClient.routineCopy(nr) }()
	go func() { defer wg.Done(); toNetwork.routineCopy(cr) }()
	t.Cleanup(func() {
		for _, e := range []io.Closer{c, cr, nr, n} {
			e.Close()
		}
		wg.Wait()
	})
	return c, n, toClient, toNetwork
}

func newInjectRelay(dst io.WriteCloser) *injectRelay {
	r := &injectRelay{dst: dst, atFlag: true, passed: make(chan struct{}, 1)}
	r.enc.ACCM = 0xffffffff
	return r
}

// routineCopy copies src to dst, a frame at a time, until either fails.
func (r *injectRelay) routineCopy(src io.Reader) {
	defer r.dst.Close()
	var dec ppp.Decoder
	dec.AnyFCS = true
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		dec.Decode(buf[:n], r.watch)
		for p := buf[:n]; len(p) > 0; {
			end := len(p)
			if i := bytes.IndexByte(p, 0x7e); i >= 0 {
				end = i + 1
			}
			if r.write(p[:end]) != nil {
				return
			}
			p = p[end:]
		}
		if err != nil {
			return
		}
	}
}

// write passes on part of a frame, then the injected frames waiting if
// that part ended the frame.
func (r *injectRelay) write(p []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.dst.Write(p); err != nil {
		return err
	}
	r.atFlag = p[len(p)-1] == 0x7e
	return r.flush()
}

// flush writes the injected frames waiting, if dst is between frames.
// r.mu is held.
func (r *injectRelay) flush() error {
	if !r.atFlag || len(r.pending) == 0 {
		return nil
	}
	_, err := r.dst.Write(r.pending)
	r.pending = r.pending[:0]
	return err
}

// watch counts a frame passing through.
func (r *injectRelay) watch(frame []byte) {
	proto, info, err := ppp.ParseFrame(frame)
	var cp ppp.ControlPacket
	if err != nil || proto == ppp.ProtocolIPv4 || cp.Parse(info) != nil {
		return
	}
	code := fsm.Code(cp.Code)
	c, _ := r.seen.LoadOrStore(seenKey{proto, code}, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
	if proto == ppp.ProtocolLCP && code == fsm.EchoReply && len(cp.Data) >= 4 &&
		bytes.HasPrefix(cp.Data[4:], echoMark) {
		r.echoed.Add(1)
	}
	select {
	case r.passed <- struct{}{}:
	default:
	}
}

// count returns how many control packets of proto and code have passed.
func (r *injectRelay) count(proto ppp.Protocol, code fsm.Code) int64 {
	c, ok := r.seen.Load(seenKey{proto, code})
	if !ok {
		return 0
	}
	return c.(*atomic.Int64).Load()
}

// inject sends the receiver a control packet as if the sender had sent
// it, once the sender's frame in progress, if any, has been passed on.
func (r *injectRelay) inject(proto ppp.Protocol, code fsm.Code, id uint8, data []byte) error {
	pkt := ppp.ControlPacket{Code: uint8(code), Identifier: id, Data: data}.Append(nil)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = r.enc.AppendFrame(r.pending, proto, pkt)
	return r.flush()
}

// injectEcho sends the receiver an LCP Echo-Request whose reply
// r.back.echoed counts; r.echoes counts the requests. Its Magic-Number is
// zero, which no link takes for its own.
func (r *injectRelay) injectEcho(id uint8) error {
	r.echoes.Add(1)
	data := binary.BigEndian.AppendUint32(nil, 0)
	data = append(data, echoMark...)
	return r.inject(ppp.ProtocolLCP, fsm.EchoRequest, id, append(data, id))
}

// probe sends the receiver Echo-Requests, one a second, until one is
// answered: the receiver has then processed (or dropped, if its queue
// was full) every packet injected before. It reports whether an answer
// came within the deadline.
func (r *injectRelay) probe(t *testing.T, within time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		want := r.back.echoed.Load() + 1
		if err := r.injectEcho(0xee); err != nil {
			t.Fatalf("inject: %v", err)
		}
		if r.back.waitFor(time.Second, func() bool { return r.back.echoed.Load() >= want }) {
			return true
		}
	}
	return false
}

// waitFor waits until cond, checked whenever a control packet passes,
// holds, or the deadline passes; it reports whether cond held.
func (r *injectRelay) waitFor(within time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for !cond() {
		select {
		case <-r.passed:
		case <-deadline.C:
			return cond()
		}
	}
	return true
}

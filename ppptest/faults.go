package ppptest

import (
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Faults describes the damage a FaultyConn does to the bytes written
// through it. The zero value does nothing. Probabilities are in [0, 1];
// values outside that range are clamped.
type Faults struct {
	// BER is the bit error rate: each bit written is flipped with this
	// probability.
	BER float64
	// Drop, Duplicate and Insert are per-octet probabilities that an
	// octet is lost, sent twice, or preceded by one random octet.
	Drop, Duplicate, Insert float64
	// BurstEvery places a burst of BurstLen random octets before an
	// octet every BurstEvery octets on average; zero means no bursts.
	BurstEvery int64
	// BurstLen is the number of random octets in each burst.
	BurstLen int
	// Stall blocks Write for this long before an octet, every StallEvery
	// octets on average, as a modem does while it retunes; zero StallEvery
	// means no stalls.
	Stall      time.Duration
	StallEvery int64
	// CloseAfter closes the underlying stream once this many of the
	// caller's octets have been written; zero means never.
	CloseAfter int64
	// Seed seeds the PCG generator that places every fault, so the same
	// Faults applied to the same writes do the same damage.
	Seed uint64
}

// FaultStats counts the faults a FaultyConn has injected.
type FaultStats struct {
	BitsFlipped, Dropped, Duplicated, Inserted, Bursts, Stalls int64
}

// FaultyConn damages the bytes written through it, as a noisy radio link
// or serial line would, and passes reads through untouched. To damage both
// directions of a link, write each direction through its own FaultyConn,
// for instance in a relay between two Pipes.
//
// Faults are placed by drawing the gap to the next one from a geometric
// distribution, so clean runs are copied in bulk and megabytes pass
// quickly. Writes are serialised; Stats may be called concurrently.
type FaultyConn struct {
	rw     io.ReadWriteCloser
	f      Faults
	closed chan struct{}
	once   sync.Once

	mu      sync.Mutex // serialises Write and guards the fields below
	rng     *rand.Rand
	out     []byte
	written int64    // caller's octets consumed
	next    [5]int64 // octets until the next fault of each kind
	flipBit int64    // bits until the next bit flip, from the current octet
	failed  bool     // CloseAfter was reached

	stats struct {
		bitsFlipped, dropped, duplicated, inserted, bursts, stalls atomic.Int64
	}
}

// Kinds of octet fault, indexing FaultyConn.next.
const (
	faultStall = iota
	faultBurst
	faultInsert
	faultDrop
	faultDuplicate
)

var _ io.ReadWriteCloser = (*FaultyConn)(nil)

// Faulty returns rw with the faults f applied to everything written to it.
func Faulty(rw io.ReadWriteCloser, f Faults) *FaultyConn {
	c := &FaultyConn{
		rw:     rw,
		f:      f,
		closed: make(chan struct{}),
		rng:    rand.New(rand.NewPCG(f.Seed, 0x6770727370707021)),
	}
	for k := range c.next {
		c.next[k] = c.gap(c.prob(k))
	}
	c.flipBit = c.gap(f.BER)
	return c
}

// Stats returns the faults injected so far.
func (c *FaultyConn) Stats() FaultStats {
	s := &c.stats
	return FaultStats{
		BitsFlipped: s.bitsFlipped.Load(), Dropped: s.dropped.Load(),
		Duplicated: s.duplicated.Load(), Inserted: s.inserted.Load(),
		Bursts: s.bursts.Load(), Stalls: s.stalls.Load(),
	}
}

// Read reads from the underlying stream, undamaged.
func (c *FaultyConn) Read(p []byte) (int, error) { return c.rw.Read(p) }

// Close closes the underlying stream and ends any stall in progress. It
// is idempotent and returns the first Close's error.
func (c *FaultyConn) Close() error {
	var err error
	c.once.Do(func() {
		close(c.closed)
		err = c.rw.Close()
	})
	return err
}

// Write writes the damaged p to the underlying stream. It reports len(p)
// when every octet was processed, even those dropped; after CloseAfter
// octets it closes the stream and returns io.ErrClosedPipe.
func (c *FaultyConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed {
		return 0, io.ErrClosedPipe
	}
	q := p
	if c.f.CloseAfter > 0 && int64(len(q)) > c.f.CloseAfter-c.written {
		q = q[:c.f.CloseAfter-c.written]
	}
	c.out = c.out[:0]
	n, err := c.damage(q)
	if err == nil {
		_, err = c.flush()
	}
	if err == nil && c.f.CloseAfter > 0 && c.written >= c.f.CloseAfter {
		c.failed = true
		c.Close()
		err = io.ErrClosedPipe
	}
	return n, err
}

// damage appends the damaged q to c.out, flushing at stalls, and returns
// how many octets of q it consumed.
func (c *FaultyConn) damage(q []byte) (int, error) {
	n := 0
	for n < len(q) {
		run := min(int64(len(q)-n), c.flipBit/8)
		for _, k := range c.next {
			run = min(run, k)
		}
		c.out = append(c.out, q[n:n+int(run)]...)
		c.advance(run)
		n += int(run)
		if n == len(q) {
			break
		}
		if err := c.octet(q[n]); err != nil {
			return n, err
		}
		c.advance(1)
		n++
	}
	return n, nil
}

// advance moves every countdown past n octets.
func (c *FaultyConn) advance(n int64) {
	for k := range c.next {
		c.next[k] -= n
	}
	c.flipBit -= 8 * n
	c.written += n
}

// octet applies the faults due at octet b. Each countdown that reached
// zero is redrawn to count from the octet after b.
func (c *FaultyConn) octet(b byte) error {
	if c.due(faultStall) {
		if _, err := c.flush(); err != nil {
			return err
		}
		c.stall()
	}
	if c.due(faultBurst) {
		c.stats.bursts.Add(1)
		c.garbage(c.f.BurstLen)
	}
	if c.due(faultInsert) {
		c.stats.inserted.Add(1)
		c.garbage(1)
	}
	for c.flipBit < 8 {
		b ^= 1 << c.flipBit
		c.stats.bitsFlipped.Add(1)
		c.flipBit += 1 + c.gap(c.f.BER)
	}
	if c.due(faultDrop) {
		c.stats.dropped.Add(1)
		c.due(faultDuplicate) // a lost octet is not also repeated
		return nil
	}
	c.out = append(c.out, b)
	if c.due(faultDuplicate) {
		c.stats.duplicated.Add(1)
		c.out = append(c.out, b)
	}
	return nil
}

// due reports whether fault k falls on the current octet and, if so,
// draws the next one. The +1 makes the gap count from the next octet once
// advance has moved past this one.
func (c *FaultyConn) due(k int) bool {
	if c.next[k] != 0 {
		return false
	}
	c.next[k] = 1 + c.gap(c.prob(k))
	return true
}

// stall blocks for Faults.Stall, or until Close.
func (c *FaultyConn) stall() {
	c.stats.stalls.Add(1)
	t := time.NewTimer(c.f.Stall)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.closed:
	}
}

func (c *FaultyConn) garbage(n int) {
	for range n {
		c.out = append(c.out, byte(c.rng.Uint32()))
	}
}

func (c *FaultyConn) flush() (int, error) {
	n, err := c.rw.Write(c.out)
	c.out = c.out[:0]
	return n, err
}

// prob returns the per-octet probability of fault kind k.
func (c *FaultyConn) prob(k int) float64 {
	switch k {
	case faultStall:
		return every(c.f.StallEvery)
	case faultBurst:
		return every(c.f.BurstEvery)
	case faultInsert:
		return c.f.Insert
	case faultDrop:
		return c.f.Drop
	default:
		return c.f.Duplicate
	}
}

func every(n int64) float64 {
	if n <= 0 {
		return 0
	}
	return 1 / float64(n)
}

// never is a gap longer than any test writes; it leaves room to add
// without overflow.
const never = math.MaxInt64 / 16

// gap draws how many trials pass before the next success of a Bernoulli
// process with probability p: a geometric variate, found by inverting its
// distribution function.
func (c *FaultyConn) gap(p float64) int64 {
	switch {
	case p <= 0 || math.IsNaN(p):
		return never
	case p >= 1:
		return 0
	}
	g := math.Floor(math.Log1p(-c.rng.Float64()) / math.Log1p(-p))
	if g >= never {
		return never
	}
	return int64(g)
}

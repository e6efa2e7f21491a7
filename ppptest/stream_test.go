package ppptest

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// transferTimeout bounds a whole transfer, so that a flow-control deadlock
// fails the test instead of hanging it.
const transferTimeout = 3 * time.Minute

// transfer sends size pseudo-random bytes from a to b and another size
// bytes from b to a at the same time, and checks that both arrive intact.
func transfer(t *testing.T, a, b io.ReadWriteCloser, size int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i, dir := range []struct{ w, r io.ReadWriteCloser }{{a, b}, {b, a}} {
		seed := uint64(i + 1)
		name := [...]string{"a→b", "b→a"}[i]
		wg.Go(func() { errs <- writeStream(dir.w, seed, size) })
		wg.Go(func() {
			if err := readStream(dir.r, seed, size); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(transferTimeout):
		a.Close()
		b.Close()
		<-done
		t.Errorf("transfer of %d bytes each way took over %v", size, transferTimeout)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// writeStream writes size bytes of the stream for seed in chunks of random
// length.
func writeStream(w io.Writer, seed uint64, size int) error {
	src := rand.NewChaCha8(seedBytes(seed))
	lengths := rand.New(rand.NewPCG(seed, 0))
	buf := make([]byte, 8192)
	for size > 0 {
		n := min(1+lengths.IntN(len(buf)), size)
		src.Read(buf[:n])
		if _, err := w.Write(buf[:n]); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		size -= n
	}
	return nil
}

// readStream reads size bytes and compares them with the stream for seed.
func readStream(r io.Reader, seed uint64, size int) error {
	src := rand.NewChaCha8(seedBytes(seed))
	got, want := make([]byte, 32<<10), make([]byte, 32<<10)
	for off := 0; off < size; {
		n, err := r.Read(got[:min(len(got), size-off)])
		src.Read(want[:n])
		if i := mismatch(want[:n], got[:n]); i >= 0 {
			return fmt.Errorf("byte %d: got %#02x, want %#02x", off+i, got[i], want[i])
		}
		off += n
		if err != nil {
			return fmt.Errorf("read after %d of %d bytes: %w", off, size, err)
		}
	}
	return nil
}

func mismatch(want, got []byte) int {
	if bytes.Equal(want, got) {
		return -1
	}
	for i := range want {
		if want[i] != got[i] {
			return i
		}
	}
	return len(want)
}

func seedBytes(seed uint64) (s [32]byte) {
	s[0] = byte(seed)
	return s
}

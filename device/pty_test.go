package device

import (
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// openPty returns a pty master, run by the Go poller so that Close unblocks
// its Reads, and the path of its slave, for Open. The slave stays open in
// the test until cleanup, so the master does not see a hangup between the
// port's Close and the end of the test.
func openPty(t *testing.T) (master *os.File, slavePath string) {
	t.Helper()
	m, s, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	fd, err := unix.FcntlInt(m.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	m.Close()
	if err != nil {
		s.Close()
		t.Fatalf("dup pty master: %v", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		s.Close()
		t.Fatalf("pty master non-blocking: %v", err)
	}
	master = os.NewFile(uintptr(fd), "ptmx")
	t.Cleanup(func() {
		master.Close()
		s.Close()
	})
	return master, s.Name()
}

// within waits for a result on ch, failing the test after 5s.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no result within 5s", what)
		panic("unreachable")
	}
}

// readResult is what a Read returned.
type readResult struct {
	data string
	err  error
}

// readAsync runs one Read on r and delivers its result.
func readAsync(r interface{ Read([]byte) (int, error) }) <-chan readResult {
	ch := make(chan readResult, 1)
	go func() {
		buf := make([]byte, 64)
		n, err := r.Read(buf)
		ch <- readResult{string(buf[:n]), err}
	}()
	return ch
}

package sim

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestMain fails the run if the tests left a goroutine behind: every
// modem, call, paced line and pty must stop when closed.
func TestMain(m *testing.M) {
	before := runtime.NumGoroutine()
	code := m.Run()
	if leaked := waitGoroutines(before); leaked != "" {
		fmt.Fprintln(os.Stderr, leaked)
		code = 1
	}
	os.Exit(code)
}

// waitGoroutines waits until no more than n goroutines run. Goroutines
// stop asynchronously, so it polls until a deadline; then it returns a
// report with every goroutine's stack.
func waitGoroutines(n int) string {
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for runtime.NumGoroutine() > n {
		select {
		case <-poll.C:
		case <-deadline.C:
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			return fmt.Sprintf("goroutines leaked: %d before, %d after\n%s", n, runtime.NumGoroutine(), buf)
		}
	}
	return ""
}

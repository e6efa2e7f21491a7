package testenv

import (
	"fmt"
	"runtime"
	"strings"
	"time"
)

// Goroutines counts the running goroutines but for the os/signal loop,
// which the fuzzing engine starts and never stops.
func Goroutines() int {
	n := 0
	for _, g := range strings.Split(stacks(), "\n\n") {
		if strings.TrimSpace(g) != "" && !strings.Contains(g, "os/signal.loop") {
			n++
		}
	}
	return n
}

// WaitGoroutines waits until no more than n goroutines run (as counted
// by Goroutines). Goroutines stop asynchronously, so it polls until a
// 10 s deadline; then it returns a report with every goroutine's stack,
// and "" when none leaked.
func WaitGoroutines(n int) string {
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for Goroutines() > n {
		select {
		case <-poll.C:
		case <-deadline.C:
			return fmt.Sprintf("goroutines leaked: %d before, %d after\n%s", n, Goroutines(), stacks())
		}
	}
	return ""
}

func stacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

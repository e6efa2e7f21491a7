package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// child is this binary run as "gprsppp args..." in a process of its own
// (TestMain makes the test binary main when GPRSPPP_TEST_MAIN is set),
// its standard output and standard error (the log) read line by line.
type child struct {
	cmd      *exec.Cmd
	out, log *lines
	done     chan struct{} // closed once the process has been waited for
	err      error         // from Wait, once done
	stopOnce sync.Once
}

// startChild starts this binary as "gprsppp args..."; at cleanup a
// process still running is killed.
func startChild(t testing.TB, args ...string) *child {
	t.Helper()
	return startCommand(t, exec.Command(os.Args[0], args...))
}

// startCommand starts cmd, which runs this binary as gprsppp (directly,
// or through a wrapper such as ip netns exec), as startChild does.
func startCommand(t testing.TB, cmd *exec.Cmd) *child {
	t.Helper()
	c := &child{cmd: cmd, out: newLines(), log: newLines(), done: make(chan struct{})}
	// Without atexit_sleep_ms=0 a race-enabled binary lingers a second on exit.
	c.cmd.Env = append(os.Environ(), "GPRSPPP_TEST_MAIN=1", "GORACE=atexit_sleep_ms=0")
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var read sync.WaitGroup
	read.Go(func() { c.out.readFrom(stdout) })
	read.Go(func() { c.log.readFrom(stderr) })
	go func() {
		read.Wait() // before Wait, which closes the pipes
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// startProcess starts this binary as "gprsppp args..." and returns once
// it printed a line starting with ready. At cleanup it is interrupted, as
// Ctrl-C does, and must exit 0.
func startProcess(t testing.TB, ready string, args ...string) *child {
	t.Helper()
	c := startChild(t, args...)
	t.Cleanup(func() { c.stop(t) })
	c.await(t, ready, 60*time.Second)
	return c
}

// runBinary runs this binary as "gprsppp args..." to its end and returns
// its exit status and standard error.
func runBinary(t testing.TB, args ...string) (code int, stderr string) {
	t.Helper()
	c := startChild(t, args...)
	code = c.wait(t, 30*time.Second)
	return code, c.log.text()
}

// name is how failures name the process.
func (c *child) name() string { return "gprsppp " + strings.Join(c.cmd.Args[1:], " ") }

// await waits up to d for a line of standard output starting with
// prefix, failing the test if the process ends first.
func (c *child) await(t testing.TB, prefix string, d time.Duration) string {
	t.Helper()
	l, err := c.out.take(func(l string) bool { return strings.HasPrefix(l, prefix) }, d)
	if err != nil {
		t.Fatalf("%s: no %q: %v\n%s", c.name(), prefix, err, c.log.text())
	}
	return l
}

// waitLog returns the first log line, from those not yet taken, that
// holds every one of want, waiting up to 30 s.
func (c *child) waitLog(t testing.TB, want ...string) string {
	t.Helper()
	l, err := c.log.take(func(l string) bool { return containsAll(l, want...) }, 30*time.Second)
	if err != nil {
		t.Fatalf("%s: no log line with %q: %v\n%s", c.name(), want, err, c.log.text())
	}
	return l
}

// waitCount waits up to 30 s until n log lines contain s.
func (c *child) waitCount(t testing.TB, s string, n int) {
	t.Helper()
	if !c.log.await(func() bool { return c.count(s) >= n }, 30*time.Second) {
		t.Fatalf("%s: the log has %d lines with %q, not %d, after 30 s", c.name(), c.count(s), s, n)
	}
}

// count returns how many log lines contain s.
func (c *child) count(s string) int {
	return len(c.log.filter(func(l string) bool { return strings.Contains(l, s) }))
}

// logText returns the log lines that keep says to keep, each ended by a
// newline.
func (c *child) logText(keep func(string) bool) string {
	var b strings.Builder
	for _, l := range c.log.filter(keep) {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// wait waits up to d for the process to end and returns its exit status.
func (c *child) wait(t testing.TB, d time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(d):
		t.Fatalf("%s still running after %v\n%s", c.name(), d, c.log.text())
	}
	var ee *exec.ExitError
	if c.err != nil && !errors.As(c.err, &ee) {
		t.Fatalf("%s: %v", c.name(), c.err)
	}
	return c.cmd.ProcessState.ExitCode()
}

// stop interrupts the process, as Ctrl-C does, checks that it ends with
// status 0 within 30 s, and returns its whole log. Only the first call
// interrupts; later ones return the log.
func (c *child) stop(t testing.TB) []string {
	t.Helper()
	c.stopOnce.Do(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Signal(os.Interrupt)
		}
		select {
		case <-c.done:
			if c.err != nil {
				t.Errorf("%s: %v\n%s", c.name(), c.err, c.log.text())
			}
		case <-time.After(30 * time.Second):
			c.cmd.Process.Kill()
			t.Errorf("%s still running 30 s after interrupt\n%s", c.name(), c.log.text())
		}
	})
	return c.log.filter(func(string) bool { return true })
}

// lines collects the lines of one output of a child.
type lines struct {
	mu    sync.Mutex
	all   []string // guarded by mu
	next  int      // the first line take has not looked at; guarded by mu
	ended bool     // the output is closed; guarded by mu
	grew  chan struct{}
}

func newLines() *lines { return &lines{grew: make(chan struct{}, 1)} }

// readFrom collects r's lines until it ends.
func (l *lines) readFrom(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l.mu.Lock()
		l.all = append(l.all, sc.Text())
		l.mu.Unlock()
		l.notify()
	}
	l.mu.Lock()
	l.ended = true
	l.mu.Unlock()
	l.notify()
}

func (l *lines) notify() {
	select {
	case l.grew <- struct{}{}:
	default:
	}
}

// take returns the first line not yet taken that match accepts, waiting
// up to d for it; lines before it are passed over for good.
func (l *lines) take(match func(string) bool, d time.Duration) (string, error) {
	var found string
	ok := l.await(func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for ; l.next < len(l.all); l.next++ {
			if match(l.all[l.next]) {
				found = l.all[l.next]
				l.next++
				return true
			}
		}
		return false
	}, d)
	switch {
	case ok:
		return found, nil
	case l.closed():
		return "", errors.New("the output ended")
	}
	return "", errors.New("timed out after " + d.String())
}

// await waits up to d for cond to hold, checking it whenever a line comes;
// it gives up early once the output has ended and cond still fails.
func (l *lines) await(cond func() bool, d time.Duration) bool {
	deadline := time.After(d)
	for {
		if cond() {
			return true
		}
		if l.closed() {
			return cond()
		}
		select {
		case <-l.grew:
		case <-deadline:
			return false
		}
	}
}

func (l *lines) closed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ended
}

// filter returns the lines keep accepts.
func (l *lines) filter(keep func(string) bool) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range l.all {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// text returns every line, each ended by a newline.
func (l *lines) text() string {
	var b strings.Builder
	for _, s := range l.filter(func(string) bool { return true }) {
		b.WriteString(s + "\n")
	}
	return b.String()
}

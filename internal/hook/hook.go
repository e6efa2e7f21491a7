// Package hook runs the scripts a link runs when it comes up and goes
// down, as pppd runs /etc/ppp/ip-up and ip-down: one at a time, in the
// order asked, each with a fixed argument list and environment (no shell
// sees the values), its output logged line by line, and killed with its
// process group after a time limit. Asking never blocks: a script waits
// in a short queue, and one that finds the queue full is skipped with a
// warning.
//
// Wiring:
//
//	r := hook.Start(hook.Config{Logger: log})
//	r.Run("/etc/gprsppp/up", []string{"sim"}, []string{"IPLOCAL=10.64.64.2"})
//	r.Close() // runs what is queued, then returns
package hook

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Path is the PATH a script gets, pppd's.
const Path = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"

// queueLen is how many scripts may wait.
const queueLen = 16

// Config configures a Runner.
type Config struct {
	// Timeout bounds a script's run; zero means 30 s.
	Timeout time.Duration
	// Logger receives the scripts' output at info level and their
	// failures as warnings; nil is silent.
	Logger *slog.Logger
}

// Runner runs scripts one at a time on its own goroutine.
type Runner struct {
	cfg       Config
	queue     chan job
	done      chan struct{}
	closeOnce sync.Once

	mu     sync.Mutex // guards closed against Run
	closed bool
}

type job struct {
	path      string
	args, env []string
}

// Start returns a Runner ready to run scripts.
func Start(cfg Config) *Runner {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Runner{cfg: cfg, queue: make(chan job, queueLen), done: make(chan struct{})}
	go r.routineRun()
	return r
}

// Run queues the script at path with args and env (to which PATH is
// added) and returns at once.
func (r *Runner) Run(path string, args, env []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	select {
	case r.queue <- job{path, args, append([]string{"PATH=" + Path}, env...)}:
	default:
		r.cfg.Logger.Warn("hook: too many scripts waiting: skipped", "script", path)
	}
}

// Close runs the scripts already queued and returns when they are done.
func (r *Runner) Close() {
	r.closeOnce.Do(func() {
		r.mu.Lock()
		r.closed = true
		close(r.queue)
		r.mu.Unlock()
	})
	<-r.done
}

func (r *Runner) routineRun() {
	defer close(r.done)
	for j := range r.queue {
		r.run(j)
	}
}

// run runs one script to its end or its time limit.
func (r *Runner) run(j job) {
	log := r.cfg.Logger.With("script", j.path)
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, j.path, j.args...)
	cmd.Env = j.env
	cmd.Dir = "/"
	// Its own process group, so that the kill reaches what it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A child that keeps the output open is not waited for beyond this.
	cmd.WaitDelay = time.Second
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			log.Info(filepath.Base(j.path) + ": " + sc.Text())
		}
		io.Copy(io.Discard, pr)
	}()
	start := time.Now()
	err := cmd.Run()
	pw.Close()
	<-logged
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		log.Warn("hook: script killed after its time limit", "limit", r.cfg.Timeout)
	case err != nil:
		log.Warn("hook: script failed", "err", err)
	default:
		log.Debug("hook: script done", "took", time.Since(start))
	}
}

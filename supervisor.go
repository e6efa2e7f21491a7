package gprsppp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/dialer"
)

// ErrSupervisorStopped reports that a Supervisor has stopped and will
// bring up no more links.
var ErrSupervisorStopped = errors.New("gprsppp: supervisor stopped")

// ErrMaxFail reports that a Supervisor gave up after MaxFail consecutive
// failed dials.
var ErrMaxFail = errors.New("gprsppp: too many failed dials")

// SupervisorConfig configures a Supervisor. Zero values take the
// defaults given.
type SupervisorConfig struct {
	// Dial brings one link up, for example a closure over Dial; required.
	Dial func(ctx context.Context) (*Link, error)
	// Persist redials whenever a link ends or a dial fails (pppd
	// persist), except after a SIM error (ErrSIM): a dial cannot fix it,
	// and a wrong PIN must not be sent again. A missing SIM is the
	// exception to the exception, as a SIM still starting up looks alike.
	// Without Persist, Run returns when the first link ends or the first
	// dial fails.
	Persist bool
	// Holdoff is the pause before redialling after a link ends, and the
	// first pause after a failed dial; zero means 5 s.
	Holdoff time.Duration
	// MaxBackoff caps the pause, which doubles with each consecutive
	// failed dial; zero means 5 minutes.
	MaxBackoff time.Duration
	// MaxFail is how many consecutive failed dials end Run; zero means
	// 10 (as pppd), a negative value means no limit.
	MaxFail int
	// OnUp, if set, is called with each new link before Link hands it
	// out, for example to start listeners on it.
	OnUp func(*Link)
	// Logger receives redials and their reasons; nil is silent.
	Logger *slog.Logger
}

// Supervisor keeps a link up for unattended use: it dials, waits for the
// link to end, and redials with a hold-off and exponential backoff. Link
// hands out the current link or waits for the next one.
type Supervisor struct {
	cfg SupervisorConfig

	mu      sync.Mutex
	cur     *Link
	changed chan struct{} // closed and replaced when cur, stopped or a dial's state changes
	stopped bool
	err     error
	dialing bool            // a dial is running
	dialErr error           // why the last finished dial failed; nil if it brought a link up, or none has finished
	lastUp  *dialer.Connect // what the last successful dial read of the modem
}

// NewSupervisor returns a Supervisor; Run starts it.
func NewSupervisor(cfg SupervisorConfig) *Supervisor {
	if cfg.Holdoff <= 0 {
		cfg.Holdoff = 5 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.MaxFail == 0 {
		cfg.MaxFail = 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Supervisor{cfg: cfg, changed: make(chan struct{})}
}

// Run dials and redials until ctx ends (then it closes the current link
// and returns nil), MaxFail consecutive dials fail, a dial fails with a
// SIM error, or, without Persist, the first link ends.
func (s *Supervisor) Run(ctx context.Context) error {
	err := s.run(ctx)
	s.set(nil, true, err)
	return err
}

func (s *Supervisor) run(ctx context.Context) error {
	fails := 0
	for {
		s.dialStarted()
		l, err := s.cfg.Dial(ctx)
		if ctx.Err() != nil {
			if err == nil {
				l.Close()
			}
			return nil
		}
		s.dialEnded(l, err)
		if err != nil {
			fails++
			// A failure that ends Run is returned, not logged: the
			// caller reports it once.
			if s.cfg.MaxFail > 0 && fails >= s.cfg.MaxFail {
				return fmt.Errorf("%w (%d): %w", ErrMaxFail, fails, err)
			}
			if !s.cfg.Persist {
				return err
			}
			if errors.Is(err, ErrSIM) && !errors.Is(err, dialer.ErrSIMNotInserted) {
				return fmt.Errorf("not redialling, the SIM needs a person to fix it: %w", err)
			}
			s.cfg.Logger.Warn("dial failed", "attempt", fails, "err", err, "redial in", s.backoff(fails))
			if !wait(ctx, s.backoff(fails)) {
				return nil
			}
			continue
		}
		fails = 0
		if s.cfg.OnUp != nil {
			s.cfg.OnUp(l)
		}
		s.set(l, false, nil)
		select {
		case <-l.Done():
		case <-ctx.Done():
			s.set(nil, false, nil)
			l.Close()
			return nil
		}
		s.set(nil, false, nil)
		l.Close()
		s.cfg.Logger.Warn("link ended", "err", l.Err())
		if !s.cfg.Persist {
			return l.Err()
		}
		if !wait(ctx, s.cfg.Holdoff) {
			return nil
		}
	}
}

// backoff is the pause after the n-th consecutive failed dial.
func (s *Supervisor) backoff(n int) time.Duration {
	d := s.cfg.Holdoff
	for i := 1; i < n && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxBackoff)
}

// wait pauses for d; false if ctx ended first.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Supervisor) set(l *Link, stopped bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur, s.stopped, s.err = l, stopped || s.stopped, err
	close(s.changed)
	s.changed = make(chan struct{})
}

// Link returns the current link, waiting for one if none is up. It fails
// when ctx ends or the supervisor has stopped.
func (s *Supervisor) Link(ctx context.Context) (*Link, error) { return s.link(ctx, false) }

// link is Link; with failFast it also fails, at once, while no link is up
// and the last dial failed, rather than wait for a later dial.
func (s *Supervisor) link(ctx context.Context, failFast bool) (*Link, error) {
	for {
		s.mu.Lock()
		l, stopped, err, changed, dialErr := s.cur, s.stopped, s.err, s.changed, s.dialErr
		s.mu.Unlock()
		switch {
		case l != nil && l.Err() == nil:
			return l, nil
		case stopped && err != nil:
			return nil, fmt.Errorf("%w: %w", ErrSupervisorStopped, err)
		case stopped:
			return nil, ErrSupervisorStopped
		case failFast && dialErr != nil:
			return nil, fmt.Errorf("gprsppp: no link, and the last dial failed: %w", dialErr)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("gprsppp: waiting for a link: %w", ctx.Err())
		}
	}
}

// DialContext dials through the current link, waiting for one if none
// is up.
func (s *Supervisor) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	l, err := s.Link(ctx)
	if err != nil {
		return nil, err
	}
	return l.DialContext(ctx, network, address)
}

// LookupNetIP resolves host through the current link.
func (s *Supervisor) LookupNetIP(ctx context.Context, host string) ([]netip.Addr, error) {
	l, err := s.Link(ctx)
	if err != nil {
		return nil, err
	}
	return l.LookupNetIP(ctx, host)
}

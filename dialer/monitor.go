package dialer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/at"
)

// Monitor timing.
const (
	defaultMonitorInterval = 30 * time.Second
	monitorWakeTries       = 10 // ATs, each given monitorWakeTimeout, when the channel opens
	monitorWakeTimeout     = time.Second
	// MaxCommandTimeout bounds Monitor.Command's timeout.
	MaxCommandTimeout = 5 * time.Minute
)

// ErrMonitorStopped reports a Command sent to a Monitor whose Run has
// returned (the AT channel closed, or the link ended).
var ErrMonitorStopped = errors.New("dialer: the modem's AT channel is closed")

// MonitorConfig configures a Monitor. Zero values take the defaults
// given.
type MonitorConfig struct {
	// Interval is the time between two polls of the status; zero means
	// 30 s. Registration changes also arrive at once as URCs.
	Interval time.Duration
	// Logger receives each change of the status at info level (in
	// words), and the dialogue at debug level. Nil is silent.
	Logger *slog.Logger
	// OnChange, if set, is called with the new status after each answer
	// or URC that changed it and at the end of each poll (Updated), on
	// the Monitor's goroutine: it must not block.
	OnChange func(ModemStatus)
}

// Monitor keeps an eye on a modem through an AT command channel of its
// own while a data call runs on another, as on the AT channel (DLCI 1) of
// a 27.010 multiplexer: it turns on registration URCs with location
// (AT+CREG=2, AT+CGREG=2, AT+CEREG=2) and polls the signal quality
// (AT+CSQ, and AT+CESQ where the modem knows it), the registration
// queries and the operator (AT+COPS? in long alphanumeric format), every
// Interval. Between polls it reads URCs, and runs the commands that
// Command passes it, one at a time, with the same chat engine as Dial.
//
// Status may be called from any goroutine; Run from one.
type Monitor struct {
	l      Line
	cfg    MonitorConfig
	c      *chat
	log    *slog.Logger
	reqs   chan *monitorRequest
	done   chan struct{} // closed when Run returns
	polled chan struct{} // closed when the first poll has ended

	unsupported map[string]bool // optional polls the modem answered ERROR
	logged      string          // the status in words, as last logged

	mu     sync.Mutex
	st     ModemStatus
	idling bool // Run is reading URCs: a request may cut that short
	err    error
}

type monitorRequest struct {
	cmd     string
	timeout time.Duration
	reply   Reply
	err     error
	done    chan struct{}
}

// Reply is the modem's answer to a command sent through Monitor.Command.
type Reply struct {
	// Lines are the information text, in order (URCs that came meanwhile
	// included); the echo is not.
	Lines []string `json:"lines"`
	// Result is the final result code: OK, ERROR, +CME ERROR: ...
	Result string `json:"result"`
}

// Failed reports whether the final result is a failure.
func (r Reply) Failed() bool { return resultError(r.Result) != nil }

// NewMonitor returns a Monitor of the AT channel l; Run starts it.
func NewMonitor(l Line, cfg MonitorConfig) *Monitor {
	log := cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	m := &Monitor{l: l, cfg: cfg, log: log, c: newChat(l, log),
		reqs: make(chan *monitorRequest, 8), done: make(chan struct{}), polled: make(chan struct{}),
		unsupported: map[string]bool{}}
	m.c.urc = m.urcs()
	return m
}

// Status returns what the last polls and URCs found.
func (m *Monitor) Status() ModemStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st
}

// Polled is closed once the first poll has ended, so that Status has
// the modem's answers.
func (m *Monitor) Polled() <-chan struct{} { return m.polled }

// Done is closed when Run has returned; Err then says why.
func (m *Monitor) Done() <-chan struct{} { return m.done }

// Err is why Run returned, nil while it runs.
func (m *Monitor) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// Run sets the channel up and polls until ctx ends (it returns nil) or
// the channel fails (it returns why). A poll the modem leaves unanswered
// is logged and tried again at the next interval.
func (m *Monitor) Run(ctx context.Context) error {
	release := watchContext(ctx, m.l)
	err := m.run(ctx)
	release()
	if ctx.Err() != nil {
		err = nil
	}
	m.mu.Lock()
	m.err = cmp.Or(err, ErrMonitorStopped)
	m.mu.Unlock()
	close(m.done)
	m.failPending()
	return err
}

func (m *Monitor) run(ctx context.Context) error {
	if err := m.setup(ctx); err != nil {
		return err
	}
	interval := cmp.Or(m.cfg.Interval, defaultMonitorInterval)
	for first := true; ; first = false {
		if err := m.poll(ctx); err != nil {
			return err
		}
		if first {
			close(m.polled)
		}
		if err := m.idle(ctx, time.Now().Add(interval)); err != nil {
			return err
		}
	}
}

// setup wakes the channel and turns on what the polls rely on.
func (m *Monitor) setup(ctx context.Context) error {
	_, err := m.c.step(ctx, Step{Name: "monitor sync", Send: "AT", Timeout: monitorWakeTimeout,
		Retry: monitorWakeTries - 1, RetryInterval: monitorWakeTimeout})
	if err != nil {
		return fmt.Errorf("dialer: the AT channel: %w", err)
	}
	for _, st := range []Step{
		{Name: "monitor echo", Send: "ATE0"},
		{Name: "monitor cmee", Send: "AT+CMEE=1", Optional: true},
		{Name: "monitor creg", Send: "AT+CREG=2", Optional: true},
		{Name: "monitor cgreg", Send: "AT+CGREG=2", Optional: true},
		{Name: "monitor cereg", Send: "AT+CEREG=2", Optional: true},
		{Name: "monitor cops format", Send: "AT+COPS=3,0", Optional: true},
	} {
		if _, err := m.c.step(ctx, st); err != nil {
			return fmt.Errorf("dialer: the AT channel: %w", err)
		}
	}
	return nil
}

// polls are the status queries, with the field each answer goes to.
func (m *Monitor) polls() []struct {
	send, prefix string
	set          func(*ModemStatus, string)
} {
	params := func(line, prefix string) string { return strings.TrimSpace(strings.TrimPrefix(line, prefix)) }
	return []struct {
		send, prefix string
		set          func(*ModemStatus, string)
	}{
		{"AT+CSQ", "+CSQ:", func(s *ModemStatus, l string) { s.Signal = params(l, "+CSQ:") }},
		{"AT+CESQ", "+CESQ:", func(s *ModemStatus, l string) { s.ExtSignal = params(l, "+CESQ:") }},
		{"AT+CREG?", "+CREG:", func(s *ModemStatus, l string) { s.CREG = l }},
		{"AT+CGREG?", "+CGREG:", func(s *ModemStatus, l string) { s.CGREG = l }},
		{"AT+CEREG?", "+CEREG:", func(s *ModemStatus, l string) { s.CEREG = l }},
		{"AT+COPS?", "+COPS:", func(s *ModemStatus, l string) { s.Operator = params(l, "+COPS:") }},
	}
}

// poll runs each status query once. A query the modem answers with a
// failing result is left out of later polls; one it leaves unanswered is
// logged. Only a failure of the line ends the poll with an error.
func (m *Monitor) poll(ctx context.Context) error {
	for _, q := range m.polls() {
		if m.unsupported[q.send] {
			continue
		}
		set := func(line string) error {
			m.update(func(s *ModemStatus) { q.set(s, line) })
			return nil
		}
		line, err := m.c.step(ctx, Step{Name: "monitor", Send: q.send, Optional: true,
			Info: []Info{{Prefix: q.prefix, Handle: set}}})
		switch {
		case errors.Is(err, ErrTimeout):
			m.log.Info("modem status: no answer on the AT channel", "command", q.send)
		case err != nil:
			return err
		case resultError(line) != nil:
			m.log.Debug("modem status: the modem does not answer this; not asked again", "command", q.send, "result", line)
			m.unsupported[q.send] = true
		}
	}
	m.update(func(s *ModemStatus) { s.Updated = time.Now() })
	m.logStatus()
	return nil
}

// urcs route the registration URCs to the status.
func (m *Monitor) urcs() []URC {
	reg := func(set func(*ModemStatus, string)) func(string) {
		return func(line string) {
			m.log.Debug("modem status: urc", "line", line)
			m.update(func(s *ModemStatus) { set(s, line) })
			m.logStatus()
		}
	}
	return []URC{
		{Prefix: "+CREG:", Handle: reg(func(s *ModemStatus, l string) { s.CREG = l })},
		{Prefix: "+CGREG:", Handle: reg(func(s *ModemStatus, l string) { s.CGREG = l })},
		{Prefix: "+CEREG:", Handle: reg(func(s *ModemStatus, l string) { s.CEREG = l })},
	}
}

// logStatus logs the status in words if they changed since last logged.
func (m *Monitor) logStatus() {
	if s := m.Status().Summary(); s != m.logged {
		m.logged = s
		m.log.Info("modem status", "status", s)
	}
}

// update changes the status with f, and reports a change to OnChange.
func (m *Monitor) update(f func(*ModemStatus)) {
	m.mu.Lock()
	old := m.st
	f(&m.st)
	st := m.st
	m.mu.Unlock()
	if old != st && m.cfg.OnChange != nil {
		m.cfg.OnChange(st)
	}
}

// idle reads URCs until the time of the next poll, serving requests as
// they come.
func (m *Monitor) idle(ctx context.Context, until time.Time) error {
	for {
		select {
		case r := <-m.reqs:
			m.serve(ctx, r)
			continue
		default:
		}
		if !time.Now().Before(until) {
			return nil
		}
		m.setIdling(true)
		line, err := m.c.r.readLine(ctx, until)
		m.setIdling(false)
		switch {
		case errors.Is(err, ErrTimeout):
			// The deadline, or a request's wake-up: either way the
			// deadline on the line is no longer the one set last.
			m.c.r.forget()
			continue
		case err != nil:
			return err
		case line == "":
			continue
		}
		if u := matchURC(m.c.urc, line); u != nil {
			u.Handle(line)
		} else {
			m.log.Debug("modem status: unsolicited line", "line", line)
		}
	}
}

func (m *Monitor) setIdling(on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.idling = on
}

// Command sends cmd ("AT" is added if missing) on the AT channel, between
// two polls, and returns the modem's answer once its final result comes,
// within timeout (zero means 5 s; at most MaxCommandTimeout). A failing
// final result is a Reply, not an error: errors are a timeout
// (ErrTimeout), a stopped Monitor (ErrMonitorStopped), ctx's, or a
// command that would take the channel out of command mode (D, O, +CMUX),
// which is refused.
func (m *Monitor) Command(ctx context.Context, cmd string, timeout time.Duration) (Reply, error) {
	cmd = strings.TrimSpace(cmd)
	if len(cmd) < 2 || !strings.EqualFold(cmd[:2], "AT") {
		cmd = "AT" + cmd
	}
	if err := CheckChannelCommand(cmd); err != nil {
		return Reply{}, err
	}
	timeout = min(cmp.Or(timeout, defaultTimeout), MaxCommandTimeout)
	r := &monitorRequest{cmd: cmd, timeout: timeout, done: make(chan struct{})}
	select {
	case m.reqs <- r:
	case <-m.done:
		return Reply{}, ErrMonitorStopped
	case <-ctx.Done():
		return Reply{}, ctx.Err()
	}
	m.wake()
	select {
	case <-r.done:
		return r.reply, r.err
	case <-m.done:
		select {
		case <-r.done:
			return r.reply, r.err
		default:
			return Reply{}, ErrMonitorStopped
		}
	case <-ctx.Done():
		return Reply{}, ctx.Err()
	}
}

// wake cuts short Run's wait for URCs, if it is waiting, so that a
// request is served at once; never a command's wait for its answer.
func (m *Monitor) wake() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idling {
		m.l.SetReadDeadline(aLongTimeAgo)
	}
}

// CheckChannelCommand refuses command lines that would take the channel
// from the monitor: dialling (D), going online (O) and +CMUX leave
// command mode or restart the multiplexer; numeric or quiet results (V0,
// Q1) would hide the answers the monitor reads. A line the parser cannot
// take goes to the modem as it is, which answers it.
//
// Monitor.Command applies it; a client may too, before it sends.
func CheckChannelCommand(cmd string) error {
	if strings.ContainsAny(cmd, "\r\n") {
		return errors.New("dialer: one command line at a time, without CR or LF")
	}
	body, _ := at.Body(cmd)
	cmds, err := at.ParseLine(body)
	if err != nil {
		return nil
	}
	for _, c := range cmds {
		refuse := ""
		switch {
		case c.Name == "D", c.Name == "O", c.Name == "+CMUX" && c.Op == at.Set:
			refuse = "it would take the channel out of command mode"
		case c.Name == "V" && c.Arg == "0", c.Name == "Q" && c.Arg == "1":
			refuse = "the status monitor on the channel reads verbose result codes"
		}
		if refuse != "" {
			return fmt.Errorf("dialer: %s refused on the AT channel: %s", cmd, refuse)
		}
	}
	return nil
}

// serve runs a request's command.
func (m *Monitor) serve(ctx context.Context, r *monitorRequest) {
	defer close(r.done)
	m.c.r.forget()
	take := func(line string) error {
		r.reply.Lines = append(r.reply.Lines, line)
		if u := matchURC(m.c.urc, line); u != nil {
			u.Handle(line) // a URC, or the answer to a registration query: news either way
		}
		return nil
	}
	line, err := m.c.step(ctx, Step{Name: "command", Send: r.cmd, Optional: true, Timeout: r.timeout,
		Info: []Info{{Prefix: "", Handle: take}}})
	r.reply.Result = line
	var se *StepError
	if errors.As(err, &se) && errors.Is(err, ErrTimeout) {
		err = fmt.Errorf("%s: no final result within %v: %w", r.cmd, r.timeout, ErrTimeout)
	}
	r.err = err
}

// failPending answers the requests left when Run returned.
func (m *Monitor) failPending() {
	for {
		select {
		case r := <-m.reqs:
			r.err = ErrMonitorStopped
			close(r.done)
		default:
			return
		}
	}
}

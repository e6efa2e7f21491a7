// The QI* shim: a DCE that answers a legacy host written for the internal
// TCP/IP stack of a Quectel GSM module (M95, M66, M26, M35, MC60) while the
// TCP/IP actually runs on a Backend's Network, so firmware that speaks
// AT+QIOPEN/AT+QISEND/AT+QIRD keeps working over a PPP link.
//
// The dialogues follow Quectel's "GSM TCPIP Application Note" V1.2 (English
// and Chinese editions: command order, state names of §5.6, transparent mode
// guard times of §4, the +QISACK, +QIRD and +RECEIVE formats) and the shim
// checklist drawn from the clients that drive real modules (TinyGSM M95 and
// MC60, mbed-os M26, TobudOS M26): plain "SEND OK", "<n>, CONNECT OK",
// QILOCIP answering only the address, +QIRDI when a buffer becomes
// non-empty and again after an AT+QIRD that leaves data, plain ERROR
// while AT+CMEE=0, host names accepted even with AT+QIDNSIP=0, and +QISACK
// backed by real counters so that nAcked reaches 0.
//
// Each Serve call is one host with its own module state. One goroutine (the
// session loop) owns that state; the host reader, the socket core
// (package modemsock: connection readers and writers, activation, dialing,
// listeners) and timers talk to it by posting closures on a channel. The
// core reports what happens to connections and contexts as events, and
// the shim renders them in the M95's words (shim_events.go).

package shim

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/at"
	"github.com/gprsppp/gprsppp/at/dce"
	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/modemsock"
)

// Profile bounds what one host may use, like the limits of the module being
// imitated.
type Profile struct {
	// MaxConnections is the number of connection indexes under AT+QIMUX=1
	// (0 to MaxConnections-1). Zero means 6, as on the M95.
	MaxConnections int
	// MaxSend is the largest AT+QISEND payload. Zero means 1460.
	MaxSend int
	// RecvBuffer is how many received bytes each connection holds for
	// the host before the shim stops reading from it, so that TCP flow
	// control holds the sender back. Received data is never dropped.
	// Zero means 64 KiB. Whatever its size, a +QIRDI announces no more
	// than a module's buffer holds (25 KiB), as hosts parse its lengths
	// as 16-bit integers.
	RecvBuffer int
}

// DefaultProfile is the profile of a Quectel M95: six connections, 1460-byte
// sends, 64 KiB of receive buffer per connection.
var DefaultProfile = Profile{MaxConnections: 6, MaxSend: 1460, RecvBuffer: 64 << 10}

func (p Profile) withDefaults() Profile {
	p.MaxConnections = cmp.Or(max(p.MaxConnections, 0), DefaultProfile.MaxConnections)
	p.MaxSend = cmp.Or(max(p.MaxSend, 0), DefaultProfile.MaxSend)
	p.RecvBuffer = cmp.Or(max(p.RecvBuffer, 0), DefaultProfile.RecvBuffer)
	return p
}

// Config configures a Shim.
type Config struct {
	// Backend activates contexts (AT+QIACT) and reports the modem's
	// identity and radio state. Required.
	Backend Backend
	// Dialect is the module the hosts see. The zero value is DialectM95.
	Dialect Dialect
	// Profile bounds each host; zero fields take the dialect's module's
	// values (DefaultProfile for the M95; 12 connections for the BG96).
	Profile Profile
	// CompatQISTATE has no effect. It once turned on the answer to the
	// BG96-style AT+QISTATE=1,<n> that TinyGSM's drivers send to test a
	// socket; that answer is now always given. The field stays so that
	// existing configurations keep compiling.
	CompatQISTATE bool
	// Clock times the transparent mode's escape guard and packing timers.
	// Nil means the system clock.
	Clock clock.Clock
	// Logger receives debug logs of commands and state changes. Nil means
	// silent.
	Logger *slog.Logger
}

// Shim answers QI* hosts. It is safe for concurrent use: each Serve call is
// an independent host.
type Shim struct {
	cfg Config
}

// New returns a shim for cfg.
func New(cfg Config) *Shim {
	cfg.Profile = cfg.Dialect.profile(cfg.Profile)
	if cfg.Clock == nil {
		cfg.Clock = clock.Real
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Shim{cfg: cfg}
}

// UnackedConn is optionally implemented by the connections a Network
// returns, so that AT+QISACK reports real acknowledgements; see
// modemsock.UnackedConn.
type UnackedConn = modemsock.UnackedConn

// Serve answers one host on rw until ctx ends (returning ctx's error) or rw
// fails (returning that error, or nil at io.EOF). Connections the host
// opened are closed before Serve returns. A Read of rw that is still
// blocked then finishes in the background when rw delivers or fails; a
// Write blocked by a host that reads nothing delays the return until it
// completes or fails.
//
// If rw has a method DTR() (bool, error) reporting the host's DTR line,
// a drop of DTR after AT&D1 returns from transparent data mode to command
// mode, as on the module (seed §4), and after AT&D2 also closes the
// connection; it is polled every 100 ms in data mode.
func (s *Shim) Serve(ctx context.Context, rw io.ReadWriter) error {
	return s.ServePorts(ctx, rw)
}

// ServePorts answers one module with several AT ports, as a Telit
// module's MDM and MDM2 interfaces: each of rws is a host line with its
// own command line, settings and data mode, and all share the module's
// contexts and sockets, so that a host can move a socket's data on one
// port while it polls AT#SS on another. Unsolicited codes about a socket
// go to the port that opened it. Serve is ServePorts with one port. It
// returns as Serve does, when ctx ends or any port fails or ends.
// Dialects other than DialectTelit have one port: for them ServePorts
// with more than one returns an error at once.
func (s *Shim) ServePorts(ctx context.Context, rws ...io.ReadWriter) error {
	if len(rws) == 0 {
		return errors.New("shim: no port to serve")
	}
	if len(rws) > 1 && s.cfg.Dialect != DialectTelit {
		return fmt.Errorf("shim: dialect %s has one AT port, not %d", s.cfg.Dialect, len(rws))
	}
	ctx, cancel := context.WithCancel(ctx)
	m := newShimModule(ctx, s)
	for _, rw := range rws {
		m.ports = append(m.ports, newShimSession(ctx, s, rw, m))
	}
	err := m.run()
	cancel()
	m.shutdown()
	return err
}

// shimEventQueue is the capacity of a session's event channel. Every poster
// has at most a few events outstanding (one per connection reader, one per
// write of a connection writer whose queue is modemsock.TxQueue deep, timers), so
// the loop never blocks on itself.
const shimEventQueue = 256

// shimSession is one AT port of a module (shimModule), the whole module
// when it has one port: everything mutable in it belongs to the module
// loop (shimModule.run).
type shimSession struct {
	sh    *Shim
	mod   *shimModule // the module whose port this is
	cfg   *Config
	log   *slog.Logger
	rw    io.ReadWriter
	ctx   context.Context
	wg    sync.WaitGroup
	in    chan []byte // host bytes from routineRead
	inErr error       // set before in is closed
	ev    chan func()

	out      bytes.Buffer // pending output, flushed after each event
	writeErr error

	e       *dce.Engine // the command line: editing, parsing, results, data mode
	set     shimSettings
	saved   shimSettings   // AT&W
	send    *shimSendInput // the payload being collected
	capture *dce.Payload   // the payload a handler asked for
	pending []byte         // host input the engine did not take yet (suspended)
	closing bool           // Serve is returning: no more host input
	quiet   time.Time      // the command line's last input or answer (afterQuiet)
	// lineLeft is how many commands of the line being run follow the
	// one running (the SIM800's AT+CIFSR answers no OK when last).
	lineLeft int

	fg    int // foreground context (AT+QIFGCNT)
	pdps  [2]*shimPDP
	ip    shimIPSettings
	data  *shimData       // transparent mode; nil when not set up
	socks *modemsock.Core // the connections, contexts and servers
	pers  personality     // the dialect

	cmds map[string]shimHandler // this session's command table
}

// shimSettings is the profile AT&W saves and ATZ restores.
type shimSettings struct {
	echo    bool
	verbose bool
	quiet   bool
	cmee    int
	ipr     int
	qnitz   int
	qiurc   int
	dtr     int // AT&D: 1 = a DTR drop leaves transparent data mode, 2 = and closes the connection
}

var shimFactory = shimSettings{echo: true, verbose: true, qiurc: 1}

func newShimSession(ctx context.Context, sh *Shim, rw io.ReadWriter, mod *shimModule) *shimSession {
	if mod == nil {
		mod = newShimModule(ctx, sh)
	}
	s := &shimSession{
		sh: sh, mod: mod, cfg: &sh.cfg, log: sh.cfg.Logger, rw: rw, ctx: ctx,
		in:  make(chan []byte),
		ev:  mod.ev,
		set: shimFactory, saved: shimFactory,
		ip: defaultIPSettings,
	}
	if mod.socks == nil {
		mod.socks = modemsock.New(ctx, modemsock.Config{
			Post: s.post, Events: s.onSocketEvent,
			RecvBuffer: sh.cfg.Profile.RecvBuffer, Logger: sh.cfg.Logger,
		})
	}
	s.socks = mod.socks
	s.pers = newPersonality(s, sh.cfg.Dialect)
	s.cmds = s.pers.commands()
	s.e = dce.New(dce.Config{
		Commands: s.engineCommands(), Bare: true,
		Syntax: shimSyntax, NoiseError: true, MaxLine: shimMaxLine,
		BeforeLine: s.beforeLine, Control: s.control,
		GuardTime: shimEscGuard, EscapeGap: shimEscGap,
		Out: &s.out, Clock: sh.cfg.Clock, Post: func(f func()) { s.post(f) },
		Logger: sh.cfg.Logger,
	})
	s.applySettings()
	s.pers.start()
	return s
}

// routineRead copies host bytes to the loop.
func (s *shimSession) routineRead() {
	buf := make([]byte, 2048)
	for {
		n, err := s.rw.Read(buf)
		if n > 0 {
			select {
			case s.in <- bytes.Clone(buf[:n]):
			case <-s.ctx.Done():
				return
			}
		}
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			s.inErr = err
			close(s.in)
			return
		}
	}
}

// post runs f on the loop. It reports false once the session is over.
func (s *shimSession) post(f func()) bool {
	select {
	case s.ev <- f:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// goAsync runs work in a goroutine owned by the session and then runs the
// closure it returns on the loop.
func (s *shimSession) goAsync(work func(ctx context.Context) func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if done := work(s.ctx); done != nil {
			s.post(done)
		}
	}()
}

// lookup resolves host on n in a goroutine of the session, bounded by
// shimLookupTimeout, and runs then with the answer on the loop: the DNS
// query of every dialect's resolve command.
func (s *shimSession) lookup(n Network, host string, then func([]netip.Addr, error)) {
	s.goAsync(func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, shimLookupTimeout)
		defer cancel()
		ips, err := n.LookupNetIP(ctx, host)
		return func() { then(ips, err) }
	})
}

// afterFunc runs f on the loop after d of the configured clock.
func (s *shimSession) afterFunc(d time.Duration, f func()) clock.Timer {
	return s.cfg.Clock.AfterFunc(d, func() { s.post(f) })
}

// closePort stops taking the port's input and leaves its data mode.
func (s *shimSession) closePort() { s.closing, s.data = true, nil }

func (s *shimSession) flush() error {
	if s.writeErr != nil || s.out.Len() == 0 {
		return s.writeErr
	}
	_, s.writeErr = s.rw.Write(s.out.Bytes())
	s.out.Reset()
	return s.writeErr
}

// raw queues bytes for the host as they are.
func (s *shimSession) raw(b []byte) { s.e.Write(b) }

// line queues an information text or unsolicited result: "\r\n<text>\r\n"
// with ATV1, "<text>\r\n" with ATV0. In transparent data mode it waits
// until the host is back in command mode.
func (s *shimSession) line(text string) { s.e.URC(text) }

// result queues a final result code ("OK", "CONNECT", "ERROR", "NO
// CARRIER"): numeric with ATV0, none with ATQ1.
func (s *shimSession) result(code string) {
	switch code {
	case "OK":
		s.e.Result(nil)
	case "CONNECT":
		s.e.Result(at.Final{Code: at.Connect})
	case "NO CARRIER":
		s.e.Result(at.NoCarrier)
	default:
		s.e.Result(at.Error)
	}
}

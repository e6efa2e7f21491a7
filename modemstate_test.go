package gprsppp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/sim"
)

// These tests run the simulated modem on a pseudo-terminal, as "gprsppp
// sim" does, and dial it as a serial port: the line has no DTR, so a
// dialer that goes away without hanging up leaves the modem in data mode.

const modemTimeout = 30 * time.Second

// Short guard times: the modem's 100 ms, and the dialer's a little more.
const (
	modemGuard  = 100 * time.Millisecond
	dialerGuard = 200 * time.Millisecond
)

// syncBuffer is a buffer for logs written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// servePty runs a simulated modem with cfg on a new pty until the end of
// the test and returns the pty's path.
func servePty(t *testing.T, cfg sim.ModemConfig) string {
	t.Helper()
	p, err := sim.ListenPty("")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- sim.NewModem(cfg).Serve(ctx, p) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("modem: %v", err)
			}
		case <-time.After(modemTimeout):
			t.Error("modem did not stop")
		}
	})
	return p.Path()
}

// modemSays opens path, sends cmd, and reads until the modem's answer
// contains want; it fails the test on an error result or a timeout.
func modemSays(t *testing.T, path, cmd, want string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.WriteString(f, cmd+"\r"); err != nil {
		t.Fatal(err)
	}
	f.SetReadDeadline(time.Now().Add(modemTimeout))
	var got []byte
	b := make([]byte, 256)
	for !bytes.Contains(got, []byte(want)) {
		n, err := f.Read(b)
		if err != nil {
			t.Fatalf("%s: modem said %q, want %q: %v", cmd, got, want, err)
		}
		got = append(got, b[:n]...)
		if bytes.Contains(got, []byte("ERROR")) && !strings.Contains(want, "ERROR") {
			t.Fatalf("%s: modem said %q, want %q", cmd, got, want)
		}
	}
}

// supervise runs a Supervisor with Persist over dial until the end of the
// test; it returns the Supervisor, a count of the dials and Run's result.
func supervise(t *testing.T, dial func(context.Context) (*gprsppp.Link, error)) (*gprsppp.Supervisor, *atomic.Int32, <-chan error) {
	t.Helper()
	dials := new(atomic.Int32)
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: func(ctx context.Context) (*gprsppp.Link, error) {
			dials.Add(1)
			return dial(ctx)
		},
		Persist: true, Holdoff: 50 * time.Millisecond, MaxFail: 5,
	})
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runErr <- sup.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(modemTimeout):
			t.Error("Run did not return")
		}
	})
	return sup, dials, runErr
}

// echo sends a line to the network's TCP echo service through link.
func echo(t *testing.T, link *gprsppp.Link) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), modemTimeout)
	defer cancel()
	c, err := link.DialContext(ctx, "tcp", "10.64.64.1:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(modemTimeout))
	msg := []byte("after the escape\n")
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo %q, %v", got, err)
	}
}

// A dialer that went away without hanging up (killed, say) left the
// modem in data mode; the next, under a Supervisor, comes up at its first
// dial, escaping with +++ first, whatever the modem's network says
// meanwhile.
func TestRedialAfterAbandonedCall(t *testing.T) {
	tests := []struct {
		name    string
		abandon func(t *testing.T, port device.Port, cfg gprsppp.Config)
	}{
		{
			// The network's PPP keeps sending Configure-Requests (every
			// 100 ms here) to a client that never answers.
			name: "gone after CONNECT",
			abandon: func(t *testing.T, port device.Port, cfg gprsppp.Config) {
				ctx, cancel := context.WithTimeout(context.Background(), modemTimeout)
				defer cancel()
				if _, err := dialer.Dial(ctx, port, dialer.DialConfig{}); err != nil {
					t.Fatal(err)
				}
				port.Close()
			},
		},
		{
			name: "gone with PPP up",
			abandon: func(t *testing.T, port device.Port, cfg gprsppp.Config) {
				ctx, cancel := context.WithTimeout(context.Background(), modemTimeout)
				defer cancel()
				cfg.Logger = nil
				link, err := gprsppp.DialPort(ctx, port, cfg)
				if err != nil {
					t.Fatal(err)
				}
				port.Close() // as the kernel does for a killed process
				link.Close() // which can no longer reach the modem
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := servePty(t, sim.ModemConfig{
				GuardTime: modemGuard,
				Network:   gprsppp.NetworkConfig{Restart: 100 * time.Millisecond, MaxConfigure: 1000},
			})
			var logs syncBuffer
			cfg := gprsppp.Config{Device: path, GuardTime: dialerGuard, Logger: logs.logger()}
			port, err := device.Open(context.Background(), path, device.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tt.abandon(t, port, cfg)

			sup, dials, runErr := supervise(t, func(ctx context.Context) (*gprsppp.Link, error) {
				return gprsppp.Dial(ctx, cfg)
			})
			ctx, cancel := context.WithTimeout(context.Background(), modemTimeout)
			defer cancel()
			link, err := sup.Link(ctx)
			if err != nil {
				t.Fatalf("no link: %v (Run: %v)\n%s", err, readErr(runErr), logs.String())
			}
			if n := dials.Load(); n != 1 {
				t.Errorf("the link came up at dial %d, want the first", n)
			}
			if !strings.Contains(logs.String(), "the modem was still online") {
				t.Errorf("the dialer did not say that it escaped:\n%s", logs.String())
			}
			echo(t, link)
		})
	}
}

// readErr returns Run's error if it has returned.
func readErr(c <-chan error) error {
	select {
	case err := <-c:
		return err
	default:
		return nil
	}
}

// A wrong PIN under --persist: the SIM sees it once, Run ends at once
// with a SIM error that says where the PIN comes from, and a later dial in
// this process does not send it either.
func TestSupervisorSendsWrongPINOnce(t *testing.T) {
	var modemLog syncBuffer
	path := servePty(t, sim.ModemConfig{PIN: "1234", Logger: modemLog.logger()})
	wrong := fmt.Sprintf("%08d", rand.IntN(1e8)) // not 1234, nor, with -count, the PIN of a run before
	cfg := gprsppp.Config{Device: path, PIN: wrong}
	dial := func(ctx context.Context) (*gprsppp.Link, error) { return gprsppp.Dial(ctx, cfg) }
	pinSent := func() int { return strings.Count(modemLog.String(), "AT+CPIN=<redacted>") }

	_, dials, runErr := supervise(t, dial)
	var err error
	select {
	case err = <-runErr:
	case <-time.After(modemTimeout):
		t.Fatal("Run is still redialling")
	}
	if !errors.Is(err, gprsppp.ErrSIM) || errors.Is(err, gprsppp.ErrMaxFail) {
		t.Errorf("Run: %v, want a SIM error at once", err)
	}
	if err != nil && !strings.Contains(err.Error(), "GPRSPPP_PIN") {
		t.Errorf("error %q does not say where the PIN comes from", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("dialled %d times, want once", n)
	}
	if n := pinSent(); n != 1 {
		t.Errorf("the modem got the PIN %d times, want once", n)
	}
	modemSays(t, path, `AT+CPINR="SIM PIN"`, "+CPINR: SIM PIN,2,3")

	_, dials, runErr = supervise(t, dial)
	if err := <-runErr; !errors.Is(err, gprsppp.ErrSIM) || dials.Load() != 1 {
		t.Errorf("second Run after %d dials: %v, want a SIM error after one", dials.Load(), err)
	}
	if n := pinSent(); n != 1 {
		t.Errorf("the modem got the PIN %d times in all, want once", n)
	}
}

// With one attempt left the dialer does not send even the right PIN; a
// person enters it, and the next dial goes through.
func TestDialLeavesLastPINAttempt(t *testing.T) {
	path := servePty(t, sim.ModemConfig{PIN: "1234"})
	modemSays(t, path, `AT+CPIN="0000"`, "+CME ERROR: 16")
	modemSays(t, path, `AT+CPIN="0001"`, "+CME ERROR: 16")

	cfg := gprsppp.Config{Device: path, PIN: "1234"}
	ctx, cancel := context.WithTimeout(context.Background(), modemTimeout)
	defer cancel()
	_, err := gprsppp.Dial(ctx, cfg)
	if !errors.Is(err, gprsppp.ErrSIM) || !strings.Contains(err.Error(), "not tried unattended") {
		t.Fatalf("Dial: %v, want the last attempt refused", err)
	}
	modemSays(t, path, `AT+CPINR="SIM PIN"`, "+CPINR: SIM PIN,1,3")

	modemSays(t, path, `AT+CPIN="1234"`, "OK")
	link, err := gprsppp.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Dial after the PIN was entered by hand: %v", err)
	}
	link.Close()
}

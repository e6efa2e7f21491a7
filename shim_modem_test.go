package gprsppp_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// promptly bounds the answers that must not wait for the network.
const promptly = 3 * time.Second

// The shim behind a Supervisor answers for the modem as the last dial
// found it: a module without network when the dial failed (no device, no
// SIM, a locked SIM, no registration), the dial's own readings with a
// link up. Nothing waits.
func TestShimReportsTheModemAsTheDialFoundIt(t *testing.T) {
	queries := []string{"AT+CPIN?", "AT+CREG?", "AT+CGREG?", "AT+CSQ", "AT+COPS?", "AT+CGATT?", "AT+QIREGAPP"}
	noNetwork := func(cpin ...string) [][]string {
		return [][]string{cpin, {"+CREG: 0,0", "OK"}, {"+CGREG: 0,0", "OK"}, {"+CSQ: 99,99", "OK"},
			{"+COPS: 0", "OK"}, {"+CGATT: 0", "OK"}, {"+CME ERROR: 3"}}
	}
	tests := []struct {
		name  string
		modem *attest.Config // the fake modem dialled; nil: a device that does not exist
		reg   time.Duration  // the dial's registration timeout
		want  [][]string     // the answers to queries
	}{
		{name: "no device", want: noNetwork("+CME ERROR: 14")},
		{name: "no SIM", modem: &attest.Config{NoSIM: true}, want: noNetwork("+CME ERROR: 10")},
		{name: "SIM PIN, none configured", modem: &attest.Config{PIN: "1234"}, want: noNetwork("+CPIN: SIM PIN", "OK")},
		{name: "SIM PUK", modem: &attest.Config{PUK: true}, want: noNetwork("+CPIN: SIM PUK", "OK")},
		{name: "never registers", modem: &attest.Config{Registration: attest.Never}, reg: time.Second,
			want: noNetwork("+CPIN: READY", "OK")},
		{
			name: "registration denied", modem: &attest.Config{Registration: attest.Denied},
			want: [][]string{{"+CPIN: READY", "OK"}, {"+CREG: 0,3", "OK"}, {"+CGREG: 0,3", "OK"}, {"+CSQ: 99,99", "OK"},
				{"+COPS: 0", "OK"}, {"+CGATT: 0", "OK"}, {"+CME ERROR: 3"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := gprsppp.Config{Device: filepath.Join(t.TempDir(), "ttyNONE"), RegistrationTimeout: tt.reg}
			dial := func(ctx context.Context) (*gprsppp.Link, error) {
				if tt.modem == nil {
					return gprsppp.Dial(ctx, cfg)
				}
				dte, dce := ppptest.Pipe()
				m := attest.New(dce, *tt.modem)
				t.Cleanup(func() { m.Close() })
				return gprsppp.DialPort(ctx, attest.NewLine(dte), cfg)
			}
			sup, failed := superviseShim(t, dial, nil)
			select {
			case <-failed:
			case <-time.After(30 * time.Second):
				t.Fatal("the dial did not fail within 30 s")
			}
			h := startShimHost(t, sup)
			var got [][]string
			for _, q := range queries {
				got = append(got, h.cmd(q, promptly))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answers to %q (-want +got):\n%s", queries, diff)
			}
		})
	}
}

// With the link up, the shim reports what the dial read from the modem
// (here the simulator's "+CSQ: 20,99" and home registration), and
// activates at once.
func TestShimReportsTheModemWithALinkUp(t *testing.T) {
	dial := func(ctx context.Context) (*gprsppp.Link, error) {
		a, b := ppptest.OSPipe(t)
		m := sim.NewModem(sim.ModemConfig{Network: gprsppp.NetworkConfig{LocalAddr: netip.MustParseAddr("10.64.64.1")}})
		go m.Serve(context.Background(), b)
		return gprsppp.DialPort(ctx, a, gprsppp.Config{})
	}
	up := make(chan *gprsppp.Link, 1)
	sup, _ := superviseShim(t, dial, func(l *gprsppp.Link) { up <- l })
	select {
	case <-up:
	case <-time.After(30 * time.Second):
		t.Fatal("no link within 30 s")
	}
	h := startShimHost(t, sup)
	queries := []string{"AT+CPIN?", "AT+CREG?", "AT+CGREG?", "AT+CSQ", "AT+COPS?", "AT+CGATT?", "AT+QIREGAPP", "AT+QIACT"}
	want := [][]string{{"+CPIN: READY", "OK"}, {"+CREG: 0,1", "OK"}, {"+CGREG: 0,1", "OK"}, {"+CSQ: 20,99", "OK"},
		{"+COPS: 0", "OK"}, {"+CGATT: 1", "OK"}, {"OK"}, {"OK"}}
	var got [][]string
	for _, q := range queries {
		got = append(got, h.cmd(q, promptly))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers to %q (-want +got):\n%s", queries, diff)
	}
}

// While the first dial runs, the shim answers as a module searching for
// a network, and an AT+QIACT waits for the dial; when the dial fails, the
// AT+QIACT fails at once, and later ones are refused, rather than wait
// for a network that is not there.
func TestShimActivationFailsWithTheDial(t *testing.T) {
	dialing := make(chan struct{})
	result := make(chan error)
	dial := func(ctx context.Context) (*gprsppp.Link, error) {
		close(dialing)
		return nil, <-result
	}
	sup, failed := superviseShim(t, dial, nil)
	<-dialing
	h := startShimHost(t, sup)
	queries := []string{"AT+CPIN?", "AT+CREG?", "AT+CSQ", "AT+CGATT?", "AT+QIREGAPP"}
	want := [][]string{{"+CME ERROR: 14"}, {"+CREG: 0,2", "OK"}, {"+CSQ: 99,99", "OK"}, {"+CGATT: 0", "OK"}, {"OK"}}
	var got [][]string
	for _, q := range queries {
		got = append(got, h.cmd(q, promptly))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("while dialling, answers to %q (-want +got):\n%s", queries, diff)
	}

	// The backend waits for the running dial, as long as its context allows.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := (&gprsppp.ShimBackend{Supervisor: sup}).Activate(ctx, "", "", ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Activate while dialling: %v, want it to wait", err)
	}
	h.send("AT+QIACT")
	result <- &dialer.StepError{Step: "sync", Command: "AT", Err: dialer.ErrTimeout}
	<-failed
	if diff := cmp.Diff([]string{"ERROR"}, h.answer("AT+QIACT", promptly)); diff != "" {
		t.Errorf("AT+QIACT once the dial failed (-want +got):\n%s", diff)
	}
	queries = []string{"AT+CREG?", "AT+QIREGAPP", "AT+QIACT"}
	want = [][]string{{"+CREG: 0,0", "OK"}, {"+CME ERROR: 3"}, {"+CME ERROR: 3"}}
	got = nil
	for _, q := range queries {
		got = append(got, h.cmd(q, promptly))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the failed dial, answers to %q (-want +got):\n%s", queries, diff)
	}
}

// superviseShim runs a Supervisor over dial until the end of the test,
// with a hold-off no test waits for. The channel it returns receives
// once the supervisor has taken note of each failed dial: one it will
// redial after, or one that ended it (a SIM problem).
func superviseShim(t *testing.T, dial func(context.Context) (*gprsppp.Link, error), onUp func(*gprsppp.Link)) (*gprsppp.Supervisor, <-chan struct{}) {
	t.Helper()
	failed := make(chan struct{}, 10)
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: dial, Persist: true, Holdoff: time.Hour, MaxFail: -1, OnUp: onUp,
		Logger: slog.New(messageHandler{"dial failed", failed}),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := sup.Run(ctx); err != nil {
			failed <- struct{}{}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("Run did not return")
		}
	})
	return sup, failed
}

// messageHandler signals on ch each record whose message is msg.
type messageHandler struct {
	msg string
	ch  chan<- struct{}
}

func (h messageHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h messageHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h messageHandler) WithGroup(string) slog.Handler            { return h }

func (h messageHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.ch <- struct{}{}
	}
	return nil
}

// shimHost is a host talking to a shim backed by a Supervisor.
type shimHost struct {
	t     *testing.T
	w     io.Writer
	lines chan string
}

// startShimHost serves a shim backed by sup until the end of the test
// and returns its host, with echo off and numeric errors on.
func startShimHost(t *testing.T, sup *gprsppp.Supervisor) *shimHost {
	t.Helper()
	sh := shim.New(shim.Config{Backend: &gprsppp.ShimBackend{Supervisor: sup}})
	dce, dte := ppptest.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		sh.Serve(ctx, dce)
	}()
	h := &shimHost{t: t, w: dte, lines: make(chan string, 100)}
	go func() {
		defer close(h.lines)
		sc := bufio.NewScanner(dte)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				h.lines <- l
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		dce.Close()
		dte.Close()
		<-served
	})
	h.cmd("ATE0", promptly)
	h.cmd("AT+CMEE=1", promptly)
	return h
}

func (h *shimHost) send(cmd string) { io.WriteString(h.w, cmd+"\r") }

// cmd sends cmd and returns its answer, which must come within d.
func (h *shimHost) cmd(cmd string, d time.Duration) []string {
	h.t.Helper()
	h.send(cmd)
	return h.answer(cmd, d)
}

// answer reads the lines up to a final result, which must come within d.
func (h *shimHost) answer(cmd string, d time.Duration) []string {
	h.t.Helper()
	var got []string
	deadline := time.After(d)
	for {
		select {
		case l, ok := <-h.lines:
			if !ok {
				h.t.Fatalf("%s: the line closed after %q", cmd, got)
			}
			got = append(got, l)
			if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR:") {
				return got
			}
		case <-deadline:
			h.t.Fatalf("%s: no final result within %v (got %q)", cmd, d, got)
		}
	}
}

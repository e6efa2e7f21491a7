package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/gprsppp/gprsppp"
)

// fakeModem is a modem on the master side of a pty. It echoes each command
// line (ATE1) and answers it with the lines in replies, each framed in CR LF
// like a real modem's; a command missing from replies gets ERROR, and one
// mapped to nil gets no answer at all.
type fakeModem struct {
	path    string // the pty slave, for --device
	replies map[string][]string
	master  *os.File
	done    chan struct{}

	mu  sync.Mutex
	got []string // the command lines received, guarded by mu
}

func newFakeModem(t *testing.T, replies map[string][]string) *fakeModem {
	t.Helper()
	m, s, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	// pty.Open leaves the master blocking, where Close would not end
	// the responder's Read; give the poller a non-blocking copy.
	fd, err := unix.FcntlInt(m.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	m.Close()
	if err == nil {
		err = unix.SetNonblock(fd, true)
	}
	if err != nil {
		s.Close()
		t.Fatalf("pty master: %v", err)
	}
	fm := &fakeModem{path: s.Name(), replies: replies, master: os.NewFile(uintptr(fd), "ptmx"), done: make(chan struct{})}
	go fm.respond()
	// The test keeps the slave open, so the master sees no hangup when
	// the command closes its port.
	t.Cleanup(func() {
		fm.master.Close()
		<-fm.done
		s.Close()
	})
	return fm
}

// respond answers command lines until the master is closed.
func (m *fakeModem) respond() {
	defer close(m.done)
	var line []byte
	buf := make([]byte, 256)
	for {
		n, err := m.master.Read(buf)
		if err != nil {
			return
		}
		for _, b := range buf[:n] {
			if b != '\r' {
				line = append(line, b)
				continue
			}
			m.answer(string(line))
			line = line[:0]
		}
	}
}

func (m *fakeModem) answer(cmd string) {
	m.mu.Lock()
	m.got = append(m.got, cmd)
	m.mu.Unlock()
	reply, ok := m.replies[cmd]
	if !ok {
		reply = []string{"ERROR"}
	}
	var b strings.Builder
	b.WriteString(cmd + "\r")
	for _, l := range reply {
		b.WriteString("\r\n" + l + "\r\n")
	}
	m.master.WriteString(b.String())
}

// received returns the command lines the modem has received.
func (m *fakeModem) received() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.got...)
}

var modemReplies = map[string][]string{
	"ATI":       {"Quectel", "EC25", "Revision: EC25EFAR06A06M4G", "OK"},
	"AT+CSQ":    {"+CSQ: 20,99", "OK"},
	"AT+CPIN?":  {"+CME ERROR: 10"},
	"AT+CFUN=1": {"OK", "+CPIN: READY"}, // OK, then a URC
	"AT+COPS=?": nil,                    // takes minutes on a real modem
	"ATD*99#":   {"CONNECT 150000000"},
}

// runAtCmd runs "gprsppp at" with args and stdin, and returns its output and
// error.
func runAtCmd(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := newAt(&globals{})
	cmd.SetArgs(args)
	cmd.SetIn(stdin)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	err = cmd.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

func TestAtOneShot(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantOut  string
		wantErr  string // a substring; empty for success
		wantCode int    // the exit status that goes with wantErr
		wantSent []string
	}{
		{
			name:     "success",
			args:     []string{"I", "+CSQ"},
			wantOut:  "Quectel\nEC25\nRevision: EC25EFAR06A06M4G\nOK\n+CSQ: 20,99\nOK\n",
			wantSent: []string{"ATI", "AT+CSQ"},
		},
		{
			name:     "AT prefix kept",
			args:     []string{"at+csq"},
			wantOut:  "ERROR\n",
			wantErr:  "at: at+csq: ERROR",
			wantCode: exitATFailed,
			wantSent: []string{"at+csq"},
		},
		{
			name:     "error stops",
			args:     []string{"AT+CPIN?", "AT+CSQ"},
			wantOut:  "+CME ERROR: 10\n",
			wantErr:  "at: AT+CPIN?: +CME ERROR: 10",
			wantCode: exitATFailed,
			wantSent: []string{"AT+CPIN?"},
		},
		{
			name:     "timeout",
			args:     []string{"--timeout", "200ms", "+COPS=?"},
			wantErr:  "at: AT+COPS=?: no final result within 200ms",
			wantCode: exitATTimeout,
			wantSent: []string{"AT+COPS=?"},
		},
		{
			name:     "connect ends",
			args:     []string{"--stay-online", "D*99#"},
			wantOut:  "CONNECT 150000000\n",
			wantSent: []string{"ATD*99#"},
		},
		{
			name:     "connect before more commands",
			args:     []string{"--stay-online", "D*99#", "I"},
			wantOut:  "CONNECT 150000000\n",
			wantErr:  "went into data mode",
			wantCode: exitATFailed,
			wantSent: []string{"ATD*99#"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFakeModem(t, modemReplies)
			out, _, err := runAtCmd(t, strings.NewReader(""), append([]string{"--device", m.path}, tt.args...)...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("at: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("at: err %v, want one containing %q", err, tt.wantErr)
			}
			var e *exitError
			if tt.wantErr != "" && (!errors.As(err, &e) || e.code != tt.wantCode) {
				t.Errorf("at: err %v, want exit status %d", err, tt.wantCode)
			}
			if diff := cmp.Diff(tt.wantOut, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSent, m.received()); diff != "" {
				t.Errorf("commands sent (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAtInteractive(t *testing.T) {
	m := newFakeModem(t, modemReplies)
	r, w := io.Pipe()
	go func() {
		// Typed ahead: the second command waits for the first's result.
		io.WriteString(w, "AT+CFUN=1\n\nAT+COPS=?\nAT+CSQ\n")
		w.Close()
	}()
	out, errOut, err := runAtCmd(t, r, "--device", m.path, "-i", "--timeout", "200ms")
	if err != nil {
		t.Fatalf("at -i: %v", err)
	}
	// The URC after AT+CFUN=1's OK is printed too.
	if diff := cmp.Diff("OK\n+CPIN: READY\n+CSQ: 20,99\nOK\n", out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("at: AT+COPS=?: no final result within 200ms\n", errOut); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"AT+CFUN=1", "AT+COPS=?", "AT+CSQ"}, m.received()); diff != "" {
		t.Errorf("commands sent (-want +got):\n%s", diff)
	}
}

func TestAtUsageErrors(t *testing.T) {
	m := newFakeModem(t, modemReplies)
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no commands", []string{"--device", m.path}, "no commands given"},
		{"commands and -i", []string{"--device", m.path, "-i", "ATI"}, "do not also give them"},
		{"no device", []string{"ATI"}, `required flag(s) "device" not set`},
		{"missing device", []string{"--device", "/dev/ttyUSB9-nonexistent", "ATI"},
			"device /dev/ttyUSB9-nonexistent: no such device"},
		{"bad timeout", []string{"--device", m.path, "--timeout", "0s", "ATI"}, "--timeout must be positive"},
		{"bad baud", []string{"--device", m.path, "--baud", "-1", "ATI"}, "baud rate -1 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runAtCmd(t, strings.NewReader(""), tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("at: err %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	if got := m.received(); len(got) != 0 {
		t.Errorf("commands sent: %q, want none", got)
	}
}

func TestResultCode(t *testing.T) {
	tests := []struct {
		line          string
		final, failed bool
	}{
		{"OK", true, false},
		{"CONNECT", true, false},
		{"CONNECT 150000000", true, false},
		{"ERROR", true, true},
		{"+CME ERROR: 10", true, true},
		{"+CME ERROR: SIM not inserted", true, true},
		{"+CMS ERROR: 500", true, true},
		{"NO CARRIER", true, true},
		{"BUSY", true, true},
		{"NO ANSWER", true, true},
		{"NO DIALTONE", true, true},
		{"+CSQ: 20,99", false, false},
		{"CONNECTED", false, false},
		{"OK?", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			final, failed := resultCode(tt.line)
			if final != tt.final || failed != tt.failed {
				t.Errorf("resultCode(%q) = %v, %v; want %v, %v", tt.line, final, failed, tt.final, tt.failed)
			}
		})
	}
}

func TestWithAT(t *testing.T) {
	for in, want := range map[string]string{
		"I":                              "ATI",
		"+CSQ":                           "AT+CSQ",
		"AT+CSQ":                         "AT+CSQ",
		"at+csq":                         "at+csq",
		" +CSQ ":                         "AT+CSQ",
		"":                               "AT",
		"A":                              "ATA",
		"D*99#":                          "ATD*99#",
		"At&F":                           "At&F",
		"ATE0V1":                         "ATE0V1",
		"+CGDCONT=1,\"IP\",\"internet\"": "AT+CGDCONT=1,\"IP\",\"internet\"",
	} {
		if got := withAT(in); got != want {
			t.Errorf("withAT(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScanLines(t *testing.T) {
	sc := newLineReader(strings.NewReader("ATI\r\r\nQuectel\r\nOK\r\n\r\n+CREG: 1\nlast"))
	go sc.run()
	var got []string
	for l := range sc.lines {
		got = append(got, l)
	}
	if diff := cmp.Diff([]string{"ATI", "Quectel", "OK", "+CREG: 1", "last"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if sc.err != nil {
		t.Errorf("err %v, want nil at the end of input", sc.err)
	}
}

// "gprsppp at D*99#" leaves the simulator, served as "gprsppp sim --link"
// does, in command mode: it answers AT at once.
func TestAtDialReturnsToCommandMode(t *testing.T) {
	link := filepath.Join(t.TempDir(), "modem")
	startSim(t, "--link", link)
	out, errOut, err := runAtCmd(t, strings.NewReader(""), "--device", link, "D*99#")
	if err != nil {
		t.Fatalf("at: %v\n%s", err, errOut)
	}
	if out != "CONNECT 115200\n" {
		t.Errorf("output %q", out)
	}
	if !strings.Contains(errOut, "returning it to command mode") {
		t.Errorf("stderr %q does not say that the modem left data mode", errOut)
	}
	simCommand(t, simOpen(t, link), "AT", "\r\nOK\r\n")
}

// "gprsppp at --stay-online D*99#" leaves the simulator in data mode; the
// next dial, under a Supervisor (connect --persist), escapes and comes up
// at its first try.
func TestAtStayOnlineThenDial(t *testing.T) {
	link := filepath.Join(t.TempDir(), "modem")
	startSim(t, "--link", link)
	out, errOut, err := runAtCmd(t, strings.NewReader(""), "--device", link, "--stay-online", "D*99#")
	if err != nil || out != "CONNECT 115200\n" || errOut != "" {
		t.Fatalf("at: %v, output %q, stderr %q", err, out, errOut)
	}

	var logs bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelWarn}))
	var dials atomic.Int32
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Dial: func(ctx context.Context) (*gprsppp.Link, error) {
			dials.Add(1)
			return gprsppp.Dial(ctx, gprsppp.Config{Device: link, Logger: log})
		},
		Persist: true, Holdoff: 50 * time.Millisecond, MaxFail: 3,
	})
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- sup.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-runErr; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	wctx, wcancel := context.WithTimeout(ctx, simTimeout)
	defer wcancel()
	if _, err := sup.Link(wctx); err != nil {
		t.Fatalf("no link: %v", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("the link came up at dial %d, want the first", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logs.String(), "the modem was still online") {
		t.Errorf("the dialer did not warn that it escaped:\n%s", logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

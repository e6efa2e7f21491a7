package auth

import (
	"bytes"
	"encoding"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/internal/clock"
	"github.com/gprsppp/gprsppp/ppp"
)

// manualTimer is a ppp.Timer on a clock.Manual, whose functions run inside
// Advance on the test goroutine, as a link's timers run on its goroutine.
type manualTimer struct {
	clk *clock.Manual
	f   func()
	t   clock.Timer
}

func (m *manualTimer) Reset(d time.Duration) {
	m.Stop()
	m.t = m.clk.AfterFunc(d, m.f)
}

func (m *manualTimer) Stop() {
	if m.t != nil {
		m.t.Stop()
		m.t = nil
	}
}

func newTimerOn(clk *clock.Manual) func(f func()) ppp.Timer {
	return func(f func()) ppp.Timer { return &manualTimer{clk: clk, f: f} }
}

// wire carries packets in one direction, dropping those whose index (from
// 0) is in drop, or all of them if dropAll is set.
type wire struct {
	drop    map[int]bool
	dropAll bool
	deliver func(pkt []byte)
	sent    [][]byte // every packet sent, delivered or not
}

func (w *wire) send(pkt []byte) {
	n := len(w.sent)
	w.sent = append(w.sent, bytes.Clone(pkt))
	if w.dropAll || w.drop[n] {
		return
	}
	w.deliver(bytes.Clone(pkt))
}

func indexSet(idx ...int) map[int]bool {
	m := make(map[int]bool)
	for _, i := range idx {
		m[i] = true
	}
	return m
}

// serverResult is what a Server reported to Done.
type serverResult struct {
	peerID string
	err    error
}

// recorder collects Done calls and debug logs for one test.
type recorder struct {
	clientDone []error
	serverDone []serverResult
	logs       bytes.Buffer
}

func (r *recorder) logger(role string) *slog.Logger {
	h := slog.NewTextHandler(&r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(h).With("side", role)
}

func (r *recorder) clientConfig(clk *clock.Manual, user, password string, send func([]byte)) ClientConfig {
	return ClientConfig{
		Username: user,
		Password: password,
		Send:     send,
		NewTimer: newTimerOn(clk),
		Done:     func(err error) { r.clientDone = append(r.clientDone, err) },
		Logger:   r.logger("client"),
	}
}

func (r *recorder) serverConfig(clk *clock.Manual, secrets map[string]string, send func([]byte)) ServerConfig {
	return ServerConfig{
		Secret: func(peerID string) (string, bool) {
			s, ok := secrets[peerID]
			return s, ok
		},
		Name:     "gprs-sim",
		Send:     send,
		NewTimer: newTimerOn(clk),
		Done:     func(peerID string, err error) { r.serverDone = append(r.serverDone, serverResult{peerID, err}) },
		Rand:     bytes.NewReader(append([]byte{0x2a}, seq(challengeLen)...)),
		Logger:   r.logger("server"),
	}
}

// checkNoSecrets fails if any of the secrets, or the MD5 response values
// found in packets, appear in the logs or in the errors reported to Done.
func (r *recorder) checkNoSecrets(t *testing.T, secrets []string, packets [][]byte) {
	t.Helper()
	var texts []string
	texts = append(texts, r.logs.String())
	for _, err := range r.clientDone {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}
	for _, res := range r.serverDone {
		if res.err != nil {
			texts = append(texts, res.err.Error())
		}
	}
	var forbidden []string
	for _, s := range secrets {
		if s != "" {
			forbidden = append(forbidden, s)
		}
	}
	for _, pkt := range packets {
		var c Challenge
		if c.UnmarshalBinary(pkt) == nil && c.Code == CodeResponse {
			forbidden = append(forbidden, string(c.Value), hex.EncodeToString(c.Value), strings.ToUpper(hex.EncodeToString(c.Value)))
		}
	}
	for _, text := range texts {
		for _, f := range forbidden {
			if strings.Contains(text, f) {
				t.Errorf("secret %q appears in output:\n%s", f, text)
			}
		}
	}
}

// stateMachine is the method set shared by Client and Server.
type stateMachine interface {
	Start()
	Input(pkt []byte)
	Stop()
}

// step is one event fed to a client or server.
type step struct {
	start, stop bool
	input       []byte
	advance     time.Duration
}

func start() step                  { return step{start: true} }
func stop() step                   { return step{stop: true} }
func input(pkt []byte) step        { return step{input: pkt} }
func advance(d time.Duration) step { return step{advance: d} }

func run(clk *clock.Manual, m stateMachine, steps []step) {
	for _, s := range steps {
		switch {
		case s.start:
			m.Start()
		case s.stop:
			m.Stop()
		case s.input != nil:
			m.Input(s.input)
		default:
			clk.Advance(s.advance)
		}
	}
}

func mustMarshal(p encoding.BinaryMarshaler) []byte {
	b, err := p.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return b
}

// Packets used by the machine tests.
func papRequest(id uint8, user, password string) []byte {
	return mustMarshal(AuthenticateRequest{Identifier: id, PeerID: []byte(user), Password: []byte(password)})
}

func papReply(code PAPCode, id uint8, msg string) []byte {
	return mustMarshal(AuthenticateReply{Code: code, Identifier: id, Message: []byte(msg)})
}

func chapChallenge(id uint8, value []byte) []byte {
	return mustMarshal(Challenge{Code: CodeChallenge, Identifier: id, Value: value, Name: []byte("gprs-sim")})
}

func chapResponse(id uint8, user, secret string, challenge []byte) []byte {
	v := MD5Response(id, []byte(secret), challenge)
	return mustMarshal(Challenge{Code: CodeResponse, Identifier: id, Value: v, Name: []byte(user)})
}

func chapResult(code CHAPCode, id uint8, msg string) []byte {
	return mustMarshal(Result{Code: code, Identifier: id, Message: []byte(msg)})
}

// clientCase drives one client through steps.
type clientCase struct {
	name     string
	newFn    func(ClientConfig) Client
	user     string // testUser if empty
	password string // testPassword if empty
	steps    []step
	wantSent [][]byte
	wantDone []error // errors the Done calls must wrap; nil for success
}

func runClientCases(t *testing.T, tests []clientCase) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewManual(time.Unix(0, 0))
			var r recorder
			var sent [][]byte
			user, password := tt.user, tt.password
			if user == "" {
				user = testUser
			}
			if password == "" {
				password = testPassword
			}
			cfg := r.clientConfig(clk, user, password, func(p []byte) { sent = append(sent, append([]byte(nil), p...)) })
			cfg.MaxRequests = 3
			run(clk, tt.newFn(cfg), tt.steps)
			if diff := cmp.Diff(tt.wantSent, sent); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			checkDone(t, tt.wantDone, r.clientDone)
			r.checkNoSecrets(t, []string{password}, sent)
		})
	}
}

// serverCase drives one server through steps.
type serverCase struct {
	name      string
	newFn     func(ServerConfig) Server
	steps     []step
	wantSent  [][]byte
	wantDone  []error
	wantPeers []string
}

func runServerCases(t *testing.T, tests []serverCase) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewManual(time.Unix(0, 0))
			var r recorder
			var sent [][]byte
			cfg := r.serverConfig(clk, testSecrets, func(p []byte) { sent = append(sent, append([]byte(nil), p...)) })
			cfg.MaxRequests = 3
			run(clk, tt.newFn(cfg), tt.steps)
			if diff := cmp.Diff(tt.wantSent, sent); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			var errs []error
			var peers []string
			for _, d := range r.serverDone {
				errs, peers = append(errs, d.err), append(peers, d.peerID)
			}
			checkDone(t, tt.wantDone, errs)
			if diff := cmp.Diff(tt.wantPeers, peers); diff != "" {
				t.Errorf("Done peers (-want +got):\n%s", diff)
			}
			r.checkNoSecrets(t, []string{testPassword}, nil)
		})
	}
}

func checkDone(t *testing.T, want, got []error) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Done called with %v, want %d calls wrapping %v", got, len(want), want)
	}
	for i := range want {
		if (want[i] == nil) != (got[i] == nil) || !errors.Is(got[i], want[i]) {
			t.Errorf("Done call %d: %v, want %v", i, got[i], want[i])
		}
	}
}

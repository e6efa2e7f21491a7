package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

const (
	testUser     = "internet-user"
	testPassword = "pw-Ünïq-7f3a"
	wrongPass    = "wrong-pw-9c1d"
)

var testSecrets = map[string]string{testUser: testPassword}

// method builds a client and a server of one authentication protocol.
type method struct {
	name      string
	newClient func(ClientConfig) Client
	newServer func(ServerConfig) Server
}

var methods = []method{
	{name: "PAP", newClient: NewPAPClient, newServer: NewPAPServer},
	{name: "CHAP", newClient: NewCHAPClient, newServer: NewCHAPServer},
}

// pairCase is one back-to-back exchange. Up is client to server, down is
// server to client.
type pairCase struct {
	name     string
	user     string
	password string
	dropUp   []int
	dropDown []int
	lossUp   bool // drop every packet from the client
	lossDown bool // drop every packet from the server

	wantClient error // nil, or an error the client's Done must wrap
	wantServer error // likewise for the server
	wantPeer   string
	// sends expected on each wire, by method name
	wantUp, wantDown map[string]int
}

func TestClientServer(t *testing.T) {
	tests := []pairCase{
		{
			name: "right password", user: testUser, password: testPassword,
			wantPeer: testUser,
			wantUp:   map[string]int{"PAP": 1, "CHAP": 1}, wantDown: map[string]int{"PAP": 1, "CHAP": 2},
		},
		{
			name: "wrong password", user: testUser, password: wrongPass,
			wantClient: ErrRejected, wantServer: ErrAuthFailed, wantPeer: testUser,
			wantUp: map[string]int{"PAP": 1, "CHAP": 1}, wantDown: map[string]int{"PAP": 1, "CHAP": 2},
		},
		{
			name: "unknown user", user: "someone-else", password: testPassword,
			wantClient: ErrRejected, wantServer: ErrAuthFailed, wantPeer: "someone-else",
			wantUp: map[string]int{"PAP": 1, "CHAP": 1}, wantDown: map[string]int{"PAP": 1, "CHAP": 2},
		},
		{
			name: "first three client packets lost", user: testUser, password: testPassword, dropUp: []int{0, 1, 2},
			wantPeer: testUser,
			wantUp:   map[string]int{"PAP": 4, "CHAP": 4}, wantDown: map[string]int{"PAP": 1, "CHAP": 5},
		},
		{
			name: "first two server packets lost", user: testUser, password: testPassword, dropDown: []int{0, 1},
			wantPeer: testUser,
			// PAP: the Ack is lost, so is the re-Ack of the retransmitted
			// request; the third request is acked. CHAP: two Challenges lost.
			wantUp: map[string]int{"PAP": 3, "CHAP": 1}, wantDown: map[string]int{"PAP": 3, "CHAP": 4},
		},
		{
			name: "peer silent", user: testUser, password: testPassword, lossUp: true, lossDown: true,
			wantClient: ErrTimeout, wantServer: ErrTimeout,
			wantUp: map[string]int{"PAP": 4, "CHAP": 0}, wantDown: map[string]int{"PAP": 0, "CHAP": 4},
		},
		{
			name: "no username", user: "", password: testPassword,
			wantClient: ErrNoCredentials, wantServer: ErrTimeout,
			wantUp: map[string]int{"PAP": 0, "CHAP": 0}, wantDown: map[string]int{"PAP": 0, "CHAP": 4},
		},
	}
	for _, m := range methods {
		for _, tt := range tests {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) { runPair(t, m, tt) })
		}
	}
}

// runPair starts a client and a server wired back to back, advances the
// clock until both have finished, and checks the outcome.
func runPair(t *testing.T, m method, tt pairCase) {
	const restart, maxRequests = 3 * time.Second, 4
	clk := clock.NewManual(time.Unix(0, 0))
	var r recorder
	var client Client
	var server Server
	up := &wire{drop: indexSet(tt.dropUp...), dropAll: tt.lossUp, deliver: func(p []byte) { server.Input(p) }}
	down := &wire{drop: indexSet(tt.dropDown...), dropAll: tt.lossDown, deliver: func(p []byte) { client.Input(p) }}

	cc := r.clientConfig(clk, tt.user, tt.password, up.send)
	cc.Restart, cc.MaxRequests = restart, maxRequests
	sc := r.serverConfig(clk, testSecrets, down.send)
	sc.Restart, sc.MaxRequests = restart, maxRequests
	client, server = m.newClient(cc), m.newServer(sc)

	// The receiver of the first packet starts first: the PAP server, the
	// CHAP client.
	if m.name == "PAP" {
		server.Start()
		client.Start()
	} else {
		client.Start()
		server.Start()
	}
	for i := 0; i < 2*maxRequests && (len(r.clientDone) == 0 || len(r.serverDone) == 0); i++ {
		clk.Advance(restart)
	}
	clk.Advance(time.Minute) // nothing more may happen

	if len(r.clientDone) != 1 {
		t.Fatalf("client Done called %d times: %v", len(r.clientDone), r.clientDone)
	}
	if len(r.serverDone) != 1 {
		t.Fatalf("server Done called %d times: %v", len(r.serverDone), r.serverDone)
	}
	checkErr(t, "client", r.clientDone[0], tt.wantClient)
	checkErr(t, "server", r.serverDone[0].err, tt.wantServer)
	if got := r.serverDone[0].peerID; got != tt.wantPeer {
		t.Errorf("server Done peer = %q, want %q", got, tt.wantPeer)
	}
	if tt.wantClient == ErrRejected && !strings.Contains(r.clientDone[0].Error(), map[string]string{"PAP": "Login incorrect", "CHAP": "Access denied"}[m.name]) {
		t.Errorf("client error %q lacks the peer's message", r.clientDone[0])
	}
	if got, want := len(up.sent), tt.wantUp[m.name]; got != want {
		t.Errorf("client sent %d packets, want %d", got, want)
	}
	if got, want := len(down.sent), tt.wantDown[m.name]; got != want {
		t.Errorf("server sent %d packets, want %d", got, want)
	}
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers still pending", n)
	}
	r.checkNoSecrets(t, []string{testPassword, wrongPass}, up.sent)
}

func checkErr(t *testing.T, who string, got, want error) {
	t.Helper()
	switch {
	case want == nil && got != nil:
		t.Errorf("%s Done(%v), want nil", who, got)
	case want != nil && !errors.Is(got, want):
		t.Errorf("%s Done(%v), want an error wrapping %v", who, got, want)
	}
}

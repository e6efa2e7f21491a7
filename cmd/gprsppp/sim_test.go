package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
)

const simTimeout = 20 * time.Second

// startSim runs "gprsppp sim" with args in-process until "ready" and
// returns what it printed, by first word, and a function that stops it
// and checks that it exited cleanly.
func startSim(t *testing.T, args ...string) (printed map[string]string, stop func()) {
	t.Helper()
	cmd := newSim(&globals{})
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	cmd.SetOut(pw)
	ctx, cancel := context.WithCancel(context.Background())
	cmd.SetContext(ctx)
	errc := make(chan error, 1)
	go func() {
		err := cmd.RunE(cmd, nil)
		pw.Close()
		errc <- err
	}()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("sim exited with %v", err)
			}
		case <-time.After(simTimeout):
			t.Error("sim did not exit")
		}
	}
	t.Cleanup(stop)
	printed = map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		printed[k] = v
		if k == "ready" {
			go io.Copy(io.Discard, pr)
			return printed, stop
		}
	}
	t.Fatalf("sim ended before it was ready (printed %q)", printed)
	return nil, nil
}

// simOpen opens the simulator's port as a dialer does. ListenPty made
// it raw.
func simOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// simCommand sends cmd and reads one byte at a time, so as not to take
// anything past the answer, until the modem's output ends with want.
func simCommand(t *testing.T, f *os.File, cmd, want string) {
	t.Helper()
	if _, err := f.WriteString(cmd + "\r"); err != nil {
		t.Fatal(err)
	}
	f.SetReadDeadline(time.Now().Add(simTimeout))
	defer f.SetReadDeadline(time.Time{})
	var got []byte
	b := make([]byte, 1)
	for !strings.HasSuffix(string(got), want) {
		if _, err := f.Read(b); err != nil {
			t.Fatalf("%s: read %q: %v", cmd, got, err)
		}
		got = append(got, b[0])
	}
}

func TestSimAnswersAT(t *testing.T) {
	link := filepath.Join(t.TempDir(), "modem")
	printed, stop := startSim(t, "--link", link, "--pin", "1234", "--baud", "115200")
	if printed["link"] != link || !strings.HasPrefix(printed["pty"], "/dev/") {
		t.Fatalf("sim printed %q", printed)
	}
	f := simOpen(t, link)
	simCommand(t, f, "AT+CPIN?", "AT+CPIN?\r\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n")
	simCommand(t, f, `AT+CPIN="1234"`, "\r\nOK\r\n")
	simCommand(t, f, "AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n")
	f.Close()
	stop()
	if _, err := os.Lstat(link); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("link left behind: %v", err)
	}
}

// A whole call through the pseudo-terminal: PAP with the password from
// the environment, the network's DNS, and a connection forwarded to the
// host's loopback.
func TestSimCall(t *testing.T) {
	t.Setenv(simPasswordEnv, "secret")
	host := hostService(t, greeting("hello from the host\n"))
	printed, _ := startSim(t, "--auth", "pap", "--user", "alice", "--forward-loopback")

	f := simOpen(t, printed["pty"])
	simCommand(t, f, "ATE0", "\r\nOK\r\n")
	simCommand(t, f, "ATD*99***1#", "\r\nCONNECT 115200\r\n")
	ctx, cancel := context.WithTimeout(context.Background(), simTimeout)
	defer cancel()
	client, err := gprsppp.Open(ctx, f, gprsppp.Config{Username: "alice", Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	addrs, err := client.LookupNetIP(ctx, simName)
	if err != nil || len(addrs) != 1 || addrs[0] != netip.MustParseAddr("10.64.64.1") {
		t.Errorf("lookup %s: %v, %v", simName, addrs, err)
	}
	_, port, _ := net.SplitHostPort(host)
	c, err := client.DialContext(ctx, "tcp", "10.64.64.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	c.Close()
	if string(got) != "hello from the host\n" || err != nil {
		t.Errorf("forwarded connection read %q, %v", got, err)
	}
}

func TestSimFlags(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		env     string // the password in the environment
		want    gprsppp.NetworkConfig
		wantErr string
	}{
		{
			name: "defaults",
			want: gprsppp.NetworkConfig{
				LocalAddr: netip.MustParseAddr("10.64.64.1"), PeerAddr: netip.MustParseAddr("10.64.64.2"),
				DNS: []netip.Addr{netip.MustParseAddr("10.64.64.1")},
			},
		},
		{
			name: "addresses",
			args: []string{"--local-ip", "192.168.7.1", "--remote-ip", "192.168.7.9", "--dns", "192.168.7.1,192.168.7.2"},
			want: gprsppp.NetworkConfig{
				LocalAddr: netip.MustParseAddr("192.168.7.1"), PeerAddr: netip.MustParseAddr("192.168.7.9"),
				DNS: []netip.Addr{netip.MustParseAddr("192.168.7.1"), netip.MustParseAddr("192.168.7.2")},
			},
		},
		{
			name: "chap with a password file",
			args: []string{"--auth", "chap", "--password-file", pwFile},
			env:  "ignored",
			want: gprsppp.NetworkConfig{
				LocalAddr: netip.MustParseAddr("10.64.64.1"), PeerAddr: netip.MustParseAddr("10.64.64.2"),
				DNS:  []netip.Addr{netip.MustParseAddr("10.64.64.1")},
				Auth: ppp.ProtocolCHAP, Secrets: map[string]string{"user": "from-file"},
			},
		},
		{
			name: "paced line",
			args: []string{"--baud", "115200"},
			want: gprsppp.NetworkConfig{
				LocalAddr: netip.MustParseAddr("10.64.64.1"), PeerAddr: netip.MustParseAddr("10.64.64.2"),
				DNS:      []netip.Addr{netip.MustParseAddr("10.64.64.1")},
				LineRate: 11520,
			},
		},
		{name: "auth without a password", args: []string{"--auth", "pap"}, wantErr: "needs a password"},
		{name: "unknown auth", args: []string{"--auth", "eap"}, wantErr: "--auth"},
		{name: "missing password file", args: []string{"--auth", "pap", "--password-file", pwFile + ".missing"}, wantErr: "--password-file"},
		{name: "bad address", args: []string{"--local-ip", "::1"}, wantErr: "--local-ip"},
		{name: "bad DNS", args: []string{"--dns", "dns.example"}, wantErr: "--dns"},
		{name: "bad dial result", args: []string{"--dial-result", "MAYBE"}, wantErr: "--dial-result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o simOptions
			if err := newSimCommand(&globals{}, &o).ParseFlags(tt.args); err != nil {
				t.Fatal(err)
			}
			cfg, err := o.modemConfig(tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one about %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cfg.Network, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

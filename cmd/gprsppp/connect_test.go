package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/sim"
)

// connectRun is a connect command running in-process.
type connectRun struct {
	ready  string // the ready line
	lines  chan string
	done   chan error
	cancel context.CancelFunc
}

// startConnect runs connect with f and waits for its ready line.
func startConnect(t *testing.T, f connectFlags) *connectRun {
	t.Helper()
	return startConnectWith(t, &globals{}, f)
}

// startConnectWith is startConnect with the global flags g.
func startConnectWith(t *testing.T, g *globals, f connectFlags) *connectRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	r := &connectRun{lines: make(chan string, 100), done: make(chan error, 1), cancel: cancel}
	go func() {
		r.done <- runConnect(ctx, pw, g, f)
		pw.Close()
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
		close(r.lines)
	}()
	t.Cleanup(func() { r.stop(t) })
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				err := <-r.done
				r.cancel()
				r.cancel = nil // ended: nothing for stop to wait for
				t.Fatalf("connect ended before ready: %v", err)
			}
			if strings.HasPrefix(l, "ready:") {
				r.ready = l
				return r
			}
		case <-deadline:
			t.Fatal("no ready line within 60 s")
		}
	}
}

// stop interrupts connect, as Ctrl-C does, and checks it ends cleanly.
func (r *connectRun) stop(t *testing.T) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("connect after interrupt: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("connect still running 30 s after interrupt")
	}
	for l := range r.lines {
		if l == "link closed" {
			return
		}
	}
	t.Error("no \"link closed\" line")
}

// freeAddr returns a loopback TCP address nobody listens on.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func curl(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := testenv.NeedTool(t, "curl", "apt-get install curl")
	out, err := exec.Command(bin, append([]string{"-sS", "--fail", "--max-time", "60"}, args...)...).Output()
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	return out
}

func patternDigest() string {
	sum := sha256.Sum256(sim.Pattern(4 << 20))
	return hex.EncodeToString(sum[:])
}

// The README's first commands: connect on the simulator, then curl
// through SOCKS5 with names resolved through the link.
func TestConnectSimProxies(t *testing.T) {
	socks, web := freeAddr(t), freeAddr(t)
	r := startConnect(t, connectFlags{simulate: true, socks5: socks, httpProxy: web, echoInterval: 30 * time.Second, maxfail: 1})
	if !strings.Contains(r.ready, "address 10.64.64.2") || !strings.Contains(r.ready, "socks5 "+socks) {
		t.Errorf("ready line %q", r.ready)
	}
	page := curl(t, "--socks5-hostname", socks, "http://"+simName+"/")
	if !strings.Contains(string(page), "hello from the gprsppp simulated network") {
		t.Errorf("page through SOCKS5: %q", page)
	}
	body := curl(t, "-x", "http://"+web, "http://"+simName+"/pattern.bin")
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != patternDigest() {
		t.Errorf("pattern.bin through the HTTP proxy: sha256 %s, %d octets", got, len(body))
	}
	// CONNECT through the HTTP proxy too.
	page = curl(t, "-p", "-x", "http://"+web, "http://"+simName+"/")
	if !strings.Contains(string(page), "hello") {
		t.Errorf("page through CONNECT: %q", page)
	}
}

// A -L forward used by a plain TCP client: the simulator's echo service.
func TestConnectLocalForward(t *testing.T) {
	local := freeAddr(t)
	startConnect(t, connectFlags{simulate: true, locals: []string{local + ":10.64.64.1:7"}, maxfail: 1})
	c, err := net.DialTimeout("tcp", local, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	msg := strings.Repeat("through the link ", 1000)
	go fmt.Fprint(c, msg)
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != msg {
		t.Fatalf("echo through -L: %v", err)
	}
}

// UDP through SOCKS5 UDP ASSOCIATE (RFC 1928 §7) to the simulator's UDP
// echo service, with a minimal client.
func TestConnectSOCKS5UDP(t *testing.T) {
	socks := freeAddr(t)
	startConnect(t, connectFlags{simulate: true, socks5: socks, maxfail: 1})
	ctrl, err := net.DialTimeout("tcp", socks, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer ctrl.Close()
	ctrl.SetDeadline(time.Now().Add(30 * time.Second))
	reply := make([]byte, 10)
	ctrl.Write([]byte{5, 1, 0}) // version 5, one method: no authentication
	if _, err := io.ReadFull(ctrl, reply[:2]); err != nil || reply[1] != 0 {
		t.Fatalf("method selection: %x %v", reply[:2], err)
	}
	ctrl.Write([]byte{5, 3, 0, 1, 0, 0, 0, 0, 0, 0}) // UDP ASSOCIATE from 0.0.0.0:0
	if _, err := io.ReadFull(ctrl, reply); err != nil || reply[1] != 0 || reply[3] != 1 {
		t.Fatalf("associate: %x %v", reply, err)
	}
	relay := &net.UDPAddr{IP: net.IP(reply[4:8]), Port: int(reply[8])<<8 | int(reply[9])}
	uc, err := net.DialUDP("udp", nil, relay)
	if err != nil {
		t.Fatal(err)
	}
	defer uc.Close()
	uc.SetDeadline(time.Now().Add(30 * time.Second))
	header := []byte{0, 0, 0, 1, 10, 64, 64, 1, 0, 7} // to 10.64.64.1:7
	for i := range 3 {
		msg := fmt.Appendf(nil, "datagram %d through SOCKS5", i)
		if _, err := uc.Write(append(append([]byte(nil), header...), msg...)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 2048)
		n, err := uc.Read(buf)
		if err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		if n < len(header) || string(buf[len(header):n]) != string(msg) || string(buf[4:10]) != string(header[4:]) {
			t.Fatalf("reply %q", buf[:n])
		}
	}
}

// A capture written by connect is decoded by tshark, an independent
// reader: LCP, IPCP and IP are all there.
func TestConnectPcap(t *testing.T) {
	tshark := testenv.NeedTool(t, "tshark", "apt-get install tshark")
	path := t.TempDir() + "/link.pcap"
	socks := freeAddr(t)
	r := startConnect(t, connectFlags{simulate: true, socks5: socks, pcapFile: path, maxfail: 1})
	curl(t, "--socks5-hostname", socks, "http://"+simName+"/")
	r.stop(t)
	out, err := exec.Command(tshark, "-r", path, "-T", "fields", "-e", "frame.protocols").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	for _, want := range []string{"ppp:lcp", "ppp:ipcp", "ppp:ip:tcp", "ppp:ip:udp:dns"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tshark shows no %s:\n%s", want, out)
		}
	}
}

// -R: an inbound connection from the network side to the link's address
// reaches a service on this host, and one from outside --allow is refused.
func TestConnectRemoteForward(t *testing.T) {
	host := hostService(t, greeting("host service\n"))
	for _, tc := range []struct {
		allow string
		want  string
	}{{"10.64.64.1/32", "host service\n"}, {"192.0.2.0/24", ""}} {
		t.Run("allow "+tc.allow, func(t *testing.T) {
			network := make(chan *gprsppp.Link, 1)
			cfg := simModemConfig(slog.New(slog.DiscardHandler))
			cfg.Network.Ready = func(l *gprsppp.Link) error { network <- l; return nil }
			tty := servePtySim(t, cfg)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			r := startConnect(t, connectFlags{device: tty, remotes: []string{"2222:" + host},
				allow: []string{tc.allow}, maxfail: 1})
			gw := <-network
			c, err := gw.DialContext(ctx, "tcp", "10.64.64.2:2222")
			if err != nil {
				t.Fatal(err)
			}
			c.SetDeadline(time.Now().Add(20 * time.Second))
			got, _ := io.ReadAll(c)
			c.Close()
			if string(got) != tc.want {
				t.Errorf("read %q, want %q", got, tc.want)
			}
			r.stop(t)
		})
	}
}

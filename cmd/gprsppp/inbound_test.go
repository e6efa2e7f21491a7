package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
)

// inboundTimeout bounds each wait of the --inbound tests.
const inboundTimeout = 30 * time.Second

// readInbound connects to a --sim-inbound or --inbound host port and
// returns what arrives before the connection closes.
func readInbound(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(inboundTimeout))
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read from %s: %v", addr, err)
	}
	return string(got)
}

// connect --sim --sim-inbound: a connection the simulated network opens
// toward the link reaches the -R forward, from the network side's
// address or another source, and is refused when its source is outside
// --allow.
func TestConnectSimInbound(t *testing.T) {
	host := hostService(t, greeting("host service\n"))
	for _, tc := range []struct {
		name, source, allow, want string
	}{
		{"from the network side", "", "10.64.64.1/32", "host service\n"},
		{"from another host", "@192.0.2.7", "192.0.2.7/32", "host service\n"},
		{"source outside --allow", "@192.0.2.7", "10.64.64.1/32", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inbound := freeAddr(t)
			r := startConnect(t, connectFlags{simulate: true, maxfail: 1,
				simInbound: []string{inbound + ":2222" + tc.source},
				remotes:    []string{"2222:" + host}, allow: []string{tc.allow}})
			if got := readInbound(t, inbound); got != tc.want {
				t.Errorf("read %q, want %q", got, tc.want)
			}
			r.stop(t)
		})
	}
}

// shimHost is a host driving the shim's AT commands over TCP.
type shimHost struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

// expect reads lines until one is want.
func (h *shimHost) expect(want string) {
	h.t.Helper()
	for {
		line, err := h.r.ReadString('\n')
		if err != nil {
			h.t.Fatalf("waiting for %q: %v", want, err)
		}
		if strings.TrimSpace(line) == want {
			return
		}
	}
}

// at sends cmd and expects the lines wants in order.
func (h *shimHost) at(cmd string, wants ...string) {
	h.t.Helper()
	io.WriteString(h.c, cmd+"\r")
	for _, w := range wants {
		h.expect(w)
	}
}

// shim --sim --sim-inbound: a host's AT+QISERVER accepts a connection
// that the simulated network opens from a port on this host, and data
// flows both ways.
func TestShimSimInbound(t *testing.T) {
	addr, inbound := freeAddr(t), freeAddr(t)
	startShim(t, shimFlags{modem: connectFlags{simInbound: []string{inbound + ":3000"}}, listen: []string{"tcp://" + addr}}, "ready")

	c, err := net.DialTimeout("tcp", addr, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * inboundTimeout))
	h := &shimHost{t: t, c: c, r: bufio.NewReader(c)}
	h.at("ATE0", "OK")
	h.at("AT+QIMUX=1", "OK")
	h.at(`AT+QILPORT="TCP",3000`, "OK")
	h.at("AT+QISERVER=0,3", "OK", "SERVER OK")

	remote, err := net.DialTimeout("tcp", inbound, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	remote.SetDeadline(time.Now().Add(inboundTimeout))
	h.expect("0, REMOTE IP: 10.64.64.1")
	msg := "from this host through the network"
	if _, err := io.WriteString(remote, msg); err != nil {
		t.Fatal(err)
	}
	h.expect(fmt.Sprintf("+RECEIVE: 0, %d", len(msg)))
	got := make([]byte, len(msg)) // right after the notice's line
	if _, err := io.ReadFull(h.r, got); err != nil || string(got) != msg {
		t.Fatalf("the host read %q, %v", got, err)
	}
	h.at("AT+QISRVC=2", "OK")
	io.WriteString(c, "AT+QISEND=0,5\r")
	if p, err := h.r.ReadString('>'); err != nil {
		t.Fatalf("prompt: %q %v", p, err)
	}
	io.WriteString(c, "hello")
	h.expect("SEND OK")
	back := make([]byte, 5)
	if _, err := io.ReadFull(remote, back); err != nil || string(back) != "hello" {
		t.Fatalf("this host read %q, %v", back, err)
	}
	remote.Close()
	h.expect("0, CLOSED")
	h.at("AT+QIDEACT", "DEACT OK")
}

// shim --sim --sim-inbound with a BG96 host: its TCP LISTENER takes a
// connection that the simulated network opens from a port on this host,
// as a TCP INCOMING socket with a connectID of its own.
func TestShimSimInboundBG96(t *testing.T) {
	addr, inbound := freeAddr(t), freeAddr(t)
	startShim(t, shimFlags{modem: connectFlags{simInbound: []string{inbound + ":3000"}}, listen: []string{"tcp://" + addr + ",dialect=bg96"}}, "ready")

	c, err := net.DialTimeout("tcp", addr, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * inboundTimeout))
	h := &shimHost{t: t, c: c, r: bufio.NewReader(c)}
	h.expect("APP RDY")
	h.at("ATE0", "OK")
	h.at("AT+QIACT=1", "OK")
	h.at(`AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,3000,0`, "OK", "+QIOPEN: 0,0")

	remote, err := net.DialTimeout("tcp", inbound, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	remote.SetDeadline(time.Now().Add(inboundTimeout))
	line, err := h.r.ReadString('\n')
	for err == nil && strings.TrimSpace(line) == "" {
		line, err = h.r.ReadString('\n')
	}
	if !strings.HasPrefix(line, `+QIURC: "incoming",1,0,"10.64.64.1",`) {
		t.Fatalf("got %q, %v; want the incoming connection on connectID 1", line, err)
	}
	msg := "from this host through the network"
	if _, err := io.WriteString(remote, msg); err != nil {
		t.Fatal(err)
	}
	h.expect(`+QIURC: "recv",1`)
	h.at("AT+QIRD=1,1500", fmt.Sprintf("+QIRD: %d", len(msg)))
	got := make([]byte, len(msg)) // right after the header's line
	if _, err := io.ReadFull(h.r, got); err != nil || string(got) != msg {
		t.Fatalf("the host read %q, %v", got, err)
	}
	h.expect("OK")
	io.WriteString(c, "AT+QISEND=1,5\r")
	if p, err := h.r.ReadString('>'); err != nil {
		t.Fatalf("prompt: %q %v", p, err)
	}
	io.WriteString(c, "hello")
	h.expect("SEND OK")
	back := make([]byte, 5)
	if _, err := io.ReadFull(remote, back); err != nil || string(back) != "hello" {
		t.Fatalf("this host read %q, %v", back, err)
	}
	remote.Close()
	h.expect(`+QIURC: "closed",1`)
	h.at("AT+QICLOSE=1", "OK")
	h.at("AT+QICLOSE=0", "OK")
}

// "gprsppp sim --inbound" as a process: a host connection between calls
// is closed at once; during a call it reaches the client's listener from
// the network side's address, with half-closes both ways.
func TestSimInboundProcess(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyGPRS")
	inbound := freeAddr(t)
	startProcess(t, "ready", "sim", "--link", link, "--inbound", inbound+":2323")
	if got := readInbound(t, inbound); got != "" {
		t.Fatalf("read %q between calls", got)
	}

	f := simOpen(t, link)
	simCommand(t, f, "ATE0", "\r\nOK\r\n")
	simCommand(t, f, "ATD*99***1#", "\r\nCONNECT 115200\r\n")
	ctx, cancel := context.WithTimeout(context.Background(), inboundTimeout)
	defer cancel()
	client, err := gprsppp.Open(ctx, f, gprsppp.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ln, err := client.Listen("tcp", ":2323")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	h, err := net.DialTimeout("tcp", inbound, inboundTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.SetDeadline(time.Now().Add(inboundTimeout))
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	var c net.Conn
	select {
	case c = <-accepted:
	case <-time.After(inboundTimeout):
		t.Fatal("the client's listener got no connection")
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(inboundTimeout))
	if from := netip.MustParseAddrPort(c.RemoteAddr().String()).Addr(); from != netip.MustParseAddr("10.64.64.1") {
		t.Errorf("the client sees the connection from %v", from)
	}
	io.WriteString(h, "ping")
	h.(*net.TCPConn).CloseWrite()
	if got, err := io.ReadAll(c); err != nil || string(got) != "ping" {
		t.Fatalf("the client read %q, %v", got, err)
	}
	io.WriteString(c, "pong")
	c.Close()
	if got, err := io.ReadAll(h); err != nil || string(got) != "pong" {
		t.Fatalf("this host read %q, %v", got, err)
	}
}

// Bad --inbound and --sim-inbound specs are flag errors; a host port in
// use is a listener that cannot open.
func TestInboundBadFlags(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"without --sim", []string{"connect", "--device", "/dev/null", "--sim-inbound", "2323:23"}, exitUsage, "--sim-inbound needs --sim"},
		{"shim without --sim", []string{"shim", "--device", "/dev/null", "--listen", "tcp://127.0.0.1:0", "--sim-inbound", "2323:23"}, exitUsage, "--sim-inbound needs --sim"},
		{"no link port", []string{"connect", "--sim", "--sim-inbound", "2323"}, exitUsage, "want [bind:]port:linkport[@source]"},
		{"source is the client", []string{"connect", "--sim", "--sim-inbound", "2323:23@10.64.64.2"}, exitUsage, "the source is the client's own address"},
		{"host port in use", []string{"connect", "--sim", "--sim-inbound", busy.Addr().String() + ":23"}, exitListen, "address already in use"},
		{"loopback source", []string{"sim", "--inbound", "2323:23@127.0.0.1"}, exitUsage, "cannot be a host's address"},
		{"source is --remote-ip", []string{"sim", "--remote-ip", "192.0.2.9", "--inbound", "2323:23@192.0.2.9"}, exitUsage, "the source is the client's own address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr := runBinary(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d with\n%s\nwant exit %d saying %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

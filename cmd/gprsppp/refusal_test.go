package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/proxy"
)

// refusalTime bounds a refusal that this host answers itself, without
// sending anything over the link (where it would take TCP's whole
// connection timeout, over two minutes, to fail).
const refusalTime = time.Second

// Proxy clients cannot loop back into -R forwards through the link's own
// address, whatever --allow says, and destinations that never leave a
// host are refused by every front end at once, saying why.
func TestConnectRefusesLoopsAndLocalDestinations(t *testing.T) {
	var reached atomic.Int32
	host := hostService(t, func(c net.Conn) {
		reached.Add(1)
		io.WriteString(c, "host service\n")
	})
	cfg := simModemConfig(slog.New(slog.DiscardHandler))
	cfg.Services.Names["loop.example"] = []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	tty := servePtySim(t, cfg)

	socks, httpProxy, local := freeAddr(t), freeAddr(t), freeAddr(t)
	_, localPort, _ := net.SplitHostPort(local)
	finish := captureStderr(t)
	r := startConnectWith(t, &globals{verbose: true}, connectFlags{device: tty, socks5: socks, httpProxy: httpProxy,
		locals:  []string{localPort + ":loop.example:22"},
		remotes: []string{"2222:" + host}, allow: []string{"10.0.0.0/8"}, maxfail: 1})
	addr := strings.Fields(strings.TrimPrefix(r.ready, "ready: address "))[0]
	addr = strings.TrimSuffix(addr, ",")
	if _, err := netip.ParseAddr(addr); err != nil {
		t.Fatalf("no address in %q", r.ready)
	}
	loop := net.JoinHostPort(addr, "2222")

	socksDial := func(target string) error {
		d, err := proxy.SOCKS5("tcp", socks, nil, proxy.Direct)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), refusalTime)
		defer cancel()
		c, err := d.(proxy.ContextDialer).DialContext(ctx, "tcp", target)
		if err == nil {
			c.Close()
		}
		return err
	}
	httpConnect := func(target string) (int, string) {
		c, err := net.Dial("tcp", httpProxy)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(refusalTime))
		io.WriteString(c, "CONNECT "+target+" HTTP/1.1\r\nHost: "+target+"\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: http.MethodConnect})
		if err != nil {
			t.Fatalf("HTTP CONNECT %s: %v", target, err)
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	for _, target := range []string{loop, "127.0.0.1:22", "loop.example:22"} {
		if err := socksDial(target); err == nil || !strings.Contains(err.Error(), "not allowed by ruleset") {
			t.Errorf("SOCKS5 CONNECT %s: %v, want reply 2 (not allowed by ruleset) within %v", target, err, refusalTime)
		}
	}
	for target, why := range map[string]string{
		loop:              "refused as a loop",
		"127.0.0.1:22":    "127.0.0.1 is a loopback address",
		"loop.example:22": "127.0.0.1 is a loopback address",
	} {
		if status, body := httpConnect(target); status != http.StatusBadGateway || !strings.Contains(body, why) {
			t.Errorf("HTTP CONNECT %s: %d %q, want 502 saying %q", target, status, body, why)
		}
	}
	// -L to a name that resolves to loopback: the client's connection
	// is closed at once.
	c, err := net.Dial("tcp", local)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(refusalTime))
	if n, err := c.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Errorf("-L to loopback: read %d, %v; want the connection closed at once", n, err)
	}
	c.Close()
	r.stop(t)
	log := string(finish())
	if n := reached.Load(); n != 0 {
		t.Errorf("the -R target was reached %d times through the proxies", n)
	}
	for _, want := range []string{"socks5: connect refused", "http proxy: dial refused", "refused as a loop",
		"forward: dial over the link failed", "127.0.0.1 is a loopback address"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

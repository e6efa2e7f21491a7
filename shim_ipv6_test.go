package gprsppp_test

import (
	"bufio"
	"context"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

var (
	shimNet6    = netip.MustParseAddr("2001:db8:64::1")
	shimClient6 = netip.MustParseAddr("2001:db8:64::2")
)

// ipv6OnlyLink brings up an IPv6-only link (PDP type IPV6) to a network
// serving the simulator's services, with "v6only.test" an AAAA-only
// name, and waits for its SLAAC address.
func ipv6OnlyLink(t *testing.T) *gprsppp.Link {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, b := ppptest.Pipe()
	var srv *sim.Server
	nch := make(chan *gprsppp.Link, 1)
	go func() {
		n, _ := gprsppp.OpenNetwork(ctx, b, gprsppp.NetworkConfig{
			IPv6: &gprsppp.NetworkIPv6{DNS: []netip.Addr{shimNet6}},
			Ready: func(l *gprsppp.Link) (err error) {
				srv, err = sim.Serve(l, sim.Services{Names: map[string][]netip.Addr{"v6only.test": {shimNet6}}})
				return err
			},
		})
		nch <- n
	}()
	client, err := gprsppp.Open(ctx, a, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv6})
	network := <-nch
	if err != nil || network == nil {
		t.Fatalf("link: %v", err)
	}
	t.Cleanup(func() {
		client.Close()
		network.Close()
		srv.Close()
	})
	for {
		changed := client.Renumbered()
		if slices.Contains(client.IPv6Addrs(), shimClient6) {
			return client
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("no SLAAC address: %v", client.IPv6Addrs())
		}
	}
}

// dialectHost is a host on a shim of some dialect.
type dialectHost struct {
	t     *testing.T
	w     io.Writer
	lines chan string
}

func startDialectHost(t *testing.T, d shim.Dialect, l *gprsppp.Link) *dialectHost {
	t.Helper()
	sh := shim.New(shim.Config{Dialect: d, Backend: &gprsppp.ShimBackend{
		Link: func(context.Context) (*gprsppp.Link, error) { return l, nil }}})
	dce, dte := ppptest.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		sh.Serve(ctx, dce)
	}()
	h := &dialectHost{t: t, w: dte, lines: make(chan string, 100)}
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
	return h
}

// until sends cmd and returns the lines up to and including the first
// that starts with one of ends, which must come within 20 s.
func (h *dialectHost) until(cmd string, ends ...string) []string {
	h.t.Helper()
	io.WriteString(h.w, cmd+"\r")
	var got []string
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-h.lines:
			if !ok {
				h.t.Fatalf("%s: the line closed after %q", cmd, got)
			}
			got = append(got, l)
			for _, e := range ends {
				if strings.HasPrefix(l, e) {
					return got
				}
			}
		case <-deadline:
			h.t.Fatalf("%s: no %q within 20 s (got %q)", cmd, ends, got)
		}
	}
}

// On an IPv6-only link each dialect shows the address it can: the BG96
// and the Telit the IPv6 global address, the IPv4-only M95 and SIM800
// refuse their address commands, the MultiTech shows 0.0.0.0. Sockets
// open to IPv6 literals and to names with AAAA records only.
func TestShimIPv6OnlyLink(t *testing.T) {
	l := ipv6OnlyLink(t)
	final := []string{"OK", "ERROR", "+CME ERROR"}
	for _, tc := range []struct {
		dialect shim.Dialect
		steps   [][2]string // command, its lines joined by "|"
	}{{
		dialect: shim.DialectBG96,
		steps: [][2]string{
			{"ATE0", ""}, {`AT+QICSGP=1,1,"internet"`, "OK"}, {"AT+QIACT=1", "OK"},
			{"AT+QIACT?", `+QIACT: 1,1,2,"2001:db8:64::2"|OK`},
			{"AT+CGPADDR=1", "+CGPADDR: 1,2001:db8:64::2|OK"},
			{`AT+QIOPEN=1,0,"TCP","2001:db8:64::1",7,0,1`, "OK|+QIOPEN: 0,0"},
			{`AT+QIOPEN=1,1,"TCP","v6only.test",7,0,1`, "OK|+QIOPEN: 1,0"},
		},
	}, {
		dialect: shim.DialectTelit,
		steps: [][2]string{
			{"ATE0", ""}, {`AT+CGDCONT=1,"IP","internet"`, "OK"},
			{"AT#SGACT=1,1", "#SGACT: 2001:db8:64::2|OK"},
			{`AT#SD=1,0,7,"v6only.test",0,0,1`, "OK"},
		},
	}, {
		dialect: shim.DialectM95,
		steps: [][2]string{
			{"ATE0", ""}, {"AT+QIDNSIP=1", "OK"}, {"AT+QIREGAPP", "OK"}, {"AT+QIACT", "OK"},
			{"AT+QILOCIP", "ERROR"},
			{`AT+QIOPEN="TCP","v6only.test",7`, "OK|CONNECT OK"},
		},
	}, {
		dialect: shim.DialectSIM800,
		steps: [][2]string{
			{"ATE0", ""}, {`AT+CSTT="internet"`, "OK"}, {"AT+CIICR", "OK"},
			{"AT+CIFSR", "ERROR"},
		},
	}} {
		t.Run(tc.dialect.String(), func(t *testing.T) {
			h := startDialectHost(t, tc.dialect, l)
			for _, st := range tc.steps {
				ends := final
				if i := strings.LastIndex(st[1], "|"); i >= 0 {
					ends = []string{st[1][i+1:]}
				}
				got := h.until(st[0], ends...)
				if st[1] == "" {
					continue // the banner and the echo before it
				}
				if g := strings.Join(got, "|"); g != st[1] {
					t.Errorf("%s: %q, want %q", st[0], g, st[1])
				}
			}
		})
	}
}

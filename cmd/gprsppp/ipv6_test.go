package main

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/sim"
)

// connect --sim with a dual-stack PDP context: the ready line (or an
// ipv6: line after it) shows the SLAAC address and the advertised DNS
// server, the log at -v has IPv6CP, and curl reaches the simulator's web
// server over IPv6 through the SOCKS5 proxy, by literal and by name.
func TestConnectSimIPv6(t *testing.T) {
	curl := testenv.NeedTool(t, "curl", "apt-get install curl")
	socks := freeAddr(t)
	c := startChild(t, "-v", "connect", "--sim", "--apn", "internet", "--pdp-type", "ipv4v6", "--socks5", socks)
	t.Cleanup(func() { c.stop(t) })
	ready := c.await(t, "ready:", 60*time.Second)
	c.waitLog(t, "IPv6 up", "local=fe80::2")
	// The router advertisement comes before or after the ready line.
	if !strings.Contains(ready, "IPv6 [fe80::2 2001:db8:64::2], IPv6 DNS [2001:db8:64::1]") {
		c.await(t, "ipv6: addresses [fe80::2 2001:db8:64::2], DNS [2001:db8:64::1]", 30*time.Second)
	}
	for _, url := range []string{"http://[2001:db8:64::1]/", "http://" + simName + "/"} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, curl, "-sS", "--max-time", "15", "-w", "%{remote_ip}", "-x", "socks5h://"+socks, url)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil || !strings.Contains(string(out), "hello from the gprsppp simulated network") {
			t.Errorf("curl %s: %v\n%s", url, err, out)
		}
	}
	c.waitLog(t, "IPv6 address from router advertisement", "2001:db8:64::2")
}

// gprsppp sim --ipv6 as a modem of its own, dialled by connect with an
// IPV6 context: the link has no IPv4 address, forms 2001:db8:64::2 from
// the simulator's router advertisement with its DNS server, and curl
// through the SOCKS5 proxy fetches /pattern.bin byte-exact from the
// simulator's web server over IPv6, by literal and by a name whose AAAA
// record the simulator's DNS serves over IPv6.
func TestSimIPv6OnlyContext(t *testing.T) {
	curl := testenv.NeedTool(t, "curl", "apt-get install curl")
	modem := filepath.Join(t.TempDir(), "modem")
	startSim(t, "--link", modem, "--ipv6")
	socks := freeAddr(t)
	c := startChild(t, "connect", "--device", modem, "--apn", "internet", "--pdp-type", "ipv6", "--socks5", socks, "--maxfail", "1")
	t.Cleanup(func() { c.stop(t) })
	ready := c.await(t, "ready:", simTimeout)
	if !strings.HasPrefix(ready, "ready: address none, DNS [], IPv6 [fe80::2") {
		t.Errorf("ready line %q: want no IPv4 address and the link-local fe80::2", ready)
	}
	if !strings.Contains(ready, "IPv6 [fe80::2 2001:db8:64::2], IPv6 DNS [2001:db8:64::1]") {
		c.await(t, "ipv6: addresses [fe80::2 2001:db8:64::2], DNS [2001:db8:64::1]", simTimeout)
	}
	want := sim.Pattern(4 << 20)
	for _, url := range []string{"http://[2001:db8:64::1]/pattern.bin", "http://" + simName + "/pattern.bin"} {
		file := filepath.Join(t.TempDir(), "pattern")
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, curl, "-sS", "--fail", "--max-time", "60", "-o", file, "-x", "socks5h://"+socks, url)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("curl %s: %v\n%s", url, err, out)
			continue
		}
		if got, err := os.ReadFile(file); err != nil || !bytes.Equal(got, want) {
			t.Errorf("curl %s: /pattern.bin differs (%d octets, want %d), %v", url, len(got), len(want), err)
		}
	}
}

func TestConnectBadPDPType(t *testing.T) {
	code, stderr := runBinary(t, "connect", "--sim", "--pdp-type", "PPP", "--socks5", freeAddr(t))
	if code == 0 || !strings.Contains(stderr, "--pdp-type") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// The scripts' IPv6 variables: pppd's LLLOCAL and LLREMOTE, and the
// global addresses and DNS servers, space-separated; empty without IPv6.
func TestHookEnvIPv6(t *testing.T) {
	o := &ops{name: "l", device: "sim"}
	st := linkstate.Status{
		IPv6:     []netip.Addr{netip.MustParseAddr("fe80::2"), netip.MustParseAddr("2001:db8:64::2"), netip.MustParseAddr("2001:db8:65::2")},
		IPv6Peer: netip.MustParseAddr("fe80::1"),
		IPv6DNS:  []netip.Addr{netip.MustParseAddr("2001:db8:64::1"), netip.MustParseAddr("2001:db8:64::53")},
	}
	for _, tc := range []struct {
		name string
		ev   linkstate.Event
		want map[string]string
	}{{
		name: "change",
		ev:   linkstate.Event{Kind: linkstate.EventChanged, Status: st},
		want: map[string]string{"LLLOCAL": "fe80::2", "LLREMOTE": "fe80::1", "GPRSPPP_EVENT": "change", "IPLOCAL": "",
			"GPRSPPP_IPV6_GLOBAL": "2001:db8:64::2 2001:db8:65::2", "GPRSPPP_IPV6_DNS": "2001:db8:64::1 2001:db8:64::53"},
	}, {
		name: "IPv4 only",
		ev:   linkstate.Event{Kind: linkstate.EventUp, Status: linkstate.Status{Address: netip.MustParseAddr("10.64.64.2")}},
		want: map[string]string{"LLLOCAL": "", "LLREMOTE": "", "GPRSPPP_EVENT": "up", "IPLOCAL": "10.64.64.2",
			"GPRSPPP_IPV6_GLOBAL": "", "GPRSPPP_IPV6_DNS": ""},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]string{}
			for _, kv := range o.scriptEnv(tc.ev) {
				k, v, _ := strings.Cut(kv, "=")
				if _, ok := tc.want[k]; ok {
					got[k] = v
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// gprsppp status shows the IPv6 addresses, the peer's and the DNS
// servers; the list shows the global address beside the IPv4 one.
func TestStatusIPv6(t *testing.T) {
	st := linkstate.Status{Name: "a", Device: "sim", State: linkstate.Up, Address: netip.MustParseAddr("10.64.64.2"),
		IPv6:     []netip.Addr{netip.MustParseAddr("fe80::2"), netip.MustParseAddr("2001:db8:64::2")},
		IPv6Peer: netip.MustParseAddr("fe80::1"), IPv6DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1")}}
	var out bytes.Buffer
	printStatus(&out, st, time.Now())
	for _, want := range []string{
		"ipv6:         [fe80::2 2001:db8:64::2] (peer fe80::1)\n",
		"ipv6 dns:     [2001:db8:64::1]\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
	if got := listAddrs(st); got != "10.64.64.2,2001:db8:64::2" {
		t.Errorf("list cell %q", got)
	}
	st.Address = netip.Addr{}
	if got := listAddrs(st); got != "2001:db8:64::2" {
		t.Errorf("IPv6-only list cell %q", got)
	}
	if got := addrSummary(st); got != "address none, DNS []; IPv6 [fe80::2 2001:db8:64::2], IPv6 DNS [2001:db8:64::1]" {
		t.Errorf("summary %q", got)
	}
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/sim"
)

// netnsSeq numbers the network namespaces a test run makes.
var netnsSeq atomic.Int32

// netns makes a network namespace with its loopback up, removed at
// cleanup, and returns its name and the path of ip(8).
func netns(t *testing.T) (name, ip string) {
	t.Helper()
	testenv.NeedRoot(t, "it makes a network namespace and a TUN interface in it")
	ip = testenv.NeedTool(t, "ip", "apt-get install iproute2")
	name = fmt.Sprintf("gprsppp-test-%d-%d", os.Getpid(), netnsSeq.Add(1))
	if out, err := exec.Command(ip, "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(ip, "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del: %v\n%s", err, out)
		}
	})
	inNetns(t, name, ip, "ip", "link", "set", "lo", "up")
	return name, ip
}

// inNetns runs a program in the namespace ns and returns its output,
// failing t if it fails.
func inNetns(t *testing.T, ns, ip string, args ...string) string {
	t.Helper()
	out, err := exec.Command(ip, append([]string{"netns", "exec", ns}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s in %s: %v\n%s", strings.Join(args, " "), ns, err, out)
	}
	return string(out)
}

// connectIn starts "gprsppp connect args..." in the namespace ns.
func connectIn(t *testing.T, ns, ip string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(ip, append([]string{"netns", "exec", ns, os.Args[0], "connect"}, args...)...)
	cmd.Env = append(os.Environ(), "GPRSPPP_TEST_MAIN=1", "GORACE=atexit_sleep_ms=0")
	return startCommand(t, cmd)
}

// connect --sim --tun in a namespace of its own: the interface comes up
// with the link's address, an unmodified curl there fetches /pattern.bin
// through it while another fetch goes through the SOCKS5 proxy (the
// link's own stack) at the same time, ping reaches the network side, and
// exit removes the interface.
func TestConnectTUN(t *testing.T) {
	ns, ip := netns(t)
	curlBin := testenv.NeedTool(t, "curl", "apt-get install curl")
	pingBin := testenv.NeedTool(t, "ping", "apt-get install iputils-ping")
	c := connectIn(t, ns, ip, "--sim", "--tun", "gprs0", "--socks5", "127.0.0.1:1080", "--maxfail", "1")
	t.Cleanup(func() { c.stop(t) })
	ready := c.await(t, "ready:", simTimeout)
	if want := "ready: address 10.64.64.2, DNS [10.64.64.1]; socks5 127.0.0.1:1080, tun gprs0"; ready != want {
		t.Errorf("ready line %q, want %q", ready, want)
	}
	link := inNetns(t, ns, ip, "ip", "-o", "link", "show", "dev", "gprs0")
	for _, want := range []string{",UP,LOWER_UP>", "mtu 1500"} {
		if !strings.Contains(link, want) {
			t.Errorf("ip link: %q lacks %q", link, want)
		}
	}
	if addr := inNetns(t, ns, ip, "ip", "-o", "-4", "addr", "show", "dev", "gprs0"); !strings.Contains(addr, "inet 10.64.64.2 peer 10.64.64.1/32") {
		t.Errorf("ip addr: %q, want 10.64.64.2 peer 10.64.64.1/32", addr)
	}

	want := sim.Pattern(4 << 20)
	dir := t.TempDir()
	fetches := map[string][]string{
		"directly":      {"--noproxy", "*"},
		"through SOCKS": {"--socks5", "127.0.0.1:1080"},
	}
	var wg sync.WaitGroup
	for how, opts := range fetches {
		file := filepath.Join(dir, strings.ReplaceAll(how, " ", "-"))
		wg.Go(func() {
			args := append([]string{"netns", "exec", ns, curlBin, "-sS", "--fail", "--max-time", "60", "-o", file}, opts...)
			if out, err := exec.Command(ip, append(args, "http://10.64.64.1/pattern.bin")...).CombinedOutput(); err != nil {
				t.Errorf("curl %s: %v\n%s", how, err, out)
				return
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Error(err)
			} else if !bytes.Equal(got, want) {
				t.Errorf("curl %s: /pattern.bin differs (%d octets, want %d)", how, len(got), len(want))
			}
		})
	}
	wg.Wait()

	ping := inNetns(t, ns, ip, pingBin, "-c", "3", "-i", "0.2", "-W", "5", "10.64.64.1")
	if !strings.Contains(ping, "3 received") {
		t.Errorf("ping:\n%s", ping)
	}
	t.Logf("ping:\n%s", ping)

	c.stop(t)
	if out, err := exec.Command(ip, "-n", ns, "link", "show", "dev", "gprs0").CombinedOutput(); err == nil {
		t.Errorf("gprs0 still there after exit:\n%s", out)
	}
	if !containsAll(c.log.text(), "tun: up", "tun: removed") {
		t.Errorf("log lacks the interface's changes:\n%s", c.log.text())
	}
}

// Carrier loss (gprsppp sim --drop-after) takes the interface down and its
// address off; the redial brings it up again with the address, as the
// kernel's own notifications (ip monitor) show.
func TestConnectTUNRedial(t *testing.T) {
	ns, ip := netns(t)
	modem := filepath.Join(t.TempDir(), "modem")
	startSim(t, "--link", modem, "--drop-after", "3s")
	mon := exec.Command(ip, "-n", ns, "-o", "monitor", "link", "address")
	events := newLines()
	stdout, err := mon.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	monDone := make(chan struct{})
	go func() { events.readFrom(stdout); close(monDone) }()
	t.Cleanup(func() { mon.Process.Kill(); <-monDone; mon.Wait() })
	// An event of the monitor's own, so that it is known to listen.
	inNetns(t, ns, ip, "ip", "link", "set", "lo", "mtu", "65000")
	if _, err := events.take(func(l string) bool { return strings.Contains(l, "lo:") && strings.Contains(l, "mtu 65000") }, 30*time.Second); err != nil {
		t.Fatalf("ip monitor: %v", err)
	}

	c := connectIn(t, ns, ip, "--device", modem, "--tun", "gprs0", "--persist", "--holdoff", "100ms")
	t.Cleanup(func() { c.stop(t) })
	c.await(t, "ready:", simTimeout)
	c.await(t, "ready:", simTimeout)

	// The kernel's account: up with the address, down without it, up
	// with it again.
	steps := []struct {
		what string
		is   func(string) bool
	}{
		{"address added", isAddr("gprs0", "inet 10.64.64.2 peer 10.64.64.1/32", false)},
		{"interface up", isLink("gprs0", true)},
		{"interface down", isLink("gprs0", false)},
		{"address removed", isAddr("gprs0", "inet 10.64.64.2 peer 10.64.64.1/32", true)},
		{"address added again", isAddr("gprs0", "inet 10.64.64.2 peer 10.64.64.1/32", false)},
		{"interface up again", isLink("gprs0", true)},
	}
	for _, s := range steps {
		if _, err := events.take(s.is, 30*time.Second); err != nil {
			t.Fatalf("ip monitor: no %s: %v\n%s", s.what, err, events.text())
		}
	}
	if !containsAll(c.log.text(), "tun: down", "reason=\"link down\"") {
		t.Errorf("log lacks the interface going down:\n%s", c.log.text())
	}
}

// isLink matches ip monitor's line for the interface up or down.
func isLink(iface string, up bool) func(string) bool {
	return func(l string) bool {
		_, rest, ok := strings.Cut(l, ": "+iface+": <")
		if !ok || strings.HasPrefix(l, "Deleted") {
			return false
		}
		flags, _, _ := strings.Cut(rest, ">")
		return strings.Contains(","+flags+",", ",UP,") == up
	}
}

// isAddr matches ip monitor's line for the address added or deleted.
func isAddr(iface, addr string, deleted bool) func(string) bool {
	return func(l string) bool {
		return strings.Contains(l, iface) && strings.Contains(l, addr) && strings.HasPrefix(l, "Deleted") == deleted
	}
}

// Without CAP_NET_ADMIN connect --tun fails at once, exit status 2, and
// says what is missing.
func TestConnectTUNWithoutNetAdmin(t *testing.T) {
	testenv.NeedRoot(t, "it drops CAP_NET_ADMIN from a root process")
	setpriv := testenv.NeedTool(t, "setpriv", "apt-get install util-linux")
	ns, ip := netns(t)
	cmd := exec.Command(ip, "netns", "exec", ns, setpriv, "--inh-caps=-net_admin", "--bounding-set=-net_admin",
		os.Args[0], "connect", "--sim", "--tun", "gprs0")
	cmd.Env = append(os.Environ(), "GPRSPPP_TEST_MAIN=1", "GORACE=atexit_sleep_ms=0")
	c := startCommand(t, cmd)
	if code := c.wait(t, simTimeout); code != exitDevice {
		t.Errorf("exit status %d, want %d", code, exitDevice)
	}
	const want = "creating a TUN interface needs CAP_NET_ADMIN (run as root; in a container, docker run --cap-add NET_ADMIN --device /dev/net/tun)"
	if log := c.log.text(); !strings.Contains(log, want) {
		t.Errorf("stderr %q lacks %q", log, want)
	}
	if out := c.out.text(); strings.Contains(out, "dialing") {
		t.Errorf("it dialled before failing:\n%s", out)
	}
}

// Without /dev/net/tun (hidden under an empty tmpfs in a mount namespace
// of the test's own, as in a container started without --device
// /dev/net/tun) connect --tun fails at once, exit status 2, and says so.
func TestConnectTUNWithoutDriver(t *testing.T) {
	testenv.NeedRoot(t, "it mounts over /dev/net in a mount namespace of its own")
	unshare := testenv.NeedTool(t, "unshare", "apt-get install util-linux")
	cmd := exec.Command(unshare, "--mount", "--net", "sh", "-c", `mount -t tmpfs tmpfs /dev/net && exec "$0" connect --sim --tun gprs0`, os.Args[0])
	c := startCommand(t, cmd)
	if code := c.wait(t, simTimeout); code != exitDevice {
		t.Errorf("exit status %d, want %d\n%s", code, exitDevice, c.log.text())
	}
	const want = "/dev/net/tun: no such file or directory: no TUN driver here (modprobe tun; in a container, docker run --device /dev/net/tun)"
	if log := c.log.text(); !strings.Contains(log, want) {
		t.Errorf("stderr %q lacks %q", log, want)
	}
	if out := c.out.text(); strings.Contains(out, "dialing") {
		t.Errorf("it dialled before failing:\n%s", out)
	}
}

func TestTUNFlagsNeedTUN(t *testing.T) {
	for _, args := range [][]string{{"--sim", "--tun-default-route"}, {"--sim", "--tun-resolv-conf", "/tmp/x"}} {
		code, stderr := runBinary(t, append([]string{"connect"}, args...)...)
		if code != exitUsage || !strings.Contains(stderr, "need --tun NAME") {
			t.Errorf("connect %v: status %d, %q", args, code, stderr)
		}
	}
}

// connect --sim --tun with a dual-stack and an IPv6-only PDP context:
// the interface gets the link-local address from the IPv6CP identifier
// and the one formed from the router advertisement's prefix (and the
// IPv4 address only with IPv4), and an unmodified curl in the namespace
// fetches /pattern.bin over IPv6 through it, with the default route of
// each family through the interface.
func TestConnectTUNIPv6(t *testing.T) {
	for _, pdp := range []string{"ipv4v6", "ipv6"} {
		t.Run(pdp, func(t *testing.T) { connectTUNIPv6(t, pdp) })
	}
}

func connectTUNIPv6(t *testing.T, pdp string) {
	ns, ip := netns(t)
	curlBin := testenv.NeedTool(t, "curl", "apt-get install curl")
	pingBin := testenv.NeedTool(t, "ping", "apt-get install iputils-ping")
	c := connectIn(t, ns, ip, "--sim", "--apn", "internet", "--pdp-type", pdp, "--tun", "gprs0", "--tun-default-route", "--maxfail", "1")
	t.Cleanup(func() { c.stop(t) })
	c.await(t, "ready:", simTimeout)
	c.waitLog(t, "tun: up", "2001:db8:64::2")
	addr := inNetns(t, ns, ip, "ip", "-o", "-6", "addr", "show", "dev", "gprs0")
	for _, want := range []string{"inet6 2001:db8:64::2/64", "inet6 fe80::2/64"} {
		if !strings.Contains(addr, want) {
			t.Errorf("ip -6 addr: %q lacks %q", addr, want)
		}
	}
	addr4 := inNetns(t, ns, ip, "ip", "-o", "-4", "addr", "show", "dev", "gprs0")
	if has4 := strings.Contains(addr4, "inet 10.64.64.2 peer 10.64.64.1/32"); has4 != (pdp == "ipv4v6") {
		t.Errorf("ip -4 addr with PDP type %s: %q", pdp, addr4)
	}
	if route := inNetns(t, ns, ip, "ip", "-6", "route", "show", "default"); !strings.Contains(route, "dev gprs0") {
		t.Errorf("ip -6 route: no default route through gprs0: %q", route)
	}
	if route := inNetns(t, ns, ip, "ip", "-4", "route", "show", "default"); strings.Contains(route, "dev gprs0") != (pdp == "ipv4v6") {
		t.Errorf("ip -4 route with PDP type %s: %q", pdp, route)
	}
	file := filepath.Join(t.TempDir(), "pattern")
	inNetns(t, ns, ip, curlBin, "-6", "-sS", "--fail", "--max-time", "60", "--noproxy", "*", "-o", file, "http://[2001:db8:64::1]/pattern.bin")
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if want := sim.Pattern(4 << 20); !bytes.Equal(got, want) {
		t.Errorf("curl over IPv6: /pattern.bin differs (%d octets, want %d)", len(got), len(want))
	}
	if ping := inNetns(t, ns, ip, pingBin, "-6", "-c", "2", "-i", "0.2", "-W", "5", "2001:db8:64::1"); !strings.Contains(ping, "2 received") {
		t.Errorf("ping -6:\n%s", ping)
	}
}

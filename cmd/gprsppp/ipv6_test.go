package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/testenv"
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

func TestConnectBadPDPType(t *testing.T) {
	code, stderr := runBinary(t, "connect", "--sim", "--pdp-type", "PPP", "--socks5", freeAddr(t))
	if code == 0 || !strings.Contains(stderr, "--pdp-type") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

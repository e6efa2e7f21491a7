package test

import (
	"log/slog"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/ppptest"
)

// A dual-stack link whose peer's MRU is below IPv6's minimum MTU of 1280
// (RFC 8200 §5), on which Linux takes no IPv6 address: attached once
// the link has its IPv6 addresses, the interface comes up with the IPv4
// address and the small MTU, without IPv6, says why, and carries the
// host's IPv4.
func TestTUNMTUBelowIPv6Minimum(t *testing.T) {
	if !testenv.InNetns(t) {
		return
	}
	ip := testenv.NeedTool(t, "ip", "apt-get install iproute2")
	a, b := ppptest.Pipe()
	nc := ipv6Network(t, nil)
	nc.MRU = 1000
	client, _ := pair(t, a, b, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6}, nc)
	waitIPv6(t, client, clientAddr6, 15*time.Second)

	records := make(chan slog.Record, 8)
	tn, err := gprsppp.OpenTUN(gprsppp.TUNConfig{Name: "gprs%d",
		Logger: recordingLogger(t, records, "tun: up", "tun: the link's MTU is below IPv6's minimum; the interface gets no IPv6 address")})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	if err := tn.Attach(client); err != nil {
		t.Fatalf("Attach: %v", err)
	}
	var warned, up bool
	for !warned || !up {
		select {
		case r := <-records:
			warned = warned || strings.Contains(r.Message, "below IPv6's minimum")
			up = up || r.Message == "tun: up"
		case <-time.After(10 * time.Second):
			t.Fatalf("no warning and tun: up within 10 s (warned %v, up %v)", warned, up)
		}
	}
	show := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(ip, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if link := show("-o", "link", "show", "dev", tn.Name()); !strings.Contains(link, ",UP,") || !strings.Contains(link, " mtu 1000 ") {
		t.Errorf("ip link: %q, want it up with MTU 1000", link)
	}
	if addr := show("-o", "-4", "addr", "show", "dev", tn.Name()); !strings.Contains(addr, "inet "+clientAddr.String()+" peer "+networkAddr.String()+"/32") {
		t.Errorf("ip -4 addr: %q", addr)
	}
	if addr := show("-o", "-6", "addr", "show", "dev", tn.Name()); addr != "" {
		t.Errorf("ip -6 addr: %q, want none", addr)
	}
	hostEcho(t, "tcp4", clientAddr.String())
}

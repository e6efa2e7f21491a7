package test

import (
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

var (
	networkAddr6 = netip.MustParseAddr("2001:db8:64::1")
	// clientAddr6 is what SLAAC forms from the advertised prefix and
	// the identifier ::2 the network naks the client with.
	clientAddr6 = netip.MustParseAddr("2001:db8:64::2")
	// unreachable6 is an address in the prefix that nobody answers.
	unreachable6 = netip.MustParseAddr("2001:db8:64::99")
)

// ipv6Network is the network side of a dual-stack link as the simulator
// offers it: IPv6CP assigning ::2, router advertisements of
// 2001:db8:64::/64 with RDNSS, and the simulator's services on both
// families. names are served by its DNS.
func ipv6Network(t *testing.T, names map[string][]netip.Addr) gprsppp.NetworkConfig {
	var srv *sim.Server
	t.Cleanup(func() {
		if srv != nil {
			srv.Close()
		}
	})
	return gprsppp.NetworkConfig{
		IPv6: &gprsppp.NetworkIPv6{DNS: []netip.Addr{networkAddr6}},
		Ready: func(l *gprsppp.Link) (err error) {
			srv, err = sim.Serve(l, sim.Services{Names: names, PatternSize: 256 << 10})
			return err
		},
	}
}

// logTo returns a debug logger writing into b.
func logTo(b *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// waitIPv6 waits until l has the IPv6 address want, from a router
// advertisement.
func waitIPv6(t *testing.T, l *gprsppp.Link, want netip.Addr, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		changed := l.Renumbered()
		if slices.Contains(l.IPv6Addrs(), want) {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no IPv6 address %v after %v: have %v", want, within, l.IPv6Addrs())
		}
	}
}

// echoOver checks the TCP echo service at dst through l.
func echoOver(t *testing.T, l *gprsppp.Link, network, dst string) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := l.DialContext(ctx, network, dst)
	if err != nil {
		t.Fatalf("dial %s: %v", dst, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	msg := []byte("hello over " + dst)
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != string(msg) {
		t.Fatalf("echo through %s: %q, %v", dst, got, err)
	}
	return c
}

// A dual-stack client against a network that offers IPv6 as a 3GPP
// gateway does: the network naks the client's identifier with ::2, the
// client forms 2001:db8:64::2 from the advertised prefix, reaches TCP
// echo and HTTP over IPv6, resolves AAAA records through the advertised
// DNS server, prefers IPv6 when dialing a name and falls back to IPv4
// when IPv6 does not answer.
func TestIPv6BackToBack(t *testing.T) {
	a, b := ppptest.Pipe()
	var clientLog, networkLog syncBuffer
	names := map[string][]netip.Addr{
		hostName:      {networkAddr, networkAddr6},
		"v6dead.test": {networkAddr, unreachable6},
	}
	nc := ipv6Network(t, names)
	nc.Logger = logTo(&networkLog)
	client, _ := pair(t, a, b, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6, Logger: logTo(&clientLog)}, nc)

	waitIPv6(t, client, clientAddr6, 15*time.Second)
	if got := client.IPv6Addrs()[0]; got != netip.MustParseAddr("fe80::2") {
		t.Errorf("link-local address %v, want fe80::2 (the identifier the network naked us with)", got)
	}
	if !client.LocalAddr().IsValid() {
		t.Errorf("no IPv4 address on a dual-stack link")
	}
	for _, want := range []string{"IPv6CP ConfReq", "IPv6CP ConfNak", "<addr fe80::2>", "IPv6 up"} {
		if !strings.Contains(clientLog.String(), want) {
			t.Errorf("client log lacks %q", want)
		}
	}
	if !strings.Contains(networkLog.String(), "IPv6 up") {
		t.Errorf("network log lacks IPv6CP's opening")
	}
	if got := client.IPv6DNSServers(); !slices.Equal(got, []netip.Addr{networkAddr6}) {
		t.Errorf("IPv6 DNS servers %v, want [%v] from RDNSS", got, networkAddr6)
	}

	t.Run("TCP echo", func(t *testing.T) {
		c := echoOver(t, client, "tcp", "[2001:db8:64::1]:7")
		if la := c.LocalAddr().String(); la != "[2001:db8:64::2]:"+strings.Split(la, "]:")[1] {
			t.Errorf("local address %s, want the SLAAC address", la)
		}
	})
	t.Run("HTTP pattern", func(t *testing.T) {
		hc := &http.Client{Transport: &http.Transport{DialContext: client.DialContext}, Timeout: 20 * time.Second}
		resp, err := hc.Get("http://[2001:db8:64::1]/pattern.bin")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		h := sha256.New()
		if _, err := io.Copy(h, resp.Body); err != nil {
			t.Fatal(err)
		}
		if got, want := h.Sum(nil), sha256.Sum256(sim.Pattern(256<<10)); string(got) != string(want[:]) {
			t.Errorf("pattern sha256 %x, want %x", got, want)
		}
	})
	t.Run("AAAA lookup", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		got, err := client.LookupNetIP(ctx, hostName)
		if err != nil {
			t.Fatal(err)
		}
		want := []netip.Addr{networkAddr6, networkAddr}
		if !slices.Equal(got, want) {
			t.Errorf("LookupNetIP = %v, want %v (IPv6 first)", got, want)
		}
	})
	t.Run("dual stack prefers IPv6", func(t *testing.T) {
		c := echoOver(t, client, "tcp", hostName+":7")
		if ra := c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr(); ra != networkAddr6 {
			t.Errorf("connected to %v, want %v", ra, networkAddr6)
		}
	})
	t.Run("dual stack falls back to IPv4", func(t *testing.T) {
		c := echoOver(t, client, "tcp", "v6dead.test:7")
		if ra := c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap(); ra != networkAddr {
			t.Errorf("connected to %v, want %v", ra, networkAddr)
		}
	})
	t.Run("UDP echo", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := client.DialContext(ctx, "udp6", "[2001:db8:64::1]:7")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write([]byte("ping6")); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 16)
		if n, err := c.Read(buf); err != nil || string(buf[:n]) != "ping6" {
			t.Fatalf("UDP echo: %q, %v", buf[:n], err)
		}
	})
}

// A network that rejects IPv6CP (an IPv4-only peer, as a modem without
// IPv6) leaves a dual-stack client with IPv4 working.
func TestIPv6CPRejectedKeepsIPv4(t *testing.T) {
	a, b := ppptest.Pipe()
	var clientLog syncBuffer
	client, network := pair(t, a, b, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6, Logger: logTo(&clientLog)}, gprsppp.NetworkConfig{})
	serveNetwork(t, network)
	echoOver(t, client, "tcp", "10.64.64.1:7")
	if got := client.IPv6Addrs(); len(got) != 0 {
		t.Errorf("IPv6 addresses %v without IPv6CP", got)
	}
	if !strings.Contains(clientLog.String(), "carrying on without it") {
		t.Errorf("client log does not tell that IPv6CP was rejected:\n%s", clientLog.String())
	}
}

// An IPv6-only client (PDP type IPV6) rejects the network's IPCP and
// works over IPv6 alone; and the network side of an IPV6 context
// rejects a dual-stack client's IPCP likewise.
func TestIPv6Only(t *testing.T) {
	for _, tc := range []struct {
		name   string
		pdp    string
		noIPv4 bool
	}{
		{"client IPV6", gprsppp.PDPTypeIPv6, false},
		{"network IPV6", gprsppp.PDPTypeIPv4v6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := ppptest.Pipe()
			nc := ipv6Network(t, map[string][]netip.Addr{hostName: {networkAddr, networkAddr6}})
			nc.NoIPv4 = tc.noIPv4
			client, _ := pair(t, a, b, gprsppp.Config{PDPType: tc.pdp}, nc)
			if client.LocalAddr().IsValid() {
				t.Errorf("IPv4 address %v on an IPv6-only link", client.LocalAddr())
			}
			waitIPv6(t, client, clientAddr6, 15*time.Second)
			// The name resolves through the DNS server the router
			// advertised, and only its IPv6 address is usable.
			c := echoOver(t, client, "tcp", hostName+":7")
			if ra := c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr(); ra != networkAddr6 {
				t.Errorf("connected to %v, want %v", ra, networkAddr6)
			}
		})
	}
}

// A network whose router advertisements never arrive (pppd without a
// router advertisement daemon) leaves the client its link-local address
// and IPv4 working; dialing a global IPv6 address fails at once.
func TestIPv6NoRouterAdvertisement(t *testing.T) {
	c, r := ppptest.Pipe()
	n, rn := ppptest.Pipe()
	go dropRouterAdvertisements(r, rn)
	go io.Copy(rn, r)
	t.Cleanup(func() {
		for _, e := range []io.Closer{c, r, n, rn} {
			e.Close()
		}
	})
	nc := ipv6Network(t, map[string][]netip.Addr{hostName: {networkAddr, networkAddr6}})
	client, _ := pair(t, c, n, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6}, nc)
	if got := client.IPv6Addrs(); !slices.Equal(got, []netip.Addr{netip.MustParseAddr("fe80::2")}) {
		t.Errorf("IPv6 addresses %v, want the link-local one alone", got)
	}
	echoOver(t, client, "tcp", "10.64.64.1:7")
	// With no global IPv6 address the name's IPv4 address is used.
	conn := echoOver(t, client, "tcp", hostName+":7")
	if ra := conn.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap(); ra != networkAddr {
		t.Errorf("connected to %v, want %v", ra, networkAddr)
	}
	// The link-local address reaches the network's link-local one.
	echoOver(t, client, "tcp", "[fe80::1]:7")
	if got := client.IPv6Addrs(); len(got) != 1 {
		t.Errorf("IPv6 addresses %v after traffic, want the link-local one alone", got)
	}
}

// dropRouterAdvertisements copies PPP frames from src to dst, leaving
// out IPv6 router advertisements.
func dropRouterAdvertisements(dst io.Writer, src io.Reader) {
	var dec ppp.Decoder
	enc := ppp.Encoder{ACCM: 0xffffffff}
	buf := make([]byte, 4096)
	for {
		k, err := src.Read(buf)
		var out []byte
		dec.Decode(buf[:k], func(frame []byte) {
			proto, info, err := ppp.ParseFrame(frame)
			if err != nil || (proto == ppp.ProtocolIPv6 && len(info) > 40 && info[6] == 58 && info[40] == 134) {
				return
			}
			out = enc.AppendFrame(out, proto, info)
		})
		_, werr := dst.Write(out)
		if err != nil || werr != nil {
			return
		}
	}
}

// An IPv6-only client against an IPv4-only network: the network rejects
// IPv6CP, nothing is left, and the link fails to come up with
// ErrNegotiation rather than waiting.
func TestIPv6OnlyAgainstIPv4Network(t *testing.T) {
	a, b := ppptest.Pipe()
	err := openFails(t, a, b, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv6}, gprsppp.NetworkConfig{})
	if !isErr(err, gprsppp.ErrNegotiation) || !strings.Contains(err.Error(), "IPv6CP") {
		t.Fatalf("open: %v, want ErrNegotiation naming IPv6CP", err)
	}
}

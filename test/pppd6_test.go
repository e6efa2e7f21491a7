package test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/test/pppvm"
)

// IPv6 against real pppd: the VM's IPv6 mode (pppd +ipv6 naking our
// identifier with ::2, dnsmasq's router advertisements with RDNSS).
// The link forms its address from the advertised prefix, fetches
// /pattern.bin over IPv6 byte-exact and resolves the peer's AAAA record
// through the advertised DNS server.
func TestPPPDIPv6(t *testing.T) {
	cases := []struct {
		name string
		pdp  string
	}{
		// IPCP rejected: only the advertised server can resolve.
		{"IPv6 only", gprsppp.PDPTypeIPv6},
		{"dual stack", gprsppp.PDPTypeIPv4v6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vm, link, err := dialPPPD(t, pppvm.Options{IPv6: true}, gprsppp.Config{PDPType: tc.pdp})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			// dnsmasq answers a solicitation only once pppd's ipv6-up
			// has run; an unsolicited advertisement follows within
			// seconds anyway.
			waitIPv6(t, link, netip.MustParseAddr(pppvm.ClientAddr6), 40*time.Second)
			if got := link.IPv6Addrs()[0].String(); got != pppvm.ClientLinkLocal {
				t.Errorf("link-local address %s, want %s", got, pppvm.ClientLinkLocal)
			}
			if got := link.IPv6DNSServers(); len(got) == 0 || got[0].String() != pppvm.PeerAddr6 {
				t.Errorf("IPv6 DNS servers %v, want %s from RDNSS", got, pppvm.PeerAddr6)
			}
			log := vm.Console()
			for _, want := range []string{"sent [IPV6CP ConfNak", "local  LL address fe80::", "RTR-ADVERT"} {
				if !strings.Contains(log, want) {
					t.Errorf("pppd's console lacks %q", want)
				}
			}
			echoTCP(t, link, net.JoinHostPort(pppvm.PeerAddr6, "7"), 64<<10)
			fetchPattern(t, link, "http://["+pppvm.PeerAddr6+"]"+pppvm.PatternPath)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			addrs, err := link.LookupNetIP(ctx, pppvm.PeerName)
			if err != nil || len(addrs) == 0 || addrs[0].String() != pppvm.PeerAddr6 {
				t.Fatalf("lookup %s: %v %v, want %s first", pppvm.PeerName, addrs, err, pppvm.PeerAddr6)
			}
			if tc.pdp == gprsppp.PDPTypeIPv6 {
				if link.LocalAddr().IsValid() {
					t.Errorf("IPv4 address %v on an IPv6-only link", link.LocalAddr())
				}
				return
			}
			// Dual stack: IPv4 works alongside, and a name is dialed
			// over IPv6 first.
			if got := link.LocalAddr().String(); got != pppvm.ClientAddr {
				t.Errorf("IPv4 address %s, want %s", got, pppvm.ClientAddr)
			}
			echoTCP(t, link, net.JoinHostPort(pppvm.PeerAddr, "7"), 16<<10)
			c, err := link.DialContext(ctx, "tcp", net.JoinHostPort(pppvm.PeerName, "7"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if ra := c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().String(); ra != pppvm.PeerAddr6 {
				t.Errorf("dialed %s, want %s", ra, pppvm.PeerAddr6)
			}
		})
	}
}

// Debian's pppd in its default mode runs IPv6CP with random identifiers
// and sends no router advertisement: a dual-stack client gets its
// link-local address from IPv6CP, and IPv4 works as before.
func TestPPPDDefaultIPv6CP(t *testing.T) {
	vm, link, err := dialPPPD(t, pppvm.Options{}, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	exercisePPPD(t, link)
	addrs := link.IPv6Addrs()
	if len(addrs) != 1 || !addrs[0].IsLinkLocalUnicast() {
		t.Errorf("IPv6 addresses %v, want one link-local address", addrs)
	}
	if log := vm.Console(); !strings.Contains(log, "rcvd [IPV6CP ConfAck") {
		t.Errorf("pppd's console shows no IPv6CP ConfAck:\n%s", log)
	}
	// pppd prints the identifier's four groups zero-padded (llv6_ntoa).
	b := addrs[0].As16()
	pppdForm := fmt.Sprintf("fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x", b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
	if !slices.ContainsFunc(strings.Split(vm.Console(), "\n"), func(l string) bool {
		return strings.Contains(l, "remote LL address") && strings.Contains(l, pppdForm)
	}) {
		t.Errorf("pppd's console does not name our link-local address %v", addrs[0])
	}
}

// fetchPattern downloads url through link and checks its sha256.
func fetchPattern(t *testing.T, link *gprsppp.Link, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{DialContext: link.DialContext}}
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		t.Fatalf("read %s after %d octets: %v", url, n, err)
	}
	if got, want := hex.EncodeToString(h.Sum(nil)), pppvm.PatternSHA256(t); got != want {
		t.Fatalf("%s: sha256 %s, want %s (%d octets)", url, got, want, n)
	}
}

// pppd without IPv6 (its noipv6 option): it Protocol-Rejects our IPv6CP.
// A dual-stack client carries on over IPv4 alone, with no IPv6 address;
// an IPv6-only client has nothing left and fails with ErrNegotiation
// naming IPv6CP, rather than waiting.
func TestPPPDNoIPv6(t *testing.T) {
	t.Run("dual stack", func(t *testing.T) {
		t.Parallel()
		var log syncBuffer
		vm, link, err := dialPPPD(t, pppvm.Options{PPPOpts: "noipv6"}, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv4v6, Logger: logTo(&log)})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		exercisePPPD(t, link)
		if got := link.IPv6Addrs(); len(got) != 0 {
			t.Errorf("IPv6 addresses %v without IPv6CP", got)
		}
		if !strings.Contains(log.String(), "carrying on without it") || !strings.Contains(log.String(), "IPv6CP") {
			t.Errorf("client log does not tell that IPv6CP was rejected:\n%s", log.String())
		}
		if !protRejOf(vm.Console(), "sent", 0x8057) {
			t.Errorf("pppd's console shows no Protocol-Reject of our IPv6CP:\n%s", vm.Console())
		}
		select {
		case <-link.Done():
			t.Fatalf("link ended: %v", link.Err())
		default:
		}
	})
	t.Run("IPv6 only", func(t *testing.T) {
		t.Parallel()
		vm, _, err := dialPPPD(t, pppvm.Options{PPPOpts: "noipv6"}, gprsppp.Config{PDPType: gprsppp.PDPTypeIPv6})
		if !isErr(err, gprsppp.ErrNegotiation) || !strings.Contains(err.Error(), "IPv6CP") {
			t.Fatalf("open: %v, want ErrNegotiation naming IPv6CP", err)
		}
		if !protRejOf(vm.Console(), "sent", 0x8057) {
			t.Errorf("pppd's console shows no Protocol-Reject of our IPv6CP:\n%s", vm.Console())
		}
	})
}

// protRejOf reports whether pppd's console has an LCP Protocol-Reject of
// proto that pppd sent ("sent") or received ("rcvd"): pppd logs its
// data in hex, the rejected protocol first ("sent [LCP ProtRej id=0x2
// 80 57 01 01 ...]").
func protRejOf(console, dir string, proto uint16) bool {
	want := fmt.Sprintf("%02x %02x", proto>>8, proto&0xff)
	for l := range strings.SplitSeq(console, "\n") {
		_, rest, ok := strings.Cut(l, dir+" [LCP ProtRej id=")
		if !ok {
			continue
		}
		if _, data, ok := strings.Cut(rest, " "); ok && strings.HasPrefix(data, want) {
			return true
		}
	}
	return false
}

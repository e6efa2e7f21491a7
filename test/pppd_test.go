package test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/test/pppvm"
)

// dialPPPD boots a pppd VM with opt, dials its modem and brings our client
// up on the line.
func dialPPPD(t *testing.T, opt pppvm.Options, cfg gprsppp.Config) (*pppvm.VM, *gprsppp.Link, error) {
	t.Helper()
	vm := pppvm.Start(t, opt)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	line, err := vm.Dial(ctx)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	link, err := gprsppp.Open(ctx, line, cfg)
	if err == nil {
		t.Cleanup(func() { link.Close() })
	}
	return vm, link, err
}

// exercisePPPD checks a link to pppd end to end: TCP echo, a name lookup
// through the learned DNS servers, and an HTTP download checked against
// its known digest.
func exercisePPPD(t *testing.T, link *gprsppp.Link) {
	t.Helper()
	if got := link.LocalAddr().String(); got != pppvm.ClientAddr {
		t.Errorf("local address %s, want %s", got, pppvm.ClientAddr)
	}
	if got := fmt.Sprint(link.DNSServers()); got != "["+pppvm.PrimaryDNS+" "+pppvm.SecondaryDNS+"]" {
		t.Errorf("DNS servers %s", got)
	}
	echoTCP(t, link, net.JoinHostPort(pppvm.PeerAddr, fmt.Sprint(pppvm.EchoPort)), 256<<10)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	addrs, err := link.LookupNetIP(ctx, pppvm.PeerName)
	if err != nil || len(addrs) == 0 || addrs[0].String() != pppvm.PeerAddr {
		t.Fatalf("lookup %s: %v %v", pppvm.PeerName, addrs, err)
	}

	client := &http.Client{Transport: &http.Transport{DialContext: link.DialContext}}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+pppvm.PeerName+pppvm.PatternPath, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", pppvm.PatternPath, err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		t.Fatalf("read %s after %d octets: %v", pppvm.PatternPath, n, err)
	}
	if got, want := hex.EncodeToString(h.Sum(nil)), pppvm.PatternSHA256(t); got != want {
		t.Fatalf("%s: sha256 %s, want %s (%d octets)", pppvm.PatternPath, got, want, n)
	}
}

func TestPPPDInterop(t *testing.T) {
	cases := []struct {
		name string
		opt  pppvm.Options
		cfg  gprsppp.Config
	}{
		{name: "defaults"},
		{name: "require-pap", opt: pppvm.Options{Auth: "pap"},
			cfg: gprsppp.Config{Username: pppvm.DefaultUser, Password: pppvm.DefaultPassword}},
		{name: "require-chap", opt: pppvm.Options{Auth: "chap"},
			cfg: gprsppp.Config{Username: pppvm.DefaultUser, Password: pppvm.DefaultPassword}},
		{name: "mru 576", opt: pppvm.Options{PPPOpts: "mru 576"}},
		{name: "asyncmap 0xffffffff", opt: pppvm.Options{PPPOpts: "asyncmap 0xffffffff"}},
		{name: "nopcomp noaccomp", opt: pppvm.Options{PPPOpts: "nopcomp noaccomp"}},
		{name: "lcp-echo-interval 1", opt: pppvm.Options{PPPOpts: "lcp-echo-interval 1 lcp-echo-failure 2"}},
		// pppd does not know FCS-Alternatives: it rejects the option and
		// the link keeps the 16-bit FCS.
		{name: "fcs32 rejected", cfg: gprsppp.Config{FCS32: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vm, link, err := dialPPPD(t, tc.opt, tc.cfg)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			exercisePPPD(t, link)
			if tc.name == "defaults" {
				// pppd offers CCP by default; we answer with Protocol-Reject.
				if log := vm.Console(); !protRejOf(log, "rcvd", 0x80fd) {
					t.Errorf("pppd's log shows no Protocol-Reject of CCP:\n%s", log)
				}
				// Debian's pppd runs IPv6CP even by default; an
				// IPv4-only client rejects it the same way.
				if log := vm.Console(); !protRejOf(log, "rcvd", 0x8057) {
					t.Errorf("pppd's log shows no Protocol-Reject of IPv6CP:\n%s", log)
				}
			}
			if tc.name == "fcs32 rejected" {
				if log := vm.Console(); !strings.Contains(log, "sent [LCP ConfRej") {
					t.Errorf("pppd's log shows no Configure-Reject:\n%s", log)
				}
			}
			if tc.name == "lcp-echo-interval 1" {
				// pppd echoes every second and gives up after two misses:
				// staying up for several intervals shows we answer.
				select {
				case <-link.Done():
					t.Fatalf("link ended: %v", link.Err())
				case <-time.After(4 * time.Second):
				}
			}
		})
	}
}

func TestPPPDWrongPassword(t *testing.T) {
	for _, auth := range []string{"pap", "chap"} {
		t.Run(auth, func(t *testing.T) {
			t.Parallel()
			_, _, err := dialPPPD(t, pppvm.Options{Auth: auth},
				gprsppp.Config{Username: pppvm.DefaultUser, Password: "not-the-password", Restart: time.Second})
			if !isErr(err, gprsppp.ErrAuthFailed) {
				t.Fatalf("open: %v, want ErrAuthFailed", err)
			}
		})
	}
}

func TestPPPDHangup(t *testing.T) {
	vm, link, err := dialPPPD(t, pppvm.Options{}, gprsppp.Config{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	echoTCP(t, link, net.JoinHostPort(pppvm.PeerAddr, fmt.Sprint(pppvm.EchoPort)), 64<<10)
	if err := vm.Ctl("hangup"); err != nil {
		t.Fatal(err)
	}
	if err := waitDone(t, link, 20*time.Second); !isErr(err, gprsppp.ErrPeerTerminated) {
		t.Fatalf("reason %v, want ErrPeerTerminated", err)
	}
}

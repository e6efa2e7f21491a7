package main

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/gprsppp/gprsppp/test/pppvm"
)

// connect against a real pppd behind the VM's modem, through
// go.bug.st/serial on its pty: curl through both proxies, byte-exact.
func TestConnectPPPD(t *testing.T) {
	vm := pppvm.Start(t, pppvm.Options{Auth: "chap"})
	socks, web := freeAddr(t), freeAddr(t)
	t.Setenv("GPRSPPP_PASSWORD", pppvm.DefaultPassword)
	r := startConnect(t, connectFlags{device: vm.Serial, baud: 115200, apn: "internet", user: pppvm.DefaultUser,
		socks5: socks, httpProxy: web, maxfail: 1})
	if !strings.Contains(r.ready, "address "+pppvm.ClientAddr) {
		t.Errorf("ready line %q", r.ready)
	}
	want := pppvm.PatternSHA256(t)
	for _, proxy := range [][]string{{"--socks5-hostname", socks}, {"-x", "http://" + web}} {
		body := curl(t, append(proxy, "http://"+pppvm.PeerName+pppvm.PatternPath)...)
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%v: sha256 %s over %d octets, want %s", proxy, got, len(body), want)
		}
	}
}

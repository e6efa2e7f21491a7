package main

import (
	"bufio"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/sim"
)

// gprsppp shim, as its own process, with no modem to dial: the device is
// missing, or a pseudo-terminal nobody answers on. Hosts see a module
// without network while it dials; it never prints ready, and with
// --maxfail 1 it gives up after the first failed dial with status 8.
func TestShimWithoutModemProcess(t *testing.T) {
	tests := []struct {
		name   string
		device func(t *testing.T) string
		host   bool // a host asks while the dial runs (about 16 s for a silent line)
	}{
		{name: "missing device", device: func(t *testing.T) string { return filepath.Join(t.TempDir(), "ttyNONE") }},
		{name: "silent line", device: silentPty, host: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := freeAddr(t)
			c := startChild(t, "shim", "--device", tt.device(t), "--maxfail", "1", "--listen", "tcp://"+addr)
			if tt.host {
				c.await(t, "listening:", 30*time.Second)
				askWhileDialling(t, addr)
			}
			if code := c.wait(t, 60*time.Second); code != exitGaveUp {
				t.Errorf("shim ended with exit status %d, want %d\n%s", code, exitGaveUp, c.log.text())
			}
			if out := c.out.text(); slices.Contains(strings.Split(out, "\n"), "ready") {
				t.Errorf("shim printed ready without a modem; its output:\n%s", out)
			}
			if !strings.Contains(c.log.text(), "gprsppp: too many failed dials (1): ") {
				t.Errorf("stderr does not give the reason:\n%s", c.log.text())
			}
		})
	}
}

// silentPty returns the path of a pseudo-terminal that never answers.
func silentPty(t *testing.T) string {
	p, err := sim.ListenPty("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p.Path()
}

// askWhileDialling is a host asking the shim about the modem while the
// first dial runs: it gets a module searching for a network, whose SIM is
// not known yet, and cannot register an application.
func askWhileDialling(t *testing.T, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	queries := []string{"ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+CREG?", "AT+CGREG?", "AT+CSQ", "AT+CGATT?"}
	want := [][]string{{"ATE0", "OK"}, {"OK"}, {"+CME ERROR: 14"}, {"+CREG: 0,2", "OK"}, {"+CGREG: 0,2", "OK"},
		{"+CSQ: 99,99", "OK"}, {"+CGATT: 0", "OK"}}
	var got [][]string
	for _, q := range queries {
		io.WriteString(c, q+"\r")
		var answer []string
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: %v (got %q)", q, err, answer)
			}
			if l = strings.TrimSpace(l); l == "" {
				continue
			}
			answer = append(answer, l)
			if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR:") {
				break
			}
		}
		got = append(got, answer)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers while dialling (-want +got):\n%s", diff)
	}
}

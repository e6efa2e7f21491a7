package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func containsAll(s string, want ...string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// noTrace fails the test for each line of the PPP negotiation trace in
// log, and each debug line outside the categories allowed.
func noTrace(t *testing.T, log []string, allowed ...string) {
	t.Helper()
	for _, l := range log {
		if strings.Contains(l, "[LCP") || strings.Contains(l, "[IPCP") {
			t.Errorf("negotiation trace in the log: %s", l)
			continue
		}
		if !strings.Contains(l, "level=DEBUG") {
			continue
		}
		ok := false
		for _, cat := range allowed {
			ok = ok || strings.Contains(l, " cat="+cat+" ")
		}
		if !ok {
			t.Errorf("debug line outside %q: %s", allowed, l)
		}
	}
}

// localPort returns a free port on 127.0.0.1.
func localPort(t *testing.T) string {
	t.Helper()
	_, port, _ := net.SplitHostPort(freeAddr(t))
	return port
}

// At the default level, connect logs a -L connection whose dial over the
// link fails (port 1 on the simulator refuses it), with its category,
// and nothing of the negotiation.
func TestLogDefaultLevelShowsFailedDial(t *testing.T) {
	port := localPort(t)
	c := startProcess(t, "ready:", "connect", "--sim", "-L", port+":10.64.64.1:1")
	client, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	client.SetDeadline(time.Now().Add(30 * time.Second))
	if n, err := client.Read(make([]byte, 1)); err == nil {
		t.Errorf("read %d bytes from a forward whose dial failed", n)
	}
	client.Close()
	line := c.waitLog(t, "forward: dial over the link failed")
	if !containsAll(line, "level=INFO", " cat=forward ", "to=10.64.64.1:1") {
		t.Errorf("the failed dial logged as %s, want level=INFO, cat=forward, to=10.64.64.1:1", line)
	}
	noTrace(t, c.stop(t))
}

// --debug forward logs -L's debug lines, and still nothing of the
// negotiation.
func TestLogDebugOneCategory(t *testing.T) {
	port := localPort(t)
	c := startProcess(t, "ready:", "connect", "--sim", "--debug", "forward", "-L", port+":10.64.64.1:7")
	client, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	client.SetDeadline(time.Now().Add(30 * time.Second))
	io.WriteString(client, "ping")
	got := make([]byte, 4)
	if _, err := io.ReadFull(client, got); err != nil || string(got) != "ping" {
		t.Fatalf("echo through -L: %q, %v", got, err)
	}
	client.Close()
	c.waitLog(t, "level=DEBUG", "forward: local connection ended", " cat=forward ", "sent=4")
	noTrace(t, c.stop(t), catForward)
}

// --log-format json: every log line is a JSON object naming its
// category; the link's and the modem dialogue's are told apart.
func TestLogFormatJSON(t *testing.T) {
	c := startProcess(t, "ready:", "connect", "--sim", "--log-format", "json", "--socks5", freeAddr(t))
	log := c.stop(t)
	cats := map[string]string{}
	for _, r := range jsonRecords(t, []byte(strings.Join(log, "\n"))) {
		cat := str(r[catKey])
		if cat == "" {
			t.Errorf("a record without a category: %v", r)
		}
		if r["side"] != nil {
			continue // the simulated network's own records ("network up" too)
		}
		cats[str(r["msg"])] = cat
	}
	for msg, want := range map[string]string{"network up": catPPP, "modem connected": catAT, "modem: call up": catSim} {
		if cats[msg] != want {
			t.Errorf("record %q in category %q, want %q; log:\n%s", msg, cats[msg], want, strings.Join(log, "\n"))
		}
	}
}

// shim --trace logs a host's AT line, its echo and the reply, naming the
// host by its address; --trace-hex shows the same in hex.
func TestShimTrace(t *testing.T) {
	for _, tt := range []struct {
		flag       string
		cmd, reply string // as logged
	}{
		{"--trace", `line="AT\r"`, `line="\r\nOK\r\n"`},
		{"--trace-hex", "hex=" + hex.EncodeToString([]byte("AT\r")), "hex=" + hex.EncodeToString([]byte("\r\nOK\r\n"))},
	} {
		t.Run(tt.flag, func(t *testing.T) {
			addr := freeAddr(t)
			c := startProcess(t, "ready", "shim", "--sim", tt.flag, "--listen", "tcp://"+addr)
			host, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer host.Close()
			host.SetDeadline(time.Now().Add(30 * time.Second))
			io.WriteString(host, "AT\r")
			r := bufio.NewReader(host)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					t.Fatalf("no OK: %v", err)
				}
				if strings.TrimSpace(line) == "OK" {
					break
				}
			}
			name := "host=" + host.LocalAddr().String()
			c.waitLog(t, `msg="shim: from host"`, " cat=shim-trace ", name, tt.cmd)
			c.waitLog(t, `msg="shim: to host"`, " cat=shim-trace ", name, tt.cmd) // the echo
			c.waitLog(t, `msg="shim: to host"`, " cat=shim-trace ", name, tt.reply)
			host.Close()
			c.stop(t)
		})
	}
}

// shim --pcap writes the link's frames to a file only its owner reads.
func TestShimPcap(t *testing.T) {
	capture := filepath.Join(t.TempDir(), "shim.pcap")
	c := startProcess(t, "link up", "shim", "--sim", "--pcap", capture, "--listen", "tcp://"+freeAddr(t))
	c.stop(t)
	fi, err := os.Stat(capture)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("capture mode %v, want 0600", fi.Mode().Perm())
	}
	b, err := os.ReadFile(capture)
	if err != nil {
		t.Fatal(err)
	}
	// The pcap header, then at least the LCP Configure-Request.
	if len(b) <= 24 || !bytes.Equal(b[:4], []byte{0xd4, 0xc3, 0xb2, 0xa1}) {
		t.Errorf("capture of %d bytes, starting % x: want a little-endian pcap file with frames", len(b), b[:min(len(b), 4)])
	}
}

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// "gprsppp sim" as a separate process, used by connect through
// go.bug.st/serial on the pty it serves.
func TestConnectToSimProcess(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyGPRS")
	startProcess(t, "ready", "sim", "--link", link)
	socks := freeAddr(t)
	startConnect(t, connectFlags{device: link, baud: 115200, socks5: socks, maxfail: 1})
	page := curl(t, "--socks5-hostname", socks, "http://"+simName+"/")
	if !strings.Contains(string(page), "hello") {
		t.Errorf("page: %q", page)
	}
}

// The README opens with the command that runs connect on the simulator
// and the curl line that fetches a page through it: run both as written.
func TestReadmeCommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var run, fetch []string
	for _, l := range strings.Split(string(readme), "\n") {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(l)
		switch {
		case run == nil && len(f) > 3 && f[0] == "go" && f[1] == "run" && f[2] == "./cmd/gprsppp":
			run = f[3:]
		case fetch == nil && len(f) > 1 && f[0] == "curl":
			fetch = f[1:]
		}
	}
	if run == nil || fetch == nil || run[0] != "connect" {
		t.Fatalf("README lacks the connect and curl commands (found %q, %q)", run, fetch)
	}
	startProcess(t, "ready:", run...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	curlBin := exec.CommandContext(ctx, "curl", append([]string{"-sS", "--fail"}, fetch...)...)
	out, err := curlBin.Output()
	if err != nil {
		t.Fatalf("curl %v: %v", fetch, err)
	}
	if !strings.Contains(string(out), "hello from the gprsppp simulated network") {
		t.Errorf("curl printed %q", out)
	}
}

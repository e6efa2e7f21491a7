package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every bad flag, spec or device gives a clear message and its
// documented exit status, never a panic.
func TestConnectBadFlags(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyAddr := busy.Addr().String()
	_, busyPort, _ := net.SplitHostPort(busyAddr)
	// The default SOCKS5 port, held as a second instance would find it
	// (or already held by someone else, which ends the same way).
	if l, err := net.Listen("tcp", defaultSOCKS5); err == nil {
		defer l.Close()
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	refused := freeAddr(t)

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"socks5 port in use", []string{"--sim", "--socks5", busyAddr}, exitListen, "address already in use (another program"},
		{"default socks5 port in use", []string{"--sim", "--socks5"}, exitListen, "socks5: listen tcp 127.0.0.1:1080"},
		{"http proxy port in use", []string{"--sim", "--http-proxy", busyAddr}, exitListen, "http-proxy: listen tcp"},
		{"http proxy bare port in use", []string{"--sim", "--http-proxy", busyPort}, exitListen, "address already in use"},
		{"-L port in use", []string{"--sim", "-L", busyPort + ":10.64.64.1:7"}, exitListen, "-L " + busyPort + ":10.64.64.1:7: listen tcp"},
		{"socks5 port out of range", []string{"--sim", "--socks5", "99999"}, exitUsage, "a port is 1 to 65535"},
		{"socks5 not an address", []string{"--sim", "--socks5=banana"}, exitUsage, "want PORT or HOST:PORT"},
		{"-L without target", []string{"--sim", "-L", "8022"}, exitUsage, "want [bind:]port:host:hostport"},
		{"-L named port", []string{"--sim", "-L", "8022:10.0.0.5:ssh"}, exitUsage, `"ssh" is not a number`},
		{"-L port out of range", []string{"--sim", "-L", "99999:10.0.0.5:22"}, exitUsage, `"99999" is not from 1 to 65535`},
		{"-L same port twice", []string{"--sim", "-L", "8022:10.0.0.5:22", "-L", "8022:10.0.0.6:22"}, exitUsage, "port 8022 is already forwarded by -L 8022:10.0.0.5:22"},
		{"-L to loopback", []string{"--sim", "-L", "8022:127.0.0.1:22"}, exitUsage, "127.0.0.1 is a loopback address"},
		{"-R without target", []string{"--sim", "-R", "2222"}, exitUsage, "want [bind:]port:host:hostport"},
		{"-R loopback bind", []string{"--sim", "-R", "127.0.0.1:2222:127.0.0.1:22"}, exitUsage, "the link has no loopback"},
		{"-R same port twice", []string{"--sim", "-R", "2222:127.0.0.1:22", "-R", "2222:127.0.0.1:23"}, exitUsage, "port 2222 is already forwarded"},
		{"allow prefix too long", []string{"--sim", "--allow", "10.0.0.0/33"}, exitUsage, `allow "10.0.0.0/33"`},
		{"allow not an address", []string{"--sim", "--allow", "banana"}, exitUsage, `allow "banana"`},
		{"negative line rate", []string{"--sim", "--line-rate", "-1"}, exitUsage, "--line-rate -1: must not be negative"},
		{"invalid APN", []string{"--device", file, "--apn", `in"ternet`}, exitUsage, "invalid APN"},
		{"device is a regular file", []string{"--device", file}, exitDevice, "is a regular file, not a serial port"},
		{"device is a directory", []string{"--device", dir}, exitDevice, "is a directory, not a serial port"},
		{"device is /dev/null", []string{"--device", "/dev/null"}, exitDevice, "/dev/null"},
		{"tcp device refused", []string{"--device", "tcp://" + refused}, exitDevice, "connection refused"},
		{"tcp device without port", []string{"--device", "tcp://127.0.0.1"}, exitDevice, "want tcp://host:port"},
		{"no device", []string{}, exitUsage, "name the modem with --device, or use --sim"},
		{"password on the command line", []string{"--sim", "--password", "x"}, exitUsage, "unknown flag: --password: secrets never go on the command line; use --password-file FILE or GPRSPPP_PASSWORD"},
		{"PIN on the command line", []string{"--sim", "--pin=1234"}, exitUsage, "use --pin-file FILE or GPRSPPP_PIN"},
		{"proxy user without password", []string{"--sim", "--socks5", "--proxy-user", "me"}, exitUsage, "--proxy-user needs a password"},
		{"negative register timeout", []string{"--sim", "--register-timeout", "-1s"}, exitUsage, "--register-timeout -1s"},
		{"frame size without --cmux", []string{"--sim", "--cmux-frame-size", "64"}, exitUsage, "--cmux-frame-size needs --cmux"},
		{"CMUX settings without --cmux", []string{"--sim", "--status-interval", "1m", "--cmux-frame-size", "64"}, exitUsage, "--status-interval and --cmux-frame-size need --cmux"},
		{"CMUX frame size 0", []string{"--sim", "--cmux", "--cmux-frame-size", "0"}, exitUsage, "--cmux-frame-size 0: want 1 to 32768"},
		{"CMUX status interval 0", []string{"--sim", "--cmux", "--status-interval", "0s"}, exitUsage, "--status-interval 0s: must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr := runBinary(t, append([]string{"connect"}, tt.args...)...)
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Fatalf("panicked:\n%s", stderr)
			}
			if strings.Count(stderr, "gprsppp: ") > 1 || strings.Count(stderr, tt.want) > 1 {
				t.Errorf("said twice: %s", stderr)
			}
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d with\n%s\nwant exit %d saying %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// "--socks5 PORT", the habit of ssh -D and microsocks, serves SOCKS5 on
// that port of 127.0.0.1.
func TestConnectSOCKS5BarePort(t *testing.T) {
	_, port, _ := net.SplitHostPort(freeAddr(t))
	startProcess(t, "ready:", "connect", "--sim", "--socks5", port)
	page := curl(t, "--socks5-hostname", "127.0.0.1:"+port, "http://"+simName+"/")
	if !strings.Contains(string(page), "hello") {
		t.Fatalf("page through 127.0.0.1:%s: %q", port, page)
	}
}

func TestErrorText(t *testing.T) {
	inner := errors.New("gprsppp: device /dev/ttyUSB9: no such device")
	err := fmt.Errorf("gprsppp: too many failed dials (3): %w", inner)
	if got, want := errorText(err), "too many failed dials (3): device /dev/ttyUSB9: no such device"; got != want {
		t.Errorf("errorText = %q, want %q", got, want)
	}
}

// The shim's multiplexer settings without --cmux are refused too, not
// ignored.
func TestShimCMUXSettingsNeedCMUX(t *testing.T) {
	code, stderr := runBinary(t, "shim", "--sim", "--listen", "tcp://127.0.0.1:0", "--status-interval", "5s")
	if want := "--status-interval needs --cmux"; code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("exit %d with\n%s\nwant exit %d saying %q", code, stderr, exitUsage, want)
	}
}

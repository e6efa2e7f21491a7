package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// config check reads a file as connect or shim would, points at the
// line of a key that is wrong, and opens nothing.
func TestConfigCheck(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	secretFile := writeFile(t, "pw", "hunter2\n")

	tests := []struct {
		name    string
		command string
		text    string
		line    int    // the line the error names; 0: none
		want    string // in the error; "" for ok
	}{
		{name: "ok", text: "sim = true\nsocks5 = true\nlocal = [\"8022:10.0.0.5:22\"]\npassword-file = \"" + secretFile + "\"\n"},
		{name: "device not opened", text: "device = \"/dev/ttyNOSUCH\"\napn = \"internet\"\n"},
		{name: "listener not opened", text: fmt.Sprintf("sim = true\nsocks5 = %q\n", busy.Addr())},
		{name: "syntax error", text: "sim = true\napn = \"internet\n", line: 2, want: "strings cannot contain newlines"},
		{name: "unknown key", text: "sim = true\n\ndvice = \"/dev/ttyUSB2\"\n", line: 3, want: `unknown key "dvice": not a flag of this command`},
		{name: "short flag as key", text: "sim = true\nL = [\"8022:10.0.0.5:22\"]\n", line: 2, want: `unknown key "L"`},
		{name: "string for a bool", text: "sim = true\npersist = \"yes\"\n", line: 2, want: `persist: want true or false, not the string "yes"`},
		{name: "string for an integer", text: "sim = true\n\nbaud = \"fast\"\n", line: 3, want: `baud: want an integer, not the string "fast"`},
		{name: "integer for a string", text: "sim = true\napn = 5\n", line: 2, want: "apn: want a string, not the integer 5"},
		{name: "string for an array", text: "sim = true\nlocal = \"8022:10.0.0.5:22\"\n", line: 2, want: "local: want an array"},
		{name: "integer in an array", text: "sim = true\nallow = [\"10.0.0.0/8\", 8]\n", line: 2, want: "allow: in the array: want a string, not the integer 8"},
		{name: "table for a string", text: "sim = true\n[device]\npath = \"/dev/ttyUSB2\"\n", line: 2, want: "device: want a string, not a table"},
		{name: "bad duration", text: "sim = true\nholdoff = \"5 parsecs\"\n", line: 2, want: `invalid argument "5 parsecs" for "--holdoff" flag`},
		{name: "password", text: "sim = true\nuser = \"me\"\npassword = \"hunter2\"\n", line: 3, want: "password: secrets never go in a configuration file; use password-file or GPRSPPP_PASSWORD"},
		{name: "pin", text: "pin = \"1234\"\n", line: 1, want: "use pin-file or GPRSPPP_PIN"},
		{name: "proxy password", text: "sim = true\n\n\nproxy-password = \"x\"\n", line: 4, want: "use proxy-password-file or GPRSPPP_PROXY_PASSWORD"},
		{name: "duplicated key", text: "sim = true\napn = \"a\"\napn = \"b\"\n", line: 3, want: "'apn' has already been defined"},
		{name: "key after a multi-line string", text: "sim = true\ndial = \"\"\"\ndvice = 1\n\"\"\"\ndvice = 2\n", line: 5, want: `unknown key "dvice"`},
		{name: "bad element of a multi-line array", text: "sim = true\n\nallow = [\n  \"10.0.0.0/8\",\n  8,\n]\n", line: 3, want: "allow: in the array"},
		{name: "first bad key by line", text: "sim = true\nzzz = 1\naaa = 2\n", line: 2, want: `unknown key "zzz"`},
		{name: "bad forward", text: "sim = true\nlocal = [\"8022:127.0.0.1:22\"]\n", want: "-L 8022:127.0.0.1:22: "},
		{name: "bad allow", text: "sim = true\nallow = [\"banana\"]\n", want: `allow "banana"`},
		{name: "bad socks5", text: "sim = true\nsocks5 = \"99999\"\n", want: "--socks5 99999: a port is 1 to 65535"},
		{name: "unreadable secret", text: "sim = true\npassword-file = \"/nonexistent/pw\"\n", want: "/nonexistent/pw: no such file"},
		{name: "proxy user without password", text: "sim = true\nproxy-user = \"me\"\n", want: "--proxy-user needs a password"},
		{name: "no modem", text: "apn = \"internet\"\n", want: "name the modem with --device, or use --sim"},
		{name: "shim ok", command: "shim", text: "sim = true\nlisten = [\"pty:/tmp/ttyQ\", \"tcp://127.0.0.1:5000\", \"serial:/dev/ttyS1@9600\"]\nmax-send = 4096\n"},
		{name: "shim without listen", command: "shim", text: "sim = true\n", want: "name at least one --listen"},
		{name: "shim bad listen", command: "shim", text: "sim = true\nlisten = [\"udp://:5000\"]\n", want: "--listen udp://:5000: want pty[:LINK]"},
		{name: "shim bad baud", command: "shim", text: "sim = true\nlisten = [\"serial:/dev/ttyS1@fast\"]\n", want: `bad baud rate "fast"`},
		{name: "connect's key in shim", command: "shim", text: "sim = true\nlisten = [\"pty\"]\nsocks5 = true\n", line: 3, want: `unknown key "socks5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "c.toml", tt.text)
			var out bytes.Buffer
			err := runConfigCheck(context.Background(), &out, cmpOr(tt.command, "connect"), path)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want ok", err)
				}
				if got, want := out.String(), path+": ok\n"; got != want {
					t.Errorf("printed %q, want %q", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ok (%q), want an error saying %q", out.String(), tt.want)
			}
			var e *exitError
			if !errors.As(err, &e) || e.code != exitUsage {
				t.Errorf("err %v: want exit status %d", err, exitUsage)
			}
			prefix := path + ": "
			if tt.line > 0 {
				prefix = fmt.Sprintf("%s:%d: ", path, tt.line)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.want) {
				t.Errorf("err = %q\nwant it to start %q and say %q", msg, prefix, tt.want)
			}
		})
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// As a command: "FILE: ok" and 0, or the error on standard error and 1.
func TestConfigCheckCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if err := os.MkdirAll(filepath.Join(dir, "gprsppp"), 0o755); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "gprsppp", "good.toml")
	if err := os.WriteFile(good, []byte("sim = true\nsocks5 = \"1080\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startChild(t, "config", "check", "good")
	if code := c.wait(t, 30*time.Second); code != 0 || c.out.text() != good+": ok\n" {
		t.Errorf("config check good: exit %d, %q; want exit 0, %q", code, c.out.text(), good+": ok\n")
	}

	bad := writeFile(t, "bad.toml", "sim = true\npersist = 1\n")
	code, stderr := runBinary(t, "config", "check", bad)
	if want := "gprsppp: " + bad + ":2: persist: want true or false, not the integer 1\n"; code != 1 || stderr != want {
		t.Errorf("config check bad: exit %d, %q; want exit 1, %q", code, stderr, want)
	}
	code, stderr = runBinary(t, "config", "check", "--command", "sim", bad)
	if code != 1 || !strings.Contains(stderr, `--command "sim": want connect or shim`) {
		t.Errorf("config check --command sim: exit %d, %q", code, stderr)
	}
}

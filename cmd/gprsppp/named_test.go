package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// parsedConnect runs "gprsppp args..." as far as connect's handling of
// its arguments (NAME, a bare --socks5's address) and returns connect's
// flags as the command would then run with them.
func parsedConnect(t *testing.T, args ...string) (*pflag.FlagSet, error) {
	t.Helper()
	root := newRoot()
	c, _, err := root.Find([]string{"connect"})
	if err != nil {
		t.Fatal(err)
	}
	var got *pflag.FlagSet
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if err := connectArgs(cmd, args); err != nil {
			return err
		}
		got = cmd.Flags()
		return nil
	}
	root.SetArgs(args)
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	return got, root.Execute()
}

// writeFile writes a file in a new temporary directory.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// customSamples are non-default values for flags of the command's own
// types, by pflag type name.
var customSamples = map[string]string{
	"level":      "debug",
	"format":     "json",
	"categories": "ppp,at",
}

// nonDefault is a value other than f's default, as the TOML value for
// its key and as its command-line arguments.
func nonDefault(t *testing.T, f *pflag.Flag) (toml string, args []string) {
	t.Helper()
	name := f.Name
	one := func(s, quoted string) (string, []string) { return quoted, []string{"--" + name + "=" + s} }
	switch typ := f.Value.Type(); typ {
	case "bool":
		b := f.DefValue != "true"
		return one(strconv.FormatBool(b), strconv.FormatBool(b))
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "count":
		n, _ := strconv.ParseInt(f.DefValue, 10, 64)
		s := strconv.FormatInt(n+1, 10)
		return one(s, s)
	case "float32", "float64":
		x, _ := strconv.ParseFloat(f.DefValue, 64)
		s := strconv.FormatFloat(x+0.5, 'g', -1, 64)
		return one(s, s)
	case "duration":
		d, _ := time.ParseDuration(f.DefValue)
		s := (d + 1500*time.Millisecond).String()
		return one(s, strconv.Quote(s))
	case "string":
		s := "x-" + name
		return one(s, strconv.Quote(s))
	case "stringArray", "stringSlice":
		elems := []string{"a-" + name, "b-" + name}
		for _, e := range elems {
			args = append(args, "--"+name+"="+e)
		}
		return fmt.Sprintf("[%q, %q]", elems[0], elems[1]), args
	default:
		s, ok := customSamples[typ]
		if !ok {
			t.Fatalf("--%s has type %s: add a sample value to customSamples", name, typ)
		}
		return one(s, strconv.Quote(s))
	}
}

// Every flag of connect, global ones too, has a key, and a file that
// sets them all is read as the same flags on the command line would be;
// the command line overrides the file.
func TestNamedConfigRoundTrip(t *testing.T) {
	fl, err := parsedConnect(t, "connect")
	if err != nil {
		t.Fatal(err)
	}
	var file strings.Builder
	var cli []string
	var names []string
	fl.VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		v, args := nonDefault(t, f)
		fmt.Fprintf(&file, "%s = %s\n", f.Name, v)
		cli = append(cli, args...)
		names = append(names, f.Name)
	})
	for _, want := range []string{"device", "apn", "socks5", "local", "persist", "holdoff", "baud", "verbose"} {
		if !slices.Contains(names, want) {
			t.Errorf("no key %q among %v", want, names)
		}
	}
	path := writeFile(t, "all.toml", file.String())
	t.Logf("%s:\n%s", path, file.String())

	fromFile, err := parsedConnect(t, "connect", path)
	if err != nil {
		t.Fatal(err)
	}
	fromCLI, err := parsedConnect(t, append([]string{"connect"}, cli...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		got, want := fromFile.Lookup(name), fromCLI.Lookup(name)
		if got.Value.String() != want.Value.String() {
			t.Errorf("%s: from the file %q, from the command line %q", name, got.Value.String(), want.Value.String())
		}
		if got.Value.String() == got.DefValue {
			t.Errorf("%s: still the default %q", name, got.DefValue)
		}
	}

	over, err := parsedConnect(t, "connect", "--apn", "cli", "-L", "9000:10.0.0.9:9", "--persist=false", "-v=false", path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"apn": "cli", "local": "[9000:10.0.0.9:9]", "persist": "false", "verbose": "false",
		"device": "x-device", "holdoff": "6.5s", "baud": "115201", "remote": "[a-remote,b-remote]"}
	got := map[string]string{}
	for name := range want {
		got[name] = over.Lookup(name).Value.String()
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("command line over the file (-want +got):\n%s", diff)
	}
}

// A file's values reach connect's own settings, not only its flag set.
func TestNamedConfigValues(t *testing.T) {
	path := writeFile(t, "home.toml", `# the office modem
device = "/dev/ttyUSB2"
apn = "internet"
socks5 = true
local = ["8022:10.0.0.5:22", "8053:10.0.0.5:53/udp"]
persist = true
holdoff = "7s"
baud = 57600
verbose = true
`)
	fl, err := parsedConnect(t, "connect", path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"device": "/dev/ttyUSB2", "apn": "internet", "socks5": defaultSOCKS5,
		"local": "[8022:10.0.0.5:22,8053:10.0.0.5:53/udp]", "persist": "true", "holdoff": "7s", "baud": "57600", "verbose": "true"}
	got := map[string]string{}
	for name := range want {
		got[name] = fl.Lookup(name).Value.String()
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// NAME is the user's NAME.toml, else the system's; a path ending in
// .toml is itself.
func TestNamedConfigResolve(t *testing.T) {
	user, system, home := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", user)
	t.Setenv("HOME", home)
	old := systemConfigDir
	systemConfigDir = system
	t.Cleanup(func() { systemConfigDir = old })
	put := func(dir, name string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(`apn = "`+dir+`"`), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	both := put(filepath.Join(user, "gprsppp"), "both.toml")
	put(system, "both.toml")
	sys := put(system, "sys.toml")
	homeFile := put(filepath.Join(home, ".config", "gprsppp"), "home.toml")
	path := put(t.TempDir(), "any.toml")

	tests := []struct {
		name, arg, xdg, want, wantErr string
	}{
		{name: "user's first", arg: "both", xdg: user, want: both},
		{name: "system's when the user has none", arg: "sys", xdg: user, want: sys},
		{name: "a path", arg: path, xdg: user, want: path},
		{name: "XDG_CONFIG_HOME unset", arg: "home", want: homeFile},
		{name: "XDG_CONFIG_HOME relative", arg: "home", xdg: "relative", want: homeFile},
		{name: "missing", arg: "nope", xdg: user, wantErr: fmt.Sprintf(`no configuration "nope": none of %s, %s exists`,
			filepath.Join(user, "gprsppp", "nope.toml"), filepath.Join(system, "nope.toml"))},
		{name: "a path without .toml", arg: "./conf/home", xdg: user, wantErr: "a NAME (for NAME.toml in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", tt.xdg)
			got, err := resolveName(tt.arg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("resolveName(%q) = %q, %v; want an error saying %q", tt.arg, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("resolveName(%q) = %q, %v; want %q", tt.arg, got, err, tt.want)
			}
			// And through the command.
			fl, err := parsedConnect(t, "connect", tt.arg)
			if err != nil {
				t.Fatal(err)
			}
			if apn := fl.Lookup("apn").Value.String(); apn != filepath.Dir(got) {
				t.Errorf("apn %q: not from %s", apn, got)
			}
		})
	}
}

// "--socks5 ADDR" with a space still gives the SOCKS5 address; other
// arguments are NAME.
func TestConnectSOCKS5OrName(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if err := os.MkdirAll(filepath.Join(dir, "gprsppp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "gprsppp", "home.toml"), []byte("apn = \"home\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		socks5    string
		apn       string
		errString string
	}{
		{"bare port", []string{"--socks5", "1081"}, "1081", "", ""},
		{"bare out-of-range port", []string{"--socks5", "99999"}, "99999", "", ""},
		{"bare host:port", []string{"--socks5", "0.0.0.0:1081"}, "0.0.0.0:1081", "", ""},
		{"bare [v6]:port", []string{"--socks5", "[::1]:1081"}, "[::1]:1081", "", ""},
		{"address then NAME", []string{"--socks5", "1081", "home"}, "1081", "home", ""},
		{"NAME after a bare --socks5", []string{"--socks5", "home"}, defaultSOCKS5, "home", ""},
		{"NAME before --socks5", []string{"home", "--socks5"}, defaultSOCKS5, "home", ""},
		{"--socks5=ADDR and NAME", []string{"--socks5=1081", "home"}, "1081", "home", ""},
		{"a port without --socks5", []string{"1081"}, "", "", `no configuration "1081"`},
		{"three arguments", []string{"--socks5", "1081", "home", "x"}, "", "", "accepts at most 2 arg(s)"},
		{"two names", []string{"home", "home"}, "", "", `unexpected argument "home"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fl, err := parsedConnect(t, append([]string{"connect"}, tt.args...)...)
			if tt.errString != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errString) {
					t.Fatalf("err = %v, want one saying %q", err, tt.errString)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := [2]string{fl.Lookup("socks5").Value.String(), fl.Lookup("apn").Value.String()}
			if diff := cmp.Diff([2]string{tt.socks5, tt.apn}, got); diff != "" {
				t.Errorf("[socks5, apn] (-want +got):\n%s", diff)
			}
		})
	}
}

// The README's example file is a valid configuration for connect.
func TestNamedConfigREADMEExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Named configurations")
	_, rest, ok2 := strings.Cut(rest, "```toml\n")
	example, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("no ```toml block under the README's \"Named configurations\"")
	}
	fl, err := parsedConnect(t, "connect", writeFile(t, "office.toml", example))
	if err != nil {
		t.Fatal(err)
	}
	if got := fl.Lookup("device").Value.String(); got != "/dev/ttyUSB2" {
		t.Errorf("device %q", got)
	}
}

// A named configuration names the link ("gprsppp status NAME") unless
// the file or a flag names it otherwise.
func TestNamedConfigNamesTheLink(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, file string
		flags      []string
		want       string
	}{
		{"from the configuration", `apn = "internet"`, nil, "gateway"},
		{"from the file", `name = "other"`, nil, "other"},
		{"from the flag", `apn = "internet"`, []string{"--name", "flag"}, "flag"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "gateway.toml")
			if err := os.WriteFile(path, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := newConnect(&globals{})
			if err := cmd.ParseFlags(tt.flags); err != nil {
				t.Fatal(err)
			}
			if err := namedArgs(cmd, []string{path}); err != nil {
				t.Fatal(err)
			}
			if got := cmd.Flags().Lookup("name").Value.String(); got != tt.want {
				t.Errorf("--name %q, want %q", got, tt.want)
			}
		})
	}
}

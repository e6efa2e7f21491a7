package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/shim"
)

// --dialect takes m95 or bg96 (m95 by default), and a --listen spec's
// ,dialect=NAME suffix overrides it for that listener alone.

// allDialects is how a dialect error lists the dialects.
var allDialects = strings.Join(shim.DialectNames(), ", ")

func TestShimDialectFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []shim.Dialect // each --listen's dialect; nil: want an error
		err  string         // in the error
	}{
		{name: "default", args: []string{"--listen", "pty", "--listen", "tcp://127.0.0.1:5000"},
			want: []shim.Dialect{shim.DialectM95, shim.DialectM95}},
		{name: "flag", args: []string{"--dialect", "bg96", "--listen", "pty:/tmp/ttyQ"},
			want: []shim.Dialect{shim.DialectBG96}},
		{name: "flag any case", args: []string{"--dialect=BG96", "--listen", "pty"},
			want: []shim.Dialect{shim.DialectBG96}},
		{name: "suffix overrides the default", args: []string{"--listen", "pty:/tmp/ttyBG96,dialect=bg96", "--listen", "tcp://127.0.0.1:5000"},
			want: []shim.Dialect{shim.DialectBG96, shim.DialectM95}},
		{name: "suffix overrides the flag", args: []string{"--dialect", "bg96", "--listen", "serial:/dev/ttyS1@9600,dialect=m95", "--listen", "tcp://127.0.0.1:5000"},
			want: []shim.Dialect{shim.DialectM95, shim.DialectBG96}},
		{name: "unknown flag value", args: []string{"--dialect", "sim7600", "--listen", "pty"},
			err: `invalid argument "sim7600" for "--dialect" flag: unknown dialect "sim7600": want one of ` + allDialects},
		{name: "empty flag value", args: []string{"--dialect=", "--listen", "pty"}, err: `unknown dialect ""`},
		{name: "unknown suffix value", args: []string{"--listen", "tcp://127.0.0.1:5000,dialect=bg95"},
			err: `--listen tcp://127.0.0.1:5000,dialect=bg95: unknown dialect "bg95": want one of ` + allDialects},
		{name: "unknown option", args: []string{"--listen", "pty:/tmp/ttyQ,dialekt=bg96"},
			err: `--listen pty:/tmp/ttyQ,dialekt=bg96: unknown option "dialekt": the one option is ,dialect=m95|bg96`},
		{name: "suffix twice", args: []string{"--listen", "pty,dialect=bg96,dialect=m95"}, err: "dialect given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fl := newShim(&globals{}).Flags()
			err := fl.Parse(tt.args)
			var got []shim.Dialect
			if err == nil {
				// The flags as runShim gets them.
				f := shimFlags{dialect: *fl.Lookup("dialect").Value.(*dialectFlag)}
				f.listen, _ = fl.GetStringArray("listen")
				var ls []shimListen
				ls, err = parseShimListens(f)
				for _, l := range ls {
					got = append(got, l.dialect)
				}
			}
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dialects (-want +got):\n%s", diff)
			}
		})
	}
}

// The flag's help names the dialects, and --max-connections defaults to
// 0, the dialect's module's count, as its help says.
func TestShimDialectFlagHelp(t *testing.T) {
	fl := newShim(&globals{}).Flags()
	d := fl.Lookup("dialect")
	if d.DefValue != "m95" || !strings.Contains(d.Usage, "m95 or bg96") {
		t.Errorf("--dialect: default %q, help %q", d.DefValue, d.Usage)
	}
	m := fl.Lookup("max-connections")
	if m.DefValue != "0" || !strings.Contains(m.Usage, "6 on the M95, 12 on the BG96") {
		t.Errorf("--max-connections: default %q, help %q", m.DefValue, m.Usage)
	}
}

// A bad dialect, on the flag or on a listener, ends gprsppp shim with
// the usage status and a message naming the valid dialects, before it
// opens anything.
func TestShimDialectBadProcess(t *testing.T) {
	for _, args := range [][]string{
		{"shim", "--sim", "--dialect", "m66", "--listen", "tcp://127.0.0.1:0"},
		{"shim", "--sim", "--listen", "tcp://127.0.0.1:0,dialect=m66"},
	} {
		code, stderr := runBinary(t, args...)
		if code != exitUsage || !strings.Contains(stderr, `unknown dialect "m66": want one of `+allDialects) {
			t.Errorf("gprsppp %s: exit %d with\n%s\nwant exit %d naming the dialects", strings.Join(args, " "), code, stderr, exitUsage)
		}
	}
}

// config check reads dialect as a key and checks it and every listen
// suffix, pointing at the key's line for a bad value of the key.
func TestShimDialectConfigCheck(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // in the error; "" for ok
	}{
		{name: "ok", text: "sim = true\ndialect = \"bg96\"\nlisten = [\"pty:/tmp/ttyQ\", \"tcp://127.0.0.1:5000,dialect=m95\"]\n"},
		{name: "bad key", text: "sim = true\nlisten = [\"pty\"]\ndialect = \"bg77\"\n", want: ":3: invalid argument \"bg77\" for \"--dialect\" flag: unknown dialect \"bg77\": want one of " + allDialects},
		{name: "bad suffix", text: "sim = true\nlisten = [\"pty\", \"tcp://127.0.0.1:5000,dialect=bg77\"]\n", want: `--listen tcp://127.0.0.1:5000,dialect=bg77: unknown dialect "bg77"`},
		{name: "module of two ptys", text: "sim = true\nlisten = [\"pty:/tmp/mdm,pty:/tmp/mdm2,dialect=telit\"]\n"},
		{name: "bad address under the suffix", text: "sim = true\nlisten = [\"tcp://127.0.0.1,dialect=bg96\"]\n", want: "--listen tcp://127.0.0.1,dialect=bg96: address 127.0.0.1: missing port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "shim.toml", tt.text)
			var out bytes.Buffer
			err := runConfigCheck(context.Background(), &out, "shim", path)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want ok", err)
				}
				return
			}
			var e *exitError
			if !errors.As(err, &e) || e.code != exitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want exit status %d saying %q", err, exitUsage, tt.want)
			}
		})
	}
}

// One gprsppp shim on the simulator with two listeners, an M95's (the
// default) and a BG96's (its spec's suffix): each says so on its
// "listening:" line, and each host gets its own module's answers at once:
// its identity (ATI) and its number of connections (the BG96's connectIDs
// are 0 to 11, the M95's connection indexes 0 to 5).
func TestShimTwoDialects(t *testing.T) {
	c := startChild(t, "shim", "--sim", "--holdoff", "100ms",
		"--listen", "tcp://127.0.0.1:0", "--listen", "tcp://127.0.0.1:0,dialect=bg96")
	t.Cleanup(func() { c.stop(t) })
	var addrs []string
	for _, want := range []string{"m95", "bg96"} {
		l := c.await(t, "listening:", 60*time.Second)
		addr, ok := strings.CutSuffix(strings.TrimPrefix(l, "listening: tcp "), " ("+want+")")
		if !ok {
			t.Fatalf("%q: want the listener's dialect, %s", l, want)
		}
		addrs = append(addrs, addr)
	}
	c.await(t, "ready", 60*time.Second)

	m95, bg96 := dialHost(t, "m95", addrs[0]), dialHost(t, "bg96", addrs[1])
	for _, h := range []*testHost{m95, bg96} {
		h.ask(t, "ATE0")
	}
	ati := map[*testHost][]string{
		m95:  {"Quectel_Ltd", "Quectel_M95", "Revision: M95", "OK"},
		bg96: {"Quectel", "BG96", "Revision: BG96", "OK"},
	}
	for h, want := range ati {
		got := h.ask(t, "ATI")
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || !strings.HasPrefix(got[2], want[2]) || got[3] != want[3] {
			t.Errorf("%s ATI: %q, want %q (the revision's start)", h.name, got, want)
		}
	}
	if got, want := bg96.ask(t, "AT+QISTATE=1,11"), []string{"OK"}; !cmp.Equal(got, want) {
		t.Errorf("bg96 AT+QISTATE=1,11: %q, want %q", got, want)
	}
	if got, want := m95.ask(t, "AT+QISTATE=1,11"), []string{"ERROR"}; !cmp.Equal(got, want) {
		t.Errorf("m95 AT+QISTATE=1,11: %q, want %q", got, want)
	}
}

// testHost is a host on a shim's TCP listener.
type testHost struct {
	name string // its listener's dialect
	c    net.Conn
	r    *bufio.Reader
}

func dialHost(t *testing.T, name, addr string) *testHost {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(60 * time.Second))
	return &testHost{name: name, c: c, r: bufio.NewReader(c)}
}

// ask sends cmd and returns the answer's non-empty lines up to its final
// result (OK, ERROR, +CME ERROR), leaving out the echo of cmd.
func (h *testHost) ask(t *testing.T, cmd string) []string {
	t.Helper()
	if _, err := io.WriteString(h.c, cmd+"\r"); err != nil {
		t.Fatal(err)
	}
	var answer []string
	for {
		l, err := h.r.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: %v (got %q)", cmd, err, answer)
		}
		if l = strings.TrimSpace(l); l == "" || l == cmd {
			continue
		}
		answer = append(answer, l)
		if l == "OK" || l == "ERROR" || strings.HasPrefix(l, "+CME ERROR:") {
			return answer
		}
	}
}

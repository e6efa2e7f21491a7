package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/gprsppp/gprsppp/internal/hook"
	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// runtimeDir gives the test a control socket directory of its own.
func runtimeDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	t.Setenv("GPRSPPP_RUNTIME_DIR", dir)
	return dir
}

// scrapeMetrics fetches url and returns each sample, "name" or
// `name{label="value"}` (the link label left out), with its value.
func scrapeMetrics(t *testing.T, url string) map[string]float64 {
	t.Helper()
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			key := name
			for _, l := range m.GetLabel() {
				if l.GetName() != "link" {
					key += fmt.Sprintf("{%s=%q}", l.GetName(), l.GetValue())
				}
			}
			switch {
			case m.Counter != nil:
				got[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				got[key] = m.Gauge.GetValue()
			}
		}
	}
	return got
}

// statusOf runs "gprsppp status [name] --json" in dir.
func statusOf(t *testing.T, dir, name string) linkstate.Status {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := runStatus(ctx, &out, []string{dir}, name, true); err != nil {
		t.Fatal(err)
	}
	var st linkstate.Status
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatalf("%v: %s", err, out.Bytes())
	}
	return st
}

// gprsppp status and /metrics while curl downloads through SOCKS5: the
// counters grow between two looks, and agree with each other.
func TestStatusMetricsDuringTransfer(t *testing.T) {
	dir := runtimeDir(t)
	socks, metrics := freeAddr(t), freeAddr(t)
	startConnect(t, connectFlags{simulate: true, socks5: socks, maxfail: 1, ops: opsFlags{metrics: metrics}})
	url := "http://" + metrics + "/metrics"

	bin := testenv.NeedTool(t, "curl", "apt-get install curl")
	curl := exec.Command(bin, "-sS", "--fail", "--max-time", "60", "--socks5-hostname", socks, "http://"+simName+"/pattern.bin")
	body, err := curl.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := curl.Start(); err != nil {
		t.Fatal(err)
	}
	defer curl.Process.Kill()
	sum := sha256.New()
	read := 0
	readUntil := func(n int) {
		t.Helper()
		k, err := io.CopyN(sum, body, int64(n-read))
		read += int(k)
		if err != nil && err != io.EOF {
			t.Fatal(err)
		}
	}

	readUntil(64 << 10)
	m1, st1 := scrapeMetrics(t, url), statusOf(t, dir, "")
	// What curl has read crossed the link: reading past the octets the
	// first look counted makes the second count more.
	seen := max(int(m1["gprsppp_received_bytes_total"]), int(st1.Link.OctetsIn))
	readUntil(seen + 1)
	if read <= seen {
		t.Fatalf("the whole download (%d octets) crossed the link before the first look", read)
	}
	m2, st2 := scrapeMetrics(t, url), statusOf(t, dir, "sim")
	readUntil(8 << 20)
	if err := curl.Wait(); err != nil {
		t.Fatalf("curl: %v", err)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != patternDigest() {
		t.Errorf("pattern.bin: sha256 %s, %d octets", got, read)
	}

	for _, m := range []map[string]float64{m1, m2} {
		if m["gprsppp_link_up"] != 1 || m[`gprsppp_link_state{state="up"}`] != 1 || m["gprsppp_modem_signal_rssi"] != 20 {
			t.Errorf("link_up %v, state up %v, rssi %v", m["gprsppp_link_up"], m[`gprsppp_link_state{state="up"}`], m["gprsppp_modem_signal_rssi"])
		}
	}
	for _, k := range []string{"gprsppp_received_bytes_total", "gprsppp_received_frames_total", "gprsppp_received_packets_total", "gprsppp_sent_bytes_total", "gprsppp_link_uptime_seconds"} {
		if !(m1[k] > 0 && m2[k] > m1[k]) {
			t.Errorf("%s: %v, then %v; want it to grow", k, m1[k], m2[k])
		}
	}
	if m2["gprsppp_fcs_errors_total"] != 0 || m2["gprsppp_redials_total"] != 0 {
		t.Errorf("fcs errors %v, redials %v", m2["gprsppp_fcs_errors_total"], m2["gprsppp_redials_total"])
	}

	if st1.State != linkstate.Up || st1.Name != "sim" || st1.Address != netip.MustParseAddr("10.64.64.2") ||
		!slices.Equal(st1.DNS, []netip.Addr{netip.MustParseAddr("10.64.64.1")}) || st1.Uptime <= 0 ||
		st1.Signal != "20,99" || !strings.HasPrefix(st1.Registration, "+C") || st1.Redials != 0 {
		t.Errorf("status %+v", st1)
	}
	if !(st1.Link.OctetsIn < st2.Link.OctetsIn && st1.Link.IPIn < st2.Link.IPIn && st1.Link.OctetsOut < st2.Link.OctetsOut) {
		t.Errorf("status counters did not grow: %+v, then %+v", st1.Link, st2.Link)
	}
	// The second status came after the second scrape.
	if st2.Link.OctetsIn < uint64(m2["gprsppp_received_bytes_total"]) {
		t.Errorf("status says %d octets in after metrics said %v", st2.Link.OctetsIn, m2["gprsppp_received_bytes_total"])
	}

	var out bytes.Buffer
	if err := runStatus(context.Background(), &out, []string{dir}, "", false); err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{
		`name: +sim \(sim\)\n`, `state: +up\n`, `address: +10\.64\.64\.2 \(peer 10\.64\.64\.1\)\n`, `dns: +\[10\.64\.64\.1\]\n`,
		`uptime: +\S+\n`, `sent: +\d+ bytes, \d+ frames, \d+ IP packets\n`, `received: +[1-9]\d{6,} bytes`,
		`fcs errors: +0\n`, `drops: +\d+\n`, `redials: +0\n`, `last reason: +-\n`, `signal: +\+CSQ: 20,99 \(-73 dBm\) at `,
		`registration: +\+C`,
	} {
		if !regexp.MustCompile(re).MatchString(out.String()) {
			t.Errorf("status lacks %s:\n%s", re, out.String())
		}
	}
}

// stopCollect interrupts connect and returns the lines it printed from
// then on.
func stopCollect(t *testing.T, r *connectRun) []string {
	t.Helper()
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("connect after interrupt: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("connect still running 30 s after interrupt")
	}
	var lines []string
	for l := range r.lines {
		lines = append(lines, l)
	}
	return lines
}

var connectTimeLine = regexp.MustCompile(`^Connect time (\d+)\.(\d) minutes\. Sent (\d+) bytes, received (\d+) bytes\.$`)

func TestConnectTimeFormat(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "Connect time 0.0 minutes."},
		{time.Second, "Connect time 0.1 minutes."}, // pppd's (seconds+5)/6 tenths
		{6 * time.Second, "Connect time 0.1 minutes."},
		{7 * time.Second, "Connect time 0.2 minutes."},
		{192 * time.Second, "Connect time 3.2 minutes."},
		{time.Hour, "Connect time 60.0 minutes."},
	} {
		t.Run(tc.d.String(), func(t *testing.T) {
			got := connectTime(tc.d, gprsppp.Stats{OctetsOut: 12345, OctetsIn: 67890})
			if want := tc.want + " Sent 12345 bytes, received 67890 bytes."; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// Ending a link prints pppd's connect time and byte counts, before
// "link closed".
func TestConnectTimeLine(t *testing.T) {
	runtimeDir(t)
	socks := freeAddr(t)
	r := startConnect(t, connectFlags{simulate: true, socks5: socks, maxfail: 1})
	page := curl(t, "--socks5-hostname", socks, "http://"+simName+"/")
	lines := stopCollect(t, r)
	i := slices.IndexFunc(lines, connectTimeLine.MatchString)
	if i < 0 || i+1 >= len(lines) || lines[i+1] != "link closed" {
		t.Fatalf("no Connect time line just before \"link closed\": %q", lines)
	}
	f := connectTimeLine.FindStringSubmatch(lines[i])
	sent, _ := strconv.Atoi(f[3])
	received, _ := strconv.Atoi(f[4])
	if sent < 100 || received < len(page) {
		t.Errorf("%q: the page alone was %d octets", lines[i], len(page))
	}
}

// scriptEnv makes a script that writes its arguments and environment to
// a FIFO, and returns its path and what it will write.
func dumpScript(t *testing.T, dir, name string) (string, <-chan map[string]string) {
	t.Helper()
	fifo := filepath.Join(dir, name+".fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	body := "#!/bin/sh\n{ i=0; for a in \"$@\"; do i=$((i+1)); echo \"ARG$i=$a\"; done; env; } > " + fifo + "\n"
	if err := os.WriteFile(path, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	ch := make(chan map[string]string, 1)
	go func() {
		b, err := os.ReadFile(fifo) // waits for the script to open it
		if err != nil {
			t.Error(err)
		}
		env := map[string]string{}
		for l := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(strings.TrimSuffix(l, "\n"), "="); ok {
				env[k] = v
			}
		}
		ch <- env
	}()
	return path, ch
}

func receiveEnv(t *testing.T, ch <-chan map[string]string, what string) map[string]string {
	t.Helper()
	select {
	case env := <-ch:
		return env
	case <-time.After(30 * time.Second):
		t.Fatalf("the %s script did not run within 30 s", what)
		return nil
	}
}

// --up-script and --down-script run with pppd's ip-up and ip-down
// arguments and environment, and nothing else of ours.
func TestConnectScripts(t *testing.T) {
	runtimeDir(t)
	t.Setenv("GPRSPPP_TEST_SECRET", "must not reach the scripts")
	dir := t.TempDir()
	up, upEnv := dumpScript(t, dir, "up")
	down, downEnv := dumpScript(t, dir, "down")
	socks := freeAddr(t)
	r := startConnect(t, connectFlags{simulate: true, socks5: socks, maxfail: 1,
		ops: opsFlags{name: "hooktest", upScript: up, downScript: down}})
	got := receiveEnv(t, upEnv, "up")
	socket := filepath.Join(os.Getenv("GPRSPPP_RUNTIME_DIR"), "hooktest.sock")
	want := map[string]string{
		"ARG1": "hooktest", "ARG2": "sim", "ARG4": "10.64.64.2", "ARG5": "10.64.64.1",
		"LINKNAME": "hooktest", "DEVICE": "sim", "IPLOCAL": "10.64.64.2", "IPREMOTE": "10.64.64.1",
		"DNS1": "10.64.64.1", "GPRSPPP_NAME": "hooktest", "GPRSPPP_EVENT": "up", "GPRSPPP_SIGNAL": "20,99",
		"GPRSPPP_PID": strconv.Itoa(os.Getpid()), "GPRSPPP_SOCKET": socket, "PATH": hook.Path,
	}
	check := func(got, want map[string]string, absent ...string) {
		t.Helper()
		sub := map[string]string{}
		for k := range want {
			sub[k] = got[k]
		}
		if diff := cmp.Diff(want, sub); diff != "" {
			t.Errorf("environment (-want +got):\n%s", diff)
		}
		for _, k := range absent {
			if v, ok := got[k]; ok {
				t.Errorf("%s=%s", k, v)
			}
		}
	}
	check(got, want, "GPRSPPP_TEST_SECRET", "DNS2", "CONNECT_TIME", "BYTES_SENT")

	curl(t, "--socks5-hostname", socks, "http://"+simName+"/")
	lines := stopCollect(t, r)
	got = receiveEnv(t, downEnv, "down")
	i := slices.IndexFunc(lines, connectTimeLine.MatchString)
	if i < 0 {
		t.Fatalf("no Connect time line: %q", lines)
	}
	f := connectTimeLine.FindStringSubmatch(lines[i])
	want["GPRSPPP_EVENT"] = "down"
	want["CONNECT_TIME"] = "0"
	want["BYTES_SENT"], want["BYTES_RCVD"] = f[3], f[4]
	want["GPRSPPP_REASON"] = "link closed"
	check(got, want, "GPRSPPP_TEST_SECRET")
}

// Under systemd: READY=1 once the link is up, STATUS= lines along the
// way, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 at the end.
func TestConnectSdNotify(t *testing.T) {
	runtimeDir(t)
	dir, err := os.MkdirTemp("", "sd") // short: sun_path holds 108 octets
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket := filepath.Join(dir, "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: socket, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := make(chan string, 1000)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			got <- string(buf[:n])
		}
	}()
	t.Setenv("NOTIFY_SOCKET", socket)
	t.Setenv("WATCHDOG_USEC", "20000")
	// await returns the notices up to the first that matches want.
	await := func(want string) []string {
		t.Helper()
		var seen []string
		deadline := time.After(30 * time.Second)
		for {
			select {
			case s := <-got:
				seen = append(seen, s)
				if strings.HasPrefix(s, want) {
					return seen
				}
			case <-deadline:
				t.Fatalf("no %q within 30 s; got %q", want, seen)
			}
		}
	}
	r := startConnect(t, connectFlags{simulate: true, maxfail: 1})
	seen := await("READY=1")
	if !slices.Contains(seen, "STATUS=dialing sim") {
		t.Errorf("no STATUS=dialing before READY=1: %q", seen)
	}
	if s := await("STATUS=up"); s[len(s)-1] != "STATUS=up: address 10.64.64.2, DNS [10.64.64.1]" {
		t.Errorf("got %q", s[len(s)-1])
	}
	await("WATCHDOG=1")
	await("WATCHDOG=1")
	stopCollect(t, r)
	if s := await("STATUS=link down"); s[len(s)-1] != "STATUS=link down: link closed" {
		t.Errorf("got %q", s[len(s)-1])
	}
	await("STOPPING=1")
}

// gprsppp status without a NAME: the only link, a list of several, or
// an error when none runs.
func TestStatusCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(name string) (string, error) {
		var out bytes.Buffer
		err := runStatus(ctx, &out, []string{dir, filepath.Join(dir, "missing")}, name, false)
		return out.String(), err
	}
	if _, err := run(""); err == nil || !strings.Contains(err.Error(), "no gprsppp connect or shim is running (no control socket in "+dir) {
		t.Errorf("nothing running: %v", err)
	}
	serve := func(name string, st linkstate.Status) {
		ln, err := control.Listen(filepath.Join(dir, name+".sock"))
		if err != nil {
			t.Fatal(err)
		}
		go control.Serve(ctx, ln, map[string]control.Handler{"status": func() (any, error) { return st, nil }}, nil)
	}
	serve("a", linkstate.Status{Name: "a", Device: "/dev/ttyUSB2", State: linkstate.Up,
		Address: netip.MustParseAddr("10.1.2.3"), Uptime: 90 * time.Second})
	out, err := run("")
	if err != nil || !strings.Contains(out, "name:         a (/dev/ttyUSB2)\n") || !strings.Contains(out, "uptime:       1m30s\n") {
		t.Errorf("one link: %v\n%s", err, out)
	}
	serve("b", linkstate.Status{Name: "b", Device: "sim", State: linkstate.Down, Redials: 3, LastReason: "gprsppp: keepalive"})
	// A socket its process left behind.
	ln, err := net.Listen("unix", filepath.Join(dir, "c.sock"))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	out, err = run("")
	want := `NAME  STATE  ADDRESS   UPTIME
a     up     10.1.2.3  1m30s
b     down             -
c     \?      c: not running \(\S+c.sock is left from a process that ended\)
`
	if err != nil || !regexp.MustCompile(regexp.MustCompile(" +").ReplaceAllString(want, " +")).MatchString(out) {
		t.Errorf("several links: %v\n%s", err, out)
	}
	out, err = run("b")
	if err != nil || !strings.Contains(out, "state:        down for") || !strings.Contains(out, "last reason:  gprsppp: keepalive\n") {
		t.Errorf("status b: %v\n%s", err, out)
	}
	if _, err := run("zzz"); err == nil || !strings.Contains(err.Error(), "no link named zzz is running") {
		t.Errorf("status zzz: %v", err)
	}
	if _, err := run("../x"); err == nil {
		t.Error("status ../x: no error")
	}
}

// The shim serves the same status and metrics.
func TestShimStatusMetrics(t *testing.T) {
	dir := runtimeDir(t)
	addr, metrics := freeAddr(t), freeAddr(t)
	startShim(t, shimFlags{modem: connectFlags{ops: opsFlags{name: "shimtest", metrics: metrics}}, listen: []string{"tcp://" + addr}}, "link up:")
	st := statusOf(t, dir, "shimtest")
	if st.State != linkstate.Up || st.Name != "shimtest" {
		t.Errorf("status %+v", st)
	}
	if st.Address != netip.MustParseAddr("10.64.64.2") {
		t.Errorf("status %+v", st)
	}
	if m := scrapeMetrics(t, "http://"+metrics+"/metrics"); m["gprsppp_link_up"] != 1 {
		t.Errorf("link_up %v", m["gprsppp_link_up"])
	}
}

func TestQueueFiguresFormat(t *testing.T) {
	got := queueFigures(gprsppp.Stats{QueueDrops: 2, CodelDrops: 31, ACKsFiltered: 977, PeakQueueDelay: 812700 * time.Microsecond})
	want := "Output queue: 2 packets dropped full or late, 31 by CoDel, 977 ACKs filtered; peak queue delay 812 ms."
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

var queueFiguresLine = regexp.MustCompile(`^Output queue: (\d+) packets dropped full or late, (\d+) by CoDel, (\d+) ACKs filtered; peak queue delay (\d+) ms\.$`)

// With -v, each link that ends reports its output queue's figures just
// after its connect time; without, it does not.
func TestConnectVerboseQueueFigures(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		t.Run(fmt.Sprint("verbose=", verbose), func(t *testing.T) {
			runtimeDir(t)
			socks := freeAddr(t)
			r := startConnectWith(t, &globals{verbose: verbose}, connectFlags{simulate: true, socks5: socks, maxfail: 1})
			curl(t, "--socks5-hostname", socks, "http://"+simName+"/")
			lines := stopCollect(t, r)
			i := slices.IndexFunc(lines, connectTimeLine.MatchString)
			if i < 0 || i+1 >= len(lines) {
				t.Fatalf("no Connect time line followed by another: %q", lines)
			}
			if !verbose {
				if slices.ContainsFunc(lines, queueFiguresLine.MatchString) {
					t.Errorf("queue figures without -v: %q", lines)
				}
				return
			}
			f := queueFiguresLine.FindStringSubmatch(lines[i+1])
			if f == nil {
				t.Fatalf("line after the connect time %q, want the queue figures", lines[i+1])
			}
			// The sim's line is unpaced: a request's packets wait for
			// the line for far less than the queue's limit.
			if peak, _ := strconv.Atoi(f[4]); peak >= 3000 {
				t.Errorf("%q: peak delay at or past the queue's limit", lines[i+1])
			}
		})
	}
}

package pppvm

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Addresses and names the VM's pppd and services use (pppvm.conf).
const (
	// PeerAddr is pppd's own address, where the VM's services listen.
	PeerAddr = "10.64.64.1"
	// ClientAddr is the address pppd assigns to the client (IPCP).
	ClientAddr = "10.64.64.2"
	// PrimaryDNS is the first DNS server offered to the client in IPCP
	// (RFC 1877); dnsmasq answers on it.
	PrimaryDNS = "10.64.64.1"
	// SecondaryDNS is the second DNS server offered (RFC 1877), an address
	// of the VM's loopback interface; dnsmasq answers on it too.
	SecondaryDNS = "10.64.64.3"
	// PeerName resolves to PeerAddr on the VM's DNS servers.
	PeerName = "peer.test"
)

// The VM's IPv6 side with Options.IPv6 (its pppvm.conf defaults).
const (
	// PeerAddr6 is the network side's global address, where the
	// services and the DNS server (the router advertisement's RDNSS)
	// answer.
	PeerAddr6 = "2001:db8:64::1"
	// IPv6Prefix is the /64 advertised for SLAAC.
	IPv6Prefix = "2001:db8:64::/64"
	// PeerLinkLocal is pppd's link-local address, from its identifier ::1.
	PeerLinkLocal = "fe80::1"
	// ClientLinkLocal is the client's, from the identifier ::2 pppd naks
	// it with.
	ClientLinkLocal = "fe80::2"
	// ClientAddr6 is what SLAAC forms from IPv6Prefix and ::2.
	ClientAddr6 = "2001:db8:64::2"
)

// TCP services on PeerAddr.
const (
	EchoPort    = 7  // echoes what it receives
	DiscardPort = 9  // reads and drops everything
	ChargenPort = 19 // sends text until the client closes
	HTTPPort    = 80 // serves PatternPath and /big.bin (10 MB random)
	// PatternPath is a fixed 4 MiB file holding every byte value, whose
	// SHA-256 PatternSHA256 returns.
	PatternPath = "/pattern.bin"
)

// Default credentials the VM expects when Options.Auth is not "none" and
// Options leaves them empty.
const (
	DefaultUser     = "user"
	DefaultPassword = "pass"
)

// Options configure the VM's pppd.
type Options struct {
	// Auth is the authentication pppd requires of the client: "none",
	// "pap" or "chap" (pppd also takes "mschap" and "mschap-v2"). Empty
	// means "none".
	Auth string
	// User and Password are the secret the client must present. Empty
	// means DefaultUser and DefaultPassword. They reach the VM through the
	// environment, never a command line.
	User, Password string
	// PPPOpts are extra pppd options, such as "mru 1400 lcp-echo-interval 1".
	PPPOpts string
	// IPv6 boots the VM's IPv6 mode (PPPVM_IPV6=1): pppd runs IPv6CP
	// with "ipv6 ::1,::2", naking any other identifier of the client's
	// with ::2; dnsmasq advertises IPv6Prefix with RDNSS PeerAddr6; the
	// services answer on PeerAddr6 too and PeerName has an AAAA record.
	// False keeps the default, IPv4-only pppd (which still runs IPv6CP
	// with random identifiers, and sends no router advertisement).
	IPv6 bool
	// CMUX makes the modem a 3GPP TS 27.010 multiplexer on demand, through
	// Linux n_gsm in the VM: its line is then an emulated 16550 that
	// answers AT+CMUX=0[,0,<speed>,<N1>...] (N1 127 unless given) and runs
	// the modem on DLCI 1 and DLCI 2 (the README's CMUX section). It needs
	// the image's CMUX part (fetch --cmux); without it the test skips, or
	// fails under GPRSPPP_PPPVM=require.
	CMUX bool
}

// VM is a running pppd VM. Its fields are set by Start and read-only.
type VM struct {
	// Serial is the host end of the VM's modem line, a pty.
	Serial string
	// PID is the qemu process.
	PID int
	// Accel is the accelerator qemu runs with: "kvm" or "tcg".
	Accel string
	// BootTime is the time from starting qemu until the modem answered AT.
	BootTime time.Duration
	// RunDir holds the VM's state: console.log, ctl.sock, qemu.log.
	RunDir string

	scripts string   // the pppd-vm directory
	env     []string // environment of the pppd-vm scripts
	console string   // path of the VM console log
}

// Start boots a pppd VM configured by opt and returns once its modem
// answers AT. t.Cleanup stops the VM and, if the test failed, logs its
// console (pppd's debug log). When the VM cannot run here, Start skips the
// test, or fails it if GPRSPPP_PPPVM=require.
func Start(t testing.TB, opt Options) *VM {
	t.Helper()
	scripts, cache := available(t)
	if opt.CMUX && !isFile(filepath.Join(cache, "cmux.cpio")) {
		unavailableCMUX(t, scripts, cache)
	}
	run, err := os.MkdirTemp("", "pppvm-")
	if err != nil {
		t.Fatalf("pppvm: %v", err)
	}
	v := &VM{
		RunDir:  run,
		scripts: scripts,
		env:     scriptEnv(cache, run, opt),
		console: filepath.Join(run, "console.log"),
	}
	t.Cleanup(func() { v.cleanup(t) })

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := v.script(ctx, "start")
	if err != nil && ctx.Err() == nil {
		// Under TCG the script gives the guest 30 s to boot, which a
		// machine busy with parallel tests can exceed; try once more.
		t.Logf("pppvm: start failed, retrying: %v\n%s", err, out)
		out, err = v.script(ctx, "start")
	}
	if err != nil {
		t.Fatalf("pppvm: start: %v\n%s", err, out)
	}
	if err := v.parse(out); err != nil {
		t.Fatalf("pppvm: start: %v\n%s", err, out)
	}
	t.Logf("pppvm: VM %d up on %s in %v (%s)", v.PID, v.Serial, v.BootTime, v.Accel)
	return v
}

// cleanup stops the VM and removes its state directory, which it keeps and
// names if the test failed.
func (v *VM) cleanup(t testing.TB) {
	if t.Failed() {
		t.Logf("pppvm: console of VM %d:\n%s", v.PID, v.Console())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := v.script(ctx, "stop"); err != nil {
		t.Errorf("pppvm: stop: %v\n%s", err, out)
	}
	if t.Failed() {
		t.Logf("pppvm: state of VM %d kept in %s", v.PID, v.RunDir)
		return
	}
	os.RemoveAll(v.RunDir)
}

// Ctl sends a command to the VM's control channel:
//
//	hangup    pppd ends the link with an LCP Terminate-Request, then the
//	          modem reports NO CARRIER and returns to command mode
//	drop      pppd is killed (carrier loss, no LCP), then NO CARRIER
//	cmuxoff   (Options.CMUX) the multiplexer ends without a frame and
//	          the line is plain AT again; a call in it ends
//	poweroff  the VM powers off
//
// hangup and drop do nothing while no call is up.
func (v *VM) Ctl(cmd string) error {
	switch cmd {
	case "hangup", "drop", "cmuxoff", "poweroff":
	default:
		return fmt.Errorf("pppvm: ctl %q: unknown command", cmd)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := v.script(ctx, "ctl", cmd); err != nil {
		return fmt.Errorf("pppvm: ctl %s: %w: %s", cmd, err, bytes.TrimSpace(out))
	}
	return nil
}

// Console returns the VM's console log so far: kernel messages, the
// modem's dial log, pppd's debug log and dnsmasq's queries.
func (v *VM) Console() string {
	b, err := os.ReadFile(v.console)
	if err != nil {
		return fmt.Sprintf("(no console log: %v)", err)
	}
	return string(b)
}

// PatternSHA256 returns the hex SHA-256 of the VM's PatternPath file. It
// skips or fails t like Start when the pppd-vm scripts cannot be found.
func PatternSHA256(t testing.TB) string {
	t.Helper()
	dir, err := scriptsDir()
	if err != nil {
		unavailable(t, err, "")
	}
	b, err := os.ReadFile(filepath.Join(dir, "pattern.sha256"))
	if err != nil {
		t.Fatalf("pppvm: %v", err)
	}
	sum, _, _ := strings.Cut(string(b), " ")
	if len(sum) != 64 {
		t.Fatalf("pppvm: pattern.sha256: malformed %q", b)
	}
	return sum
}

// script runs one of the pppd-vm scripts and returns its combined output
// on failure, or its standard output on success.
func (v *VM) script(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(v.scripts, name), args...)
	cmd.Env = v.env
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return append(stdout.Bytes(), stderr.Bytes()...), err
	}
	return stdout.Bytes(), nil
}

// parse reads the KEY=value lines printed by the start script.
func (v *VM) parse(out []byte) error {
	kv := map[string]string{}
	for line := range strings.Lines(string(out)) {
		if k, val, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			kv[k] = val
		}
	}
	for _, k := range []string{"SERIAL", "PID", "CONSOLE", "CTL", "BOOT_MS"} {
		if kv[k] == "" {
			return fmt.Errorf("no %s= in its output", k)
		}
	}
	pid, err := strconv.Atoi(kv["PID"])
	if err != nil {
		return fmt.Errorf("PID: %w", err)
	}
	ms, err := strconv.Atoi(kv["BOOT_MS"])
	if err != nil {
		return fmt.Errorf("BOOT_MS: %w", err)
	}
	v.Serial, v.PID, v.Accel = kv["SERIAL"], pid, kv["ACCEL"]
	v.BootTime = time.Duration(ms) * time.Millisecond
	v.console = kv["CONSOLE"]
	return nil
}

// scriptEnv is the environment of the pppd-vm scripts: this process's,
// without PPPVM_ settings other than PPPVM_ACCEL and PPPVM_APPEND (so that
// a stray one cannot change the VM), plus those that opt implies.
func scriptEnv(cache, run string, opt Options) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PPPVM_") && k != "PPPVM_ACCEL" && k != "PPPVM_APPEND" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"PPPVM_CACHE="+cache,
		"PPPVM_RUN="+run,
		"PPPVM_SERIAL=pty",
		"PPPVM_AUTH="+cmp.Or(opt.Auth, "none"),
		"PPPVM_AUTH_USER="+cmp.Or(opt.User, DefaultUser),
		"PPPVM_AUTH_PASS="+cmp.Or(opt.Password, DefaultPassword),
		"PPPVM_PPP_OPTS="+opt.PPPOpts,
		"PPPVM_IPV6="+map[bool]string{false: "0", true: "1"}[opt.IPv6],
		"PPPVM_CMUX="+cmuxSetting(opt.CMUX),
	)
}

func cmuxSetting(on bool) string {
	if on {
		return "1"
	}
	return "0"
}

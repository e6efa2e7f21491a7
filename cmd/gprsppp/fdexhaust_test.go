package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/acceptloop"
	"golang.org/x/sys/unix"
)

// recoverWithin is how soon after clients free the descriptors every
// front end must answer again: the longest backoff pause, plus slack for
// a loaded machine.
const recoverWithin = acceptloop.MaxDelay + time.Second

// limitFiles lets the child open only slack more descriptors than it has
// open now.
func (c *child) limitFiles(t *testing.T, slack int) {
	t.Helper()
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", c.cmd.Process.Pid))
	if err != nil {
		t.Skipf("cannot count the child's descriptors: %v", err)
	}
	var old unix.Rlimit
	if err := unix.Prlimit(c.cmd.Process.Pid, unix.RLIMIT_NOFILE, nil, &old); err != nil {
		t.Skipf("prlimit: %v", err)
	}
	lim := unix.Rlimit{Cur: uint64(len(fds) + slack), Max: old.Max}
	if err := unix.Prlimit(c.cmd.Process.Pid, unix.RLIMIT_NOFILE, &lim, nil); err != nil {
		t.Skipf("prlimit: %v", err)
	}
	t.Logf("child: %d descriptors open, limit %d", len(fds), lim.Cur)
}

// fdFlood opens n connections to each address and returns a function that
// closes them all. Connections beyond what the child can accept wait in
// its listen backlog.
func fdFlood(t *testing.T, n int, addrs ...string) (closeAll func()) {
	t.Helper()
	var conns []net.Conn
	closeAll = func() {
		for _, c := range conns {
			c.Close()
		}
		conns = nil
	}
	t.Cleanup(closeAll)
	for _, a := range addrs {
		for range n {
			c, err := net.DialTimeout("tcp", a, 10*time.Second)
			if err != nil {
				t.Fatalf("fdFlood %s: %v", a, err)
			}
			conns = append(conns, c)
		}
	}
	return closeAll
}

// fdSOCKSEcho sends msg through the SOCKS5 proxy at addr to the simulated
// network's echo service and expects it back.
func fdSOCKSEcho(addr string, msg []byte, deadline time.Time) error {
	c, err := net.DialTimeout("tcp", addr, time.Until(deadline))
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(deadline)
	// Greeting, X'00'; CONNECT 10.64.64.1:7 (RFC 1928 §3, §4).
	req := []byte{0x05, 0x01, 0x00, 0x05, 0x01, 0x00, 0x01, 10, 64, 64, 1, 0, 7}
	if _, err := c.Write(append(req, msg...)); err != nil {
		return err
	}
	reply := make([]byte, 2+10)
	if _, err := io.ReadFull(c, reply); err != nil {
		return fmt.Errorf("socks5 reply: %w", err)
	}
	if reply[1] != 0x00 || reply[3] != 0x00 {
		return fmt.Errorf("socks5 reply %x", reply)
	}
	return fdReadEcho(c, msg)
}

// fdEcho sends msg on a connection from dial and expects it back.
func fdEcho(dial func() (net.Conn, error), msg []byte, deadline time.Time) error {
	c, err := dial()
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(deadline)
	if _, err := c.Write(msg); err != nil {
		return err
	}
	return fdReadEcho(c, msg)
}

func fdReadEcho(c net.Conn, msg []byte) error {
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("echo: %w", err)
	}
	if !bytes.Equal(got, msg) {
		return fmt.Errorf("echo: got %q, want %q", got, msg)
	}
	return nil
}

// fdHostEcho runs a TCP echo service on the host's loopback.
func fdHostEcho(t *testing.T) string {
	return hostService(t, func(c net.Conn) { io.Copy(c, c) })
}

// connect as a process with too few file descriptors: a flood of clients
// exhausts them, and the SOCKS5 and -L listeners fail to accept. Once the
// clients leave, SOCKS5, -L and -R all work again within recoverWithin,
// and each burst was logged once as it started and once as it ended.
func TestConnectOutOfFileDescriptors(t *testing.T) {
	// The network side runs here, on a pty, so that it can dial -R.
	network := make(chan *gprsppp.Link, 1)
	cfg := simModemConfig(slog.New(slog.DiscardHandler))
	cfg.Network.Ready = func(l *gprsppp.Link) error { network <- l; return nil }
	// Registered before startProcess's cleanup, so the modem powers off
	// after connect ends.
	tty := servePtySim(t, cfg)

	socks, local := freeAddr(t), freeAddr(t)
	localSpec := local + ":10.64.64.1:7"
	c := startProcess(t, "ready:", "-v", "connect", "--device", tty, "--maxfail", "1",
		"--socks5", socks, "-L", localSpec, "-R", "2222:"+fdHostEcho(t), "--allow", "10.64.64.1/32")
	gw := <-network
	c.limitFiles(t, 8)

	socksWarn := "socks5: accept failing"
	socksInfo := "socks5: accept works again"
	localWarn := "forward: -L " + localSpec + ": accept failing"
	localInfo := "forward: -L " + localSpec + ": accept works again"
	for burst := 1; burst <= 2; burst++ {
		closeAll := fdFlood(t, 24, socks, local)
		c.waitCount(t, socksWarn, burst)
		c.waitCount(t, localWarn, burst)
		closeAll()
		freed := time.Now()
		deadline := freed.Add(recoverWithin)
		msg := []byte(fmt.Sprintf("burst %d", burst))
		if err := fdSOCKSEcho(socks, msg, deadline); err != nil {
			t.Fatalf("socks5 after burst %d: %v", burst, err)
		}
		t.Logf("burst %d: socks5 answered %v after the clients left", burst, time.Since(freed))
		dialLocal := func() (net.Conn, error) { return net.DialTimeout("tcp", local, time.Until(deadline)) }
		if err := fdEcho(dialLocal, msg, deadline); err != nil {
			t.Fatalf("-L after burst %d: %v", burst, err)
		}
		dialRemote := func() (net.Conn, error) {
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			defer cancel()
			return gw.DialContext(ctx, "tcp", "10.64.64.2:2222")
		}
		if err := fdEcho(dialRemote, msg, deadline); err != nil {
			t.Fatalf("-R after burst %d: %v", burst, err)
		}
		t.Logf("burst %d: socks5, -L and -R answered %v after the clients left", burst, time.Since(freed))
		c.waitCount(t, socksInfo, burst)
		c.waitCount(t, localInfo, burst)
		for _, s := range []string{socksWarn, socksInfo, localWarn, localInfo} {
			if n := c.count(s); n != burst {
				t.Errorf("after burst %d the log has %d lines with %q, want %d", burst, n, s, burst)
			}
		}
	}
	t.Logf("the bursts as logged:\n%s", c.logText(func(l string) bool {
		return strings.Contains(l, "accept failing") || strings.Contains(l, "accept works again")
	}))
}

// shim as a process with too few file descriptors: a flood of hosts on
// its tcp:// listener exhausts them; once they leave, a new host is
// answered within recoverWithin, and the burst was logged once.
func TestShimOutOfFileDescriptors(t *testing.T) {
	addr := freeAddr(t)
	c := startProcess(t, "link up", "-v", "shim", "--sim", "--listen", "tcp://"+addr)
	c.limitFiles(t, 8)
	warn := "shim: --listen tcp://" + addr + ": accept failing"
	info := "shim: --listen tcp://" + addr + ": accept works again"
	closeAll := fdFlood(t, 24, addr)
	c.waitCount(t, warn, 1)
	closeAll()
	freed := time.Now()
	host, err := net.DialTimeout("tcp", addr, recoverWithin)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	host.SetDeadline(freed.Add(recoverWithin))
	io.WriteString(host, "AT\r")
	r := bufio.NewReader(host)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("no OK from the shim after the burst: %v", err)
		}
		if strings.TrimSpace(line) == "OK" {
			break
		}
	}
	t.Logf("the shim answered %v after the hosts left", time.Since(freed))
	c.waitCount(t, info, 1)
	if n := c.count(warn); n != 1 {
		t.Errorf("the log has %d lines with %q, want 1", n, warn)
	}
}

// listenerFD returns this process's descriptor of the TCP listener on
// addr's port.
func listenerFD(t *testing.T, addr string) int {
	t.Helper()
	ap, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot list descriptors: %v", err)
	}
	for _, e := range fds {
		var fd int
		if _, err := fmt.Sscan(e.Name(), &fd); err != nil {
			continue
		}
		sa, err := syscall.Getsockname(fd)
		if err != nil {
			continue
		}
		in4, ok := sa.(*syscall.SockaddrInet4)
		if !ok || in4.Port != ap.Port {
			continue
		}
		if v, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ACCEPTCONN); err == nil && v == 1 {
			return fd
		}
	}
	t.Fatalf("no listener on %s among this process's descriptors", addr)
	return -1
}

// killListener makes the listener on addr fail for good: Accept on a
// listening socket shut down for reading returns EINVAL.
func killListener(t *testing.T, addr string) {
	t.Helper()
	if err := syscall.Shutdown(listenerFD(t, addr), syscall.SHUT_RD); err != nil {
		t.Fatal(err)
	}
}

// wantExit waits for a command's error and checks its exit status and
// message.
func wantExit(t *testing.T, done <-chan error, code int, says string) {
	t.Helper()
	select {
	case err := <-done:
		t.Logf("ended with: %v", err)
		var e *exitError
		if !errors.As(err, &e) || e.code != code {
			t.Fatalf("ended with %v, want exit status %d", err, code)
		}
		if !strings.Contains(err.Error(), says) {
			t.Errorf("error %q does not say %q", err, says)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still running 30 s after its listener died")
	}
}

// A front end whose listener fails for good ends connect with exit
// status 7, rather than leaving a dead port behind the ready line.
func TestConnectDeadFrontEndExits(t *testing.T) {
	for _, tc := range []struct{ name, says string }{
		{"socks5", "socks5"},
		{"-L", "forward: -L "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := freeAddr(t)
			f := connectFlags{simulate: true, echoInterval: 30 * time.Second, maxfail: 1}
			if tc.name == "socks5" {
				f.socks5 = addr
			} else {
				f.locals = []string{addr + ":10.64.64.1:7"}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- runConnect(ctx, pw, &globals{}, f)
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			for sc.Scan() && !strings.HasPrefix(sc.Text(), "ready:") {
			}
			go io.Copy(io.Discard, pr)
			killListener(t, addr)
			wantExit(t, done, exitListen, tc.says)
		})
	}
}

// A tcp:// listener that fails for good ends the shim with exit status 7
// and says which.
func TestShimDeadListenerExits(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runShim(ctx, pw, &globals{}, shimFlags{
			modem:  connectFlags{simulate: true, holdoff: 100 * time.Millisecond, echoInterval: 30 * time.Second, echoFailures: 4},
			listen: []string{"tcp://" + addr}, maxConnections: 6, maxSend: 1460, recvBuffer: 64 << 10,
		})
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() && sc.Text() != "ready" {
	}
	go io.Copy(io.Discard, pr)
	killListener(t, addr)
	wantExit(t, done, exitListen, "--listen tcp://"+addr+" stopped")
}

// The shim warns when a tcp:// listener is reachable from beyond this
// host, since it asks hosts for no password.
func TestShimWarnsBeyondLoopback(t *testing.T) {
	for _, tc := range []struct {
		listen string
		warn   bool
	}{
		{"tcp://127.0.0.1:0", false},
		{"tcp://0.0.0.0:0", true},
	} {
		t.Run(tc.listen, func(t *testing.T) {
			c := startProcess(t, "ready", "shim", "--sim", "--listen", tc.listen)
			c.stop(t)
			const says = "listens beyond this host without authentication: anyone who reaches it uses your link"
			if got := c.count(says) > 0; got != tc.warn {
				t.Errorf("warned %t, want %t; log:\n%s", got, tc.warn, c.logText(func(string) bool { return true }))
			}
		})
	}
}

package main

import (
	"bufio"
	"cmp"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// gprsppp shim on the simulator, a host on its TCP listener: activate,
// open a connection to the echo service, send, and get the data pushed
// back, as a module would.
func TestShimCommand(t *testing.T) {
	addr := freeAddr(t)
	startShim(t, shimFlags{listen: []string{"tcp://" + addr}}, "ready")

	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	host := bufio.NewReader(c)
	expect := func(want string) {
		t.Helper()
		for {
			line, err := host.ReadString('\n')
			if err != nil {
				t.Fatalf("waiting for %q: %v", want, err)
			}
			if strings.TrimSpace(line) == want {
				return
			}
		}
	}
	send := func(cmd, want string) {
		t.Helper()
		io.WriteString(c, cmd+"\r")
		expect(want)
	}
	send("ATE0", "OK")
	send("AT+QIREGAPP", "OK")
	send("AT+QIACT", "OK")
	send("AT+QILOCIP", "10.64.64.2")
	send(`AT+QIOPEN="TCP","10.64.64.1",7`, "OK")
	expect("CONNECT OK")
	io.WriteString(c, "AT+QISEND=5\r")
	if p, err := host.ReadString('>'); err != nil || !strings.HasSuffix(p, ">") {
		t.Fatalf("prompt: %q %v", p, err)
	}
	io.WriteString(c, "hello")
	expect("SEND OK")
	// The module pushes received data raw (AT+QINDI=0).
	var got []byte
	for !strings.Contains(string(got), "hello") {
		b, err := host.ReadByte()
		if err != nil {
			t.Fatalf("waiting for the echo: %v (got %q)", err, got)
		}
		got = append(got, b)
	}
	send("AT+QICLOSE", "CLOSE OK")
	send("AT+QIDEACT", "DEACT OK")
}

// startShim runs the shim command in-process with f, modem flags
// defaulted for the simulator unless f names a device (hold-off 100 ms,
// keepalive 30 s × 4) and
// the dialect's module's limits, and returns once it printed a line
// starting with ready. At cleanup it is interrupted and must end without
// an error within 30 s.
func startShim(t *testing.T, f shimFlags, ready string) {
	t.Helper()
	f.modem.simulate = f.modem.device == ""
	f.modem.holdoff = cmp.Or(f.modem.holdoff, 100*time.Millisecond)
	f.modem.echoInterval = cmp.Or(f.modem.echoInterval, 30*time.Second)
	f.modem.echoFailures = cmp.Or(f.modem.echoFailures, 4)
	f.maxSend = cmp.Or(f.maxSend, 1460)
	f.recvBuffer = cmp.Or(f.recvBuffer, 64<<10)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runShim(ctx, pw, &globals{}, f)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shim: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("shim still running 30 s after interrupt")
		}
	})
	lines, found := make(chan string), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-found: // the rest is read and dropped
			}
		}
		close(lines)
	}()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("shim ended before %q", ready)
			}
			if strings.HasPrefix(l, ready) {
				close(found)
				return
			}
		case <-deadline:
			t.Fatalf("shim: no %q within 30 s", ready)
		}
	}
}

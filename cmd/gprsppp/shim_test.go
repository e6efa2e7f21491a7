package main

import (
	"bufio"
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
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runShim(ctx, pw, &globals{}, shimFlags{
			modem:  connectFlags{simulate: true, holdoff: 100 * time.Millisecond, echoInterval: 30 * time.Second, echoFailures: 4},
			listen: []string{"tcp://" + addr}, maxConnections: 6, maxSend: 1460, recvBuffer: 64 << 10,
		})
		pw.Close()
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shim: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("shim still running 30 s after interrupt")
		}
	}()
	out := bufio.NewScanner(pr)
	for out.Scan() && out.Text() != "ready" {
	}
	go io.Copy(io.Discard, pr)

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

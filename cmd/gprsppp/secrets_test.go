package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
)

// captureStderr redirects os.Stderr, where connect's logger writes, into
// a pipe until the returned function is called; that function restores
// os.Stderr and returns everything written meanwhile.
func captureStderr(t *testing.T) func() []byte {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	var buf bytes.Buffer
	copied := make(chan struct{})
	go func() {
		io.Copy(&buf, r)
		close(copied)
	}()
	var done bool
	finish := func() []byte {
		if !done {
			done = true
			os.Stderr = saved
			w.Close()
			<-copied
			r.Close()
		}
		return buf.Bytes()
	}
	t.Cleanup(func() { finish() })
	return finish
}

// runVerboseConnect runs connect at debug level until its ready line and
// returns a function that interrupts it and waits for it to end.
func runVerboseConnect(t *testing.T, f connectFlags) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runConnect(ctx, pw, &globals{verbose: true}, f)
		pw.Close()
	}()
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		seen := false
		for sc.Scan() {
			if !seen && strings.HasPrefix(sc.Text(), "ready:") {
				seen = true
				ready <- true
			}
		}
		if !seen {
			ready <- false
		}
	}()
	var stopped bool
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("connect after interrupt: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("connect still running 30 s after interrupt")
		}
	}
	t.Cleanup(stop)
	select {
	case ok := <-ready:
		if !ok {
			stop()
			t.Fatal("connect ended before ready")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no ready line within 30 s")
	}
	return stop
}

// chapResponses returns the Value of every CHAP Response (RFC 1994 §4.1)
// in a LINKTYPE_PPP_WITH_DIR capture written by --pcap.
func chapResponses(t *testing.T, capture []byte) [][]byte {
	t.Helper()
	const fileHeader, recordHeader = 24, 16
	var values [][]byte
	for p := capture[fileHeader:]; len(p) >= recordHeader; {
		n := int(binary.LittleEndian.Uint32(p[8:12]))
		if len(p) < recordHeader+n {
			t.Fatalf("truncated capture")
		}
		frame := p[recordHeader : recordHeader+n]
		p = p[recordHeader+n:]
		// Direction octet, then the PPP frame, with or without the
		// address and control fields.
		frame = bytes.TrimPrefix(frame[1:], []byte{0xff, 0x03})
		// Protocol CHAP, code 2 (Response), id, length, value-size.
		if len(frame) < 7 || frame[0] != 0xc2 || frame[1] != 0x23 || frame[2] != 2 {
			continue
		}
		size := int(frame[6])
		if len(frame) < 7+size {
			t.Fatalf("short CHAP Response % x", frame)
		}
		values = append(values, frame[7:7+size])
	}
	return values
}

// With -v, connect logs the whole negotiation, CHAP and the AT dialogue
// included, but never the PPP password, the SIM PIN or the CHAP
// response computed from the password.
func TestSecretsNeverLogged(t *testing.T) {
	const (
		user     = "user"
		password = "s3cret-Passw0rd-4711"
		pin      = "8642"
	)
	cfg := simModemConfig(slog.New(slog.DiscardHandler))
	cfg.PIN = pin
	cfg.Network.Auth = ppp.ProtocolCHAP
	cfg.Network.Secrets = map[string]string{user: password}
	authed := make(chan struct{}, 1)
	cfg.Network.Ready = func(*gprsppp.Link) error { authed <- struct{}{}; return nil }
	tty := servePtySim(t, cfg)
	dir := t.TempDir()

	t.Setenv("GPRSPPP_PASSWORD", password)
	t.Setenv("GPRSPPP_PIN", pin)
	capture := filepath.Join(dir, "link.pcap")
	finish := captureStderr(t)
	stop := runVerboseConnect(t, connectFlags{device: tty, user: user, pcapFile: capture, maxfail: 1, echoInterval: 30 * time.Second})
	select {
	case <-authed:
	case <-time.After(10 * time.Second):
		t.Error("the link is up but the network side never became ready")
	}
	stop()
	log := finish()

	if !bytes.Contains(bytes.ToUpper(log), []byte("CHAP")) {
		t.Fatalf("the debug log does not show the CHAP exchange:\n%s", log)
	}
	frames, err := os.ReadFile(capture)
	if err != nil {
		t.Fatal(err)
	}
	responses := chapResponses(t, frames)
	if len(responses) == 0 {
		t.Fatal("no CHAP Response in the capture")
	}
	forbidden := map[string]string{
		"password":        password,
		"password in hex": hex.EncodeToString([]byte(password)),
		"PIN":             pin,
	}
	for i, v := range responses {
		forbidden[fmt.Sprintf("CHAP response %d in hex", i)] = hex.EncodeToString(v)
	}
	lower := strings.ToLower(string(log))
	for what, s := range forbidden {
		if strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("the debug log contains the %s", what)
		}
	}
	if t.Failed() {
		t.Logf("debug log:\n%s", log)
	}
}

// Secrets have no flags, so they never show in ps(1) or shell history.
func TestSecretsHaveNoFlags(t *testing.T) {
	for _, flag := range []string{"--password", "--pin", "--proxy-password"} {
		t.Run(flag, func(t *testing.T) {
			root := newRoot()
			root.SetArgs([]string{"connect", "--sim", flag, "x"})
			root.SetOut(io.Discard)
			root.SetErr(io.Discard)
			err := root.Execute()
			if err == nil || !strings.Contains(err.Error(), "unknown flag: "+flag) {
				t.Errorf("connect %s x: %v, want unknown flag", flag, err)
			}
		})
	}
}

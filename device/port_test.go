package device

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// lineKinds opens each kind of line with Open and returns the port and the
// far end of the line, which the test drives as the modem.
var lineKinds = []struct {
	name string
	open func(t *testing.T) (Port, io.ReadWriteCloser)
}{
	{"pty", func(t *testing.T) (Port, io.ReadWriteCloser) {
		master, path := openPty(t)
		return openT(t, path), master
	}},
	{"serial prefix", func(t *testing.T) (Port, io.ReadWriteCloser) {
		master, path := openPty(t)
		return openT(t, "serial:"+path), master
	}},
	{"unix", func(t *testing.T) (Port, io.ReadWriteCloser) {
		path := filepath.Join(t.TempDir(), "modem.sock")
		return listenAndOpen(t, "unix", path, "unix:"+path)
	}},
	{"tcp", func(t *testing.T) (Port, io.ReadWriteCloser) {
		return listenAndOpen(t, "tcp", "127.0.0.1:0", "")
	}},
}

// openT opens spec with default options and closes it at cleanup.
func openT(t *testing.T, spec string) Port {
	t.Helper()
	p, err := Open(context.Background(), spec, Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", spec, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// listenAndOpen listens on network and address, opens spec (tcp://ADDR if
// empty) and returns the port and the accepted connection.
func listenAndOpen(t *testing.T, network, address, spec string) (Port, io.ReadWriteCloser) {
	t.Helper()
	ln, err := net.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if spec == "" {
		spec = "tcp://" + ln.Addr().String()
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Errorf("accept: %v", err)
		}
		accepted <- c
	}()
	p := openT(t, spec)
	c := within(t, accepted, "accept")
	if c == nil {
		t.FailNow()
	}
	t.Cleanup(func() { c.Close() })
	return p, c
}

func TestRoundTrip(t *testing.T) {
	for _, k := range lineKinds {
		t.Run(k.name, func(t *testing.T) {
			port, modem := k.open(t)
			// Every byte value must pass unchanged, as PPP needs.
			out := make([]byte, 256)
			for i := range out {
				out[i] = byte(i)
			}
			if _, err := port.Write(out); err != nil {
				t.Fatalf("Write: %v", err)
			}
			got := make([]byte, len(out))
			if _, err := io.ReadFull(modem, got); err != nil {
				t.Fatalf("modem read: %v", err)
			}
			if string(got) != string(out) {
				t.Errorf("modem got %q, want %q", got, out)
			}
			if _, err := modem.Write([]byte("\r\nOK\r\n")); err != nil {
				t.Fatalf("modem write: %v", err)
			}
			in := make([]byte, 6)
			if _, err := io.ReadFull(port, in); err != nil {
				t.Fatalf("ReadFull: %v", err)
			}
			if string(in) != "\r\nOK\r\n" {
				t.Errorf("Read %q, want %q", in, "\r\nOK\r\n")
			}
		})
	}
}

func TestReadDeadline(t *testing.T) {
	for _, k := range lineKinds {
		t.Run(k.name, func(t *testing.T) {
			port, modem := k.open(t)
			buf := make([]byte, 16)

			// A deadline in the past fails at once.
			port.SetReadDeadline(time.Now().Add(-time.Second))
			if _, err := port.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("Read past deadline: err %v, want os.ErrDeadlineExceeded", err)
			}

			// A deadline in the future fails when it passes, and not before.
			start := time.Now()
			port.SetReadDeadline(start.Add(150 * time.Millisecond))
			if _, err := port.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("Read: err %v, want os.ErrDeadlineExceeded", err)
			}
			if d := time.Since(start); d < 150*time.Millisecond {
				t.Errorf("Read returned after %v, before the deadline", d)
			}

			// Clearing the deadline makes Read wait for data again.
			port.SetReadDeadline(time.Time{})
			ch := readAsync(port)
			modem.Write([]byte("x"))
			if r := within(t, ch, "Read"); r.err != nil || r.data != "x" {
				t.Errorf("Read after clearing deadline: %q, %v; want %q, nil", r.data, r.err, "x")
			}
		})
	}
}

func TestDeadlineWakesPendingRead(t *testing.T) {
	for _, k := range lineKinds {
		t.Run(k.name, func(t *testing.T) {
			port, _ := k.open(t)
			ch := readAsync(port)
			// Whether the Read is already waiting or not, the deadline
			// applies to it.
			port.SetReadDeadline(time.Now())
			if r := within(t, ch, "Read"); !errors.Is(r.err, os.ErrDeadlineExceeded) {
				t.Errorf("pending Read: err %v, want os.ErrDeadlineExceeded", r.err)
			}
		})
	}
}

func TestCloseUnblocksRead(t *testing.T) {
	for _, k := range lineKinds {
		t.Run(k.name, func(t *testing.T) {
			port, _ := k.open(t)
			ch := readAsync(port)
			if err := port.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if r := within(t, ch, "Read after Close"); !errors.Is(r.err, net.ErrClosed) {
				t.Errorf("pending Read: err %v, want net.ErrClosed", r.err)
			}
			if err := port.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				t.Errorf("second Close: %v", err)
			}
			if _, err := port.Write([]byte("AT\r")); !errors.Is(err, net.ErrClosed) {
				t.Errorf("Write after Close: err %v, want net.ErrClosed", err)
			}
		})
	}
}

func TestHangupIsEOF(t *testing.T) {
	for _, k := range lineKinds {
		t.Run(k.name, func(t *testing.T) {
			port, modem := k.open(t)
			// Read what the modem sent before it hangs up: a pty hangup
			// discards input the slave has not read yet.
			modem.Write([]byte("bye"))
			got := make([]byte, 3)
			if _, err := io.ReadFull(port, got); err != nil || string(got) != "bye" {
				t.Fatalf("ReadFull: %q, %v; want %q, nil", got, err, "bye")
			}
			modem.Close()
			if r := within(t, readAsync(port), "Read after hangup"); r.err != io.EOF {
				t.Errorf("Read after hangup: %q, %v; want io.EOF", r.data, r.err)
			}
		})
	}
}

func TestResetInput(t *testing.T) {
	for _, k := range lineKinds {
		t.Run(k.name, func(t *testing.T) {
			port, modem := k.open(t)
			modem.Write([]byte("#stale output\r\n+CREG: 1\r\n"))
			// Once the first byte is readable the rest has arrived too:
			// the far end wrote it all at once.
			buf := make([]byte, 1)
			if _, err := io.ReadFull(port, buf); err != nil {
				t.Fatal(err)
			}
			if err := ResetInput(port); err != nil {
				t.Fatalf("ResetInput: %v", err)
			}
			modem.Write([]byte("OK"))
			got := make([]byte, 2)
			if _, err := io.ReadFull(port, got); err != nil {
				t.Fatal(err)
			}
			if string(got) != "OK" {
				t.Errorf("after ResetInput read %q, want %q", got, "OK")
			}
		})
	}
}

func TestOpenHonoursContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	sock := filepath.Join(t.TempDir(), "modem.sock")
	uln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer uln.Close()
	_, tty := openPty(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, spec := range []string{"tcp://" + ln.Addr().String(), "unix:" + sock, tty} {
		t.Run(spec, func(t *testing.T) {
			p, err := Open(ctx, spec, Options{})
			if err == nil {
				p.Close()
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Open with a cancelled context: err %v, want context.Canceled", err)
			}
		})
	}
}

// TestInputQueued checks that a serial port tells the octets it holds
// for reading, as the reader of a link needs to gather what came
// together.
func TestInputQueued(t *testing.T) {
	master, path := openPty(t)
	port := openT(t, path)
	q, ok := port.(InputQueuer)
	if !ok {
		t.Fatalf("%T is not an InputQueuer", port)
	}
	if _, err := master.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	// The first Read waits for the octets to reach the tty, all at once
	// from the one write.
	buf := make([]byte, 2)
	if _, err := io.ReadFull(port, buf); err != nil {
		t.Fatal(err)
	}
	if n, err := q.InputQueued(); n != 3 || err != nil {
		t.Errorf("InputQueued after reading 2 of 5 = %d, %v; want 3, nil", n, err)
	}
	buf = make([]byte, 3)
	if _, err := io.ReadFull(port, buf); err != nil {
		t.Fatal(err)
	}
	if n, err := q.InputQueued(); n != 0 || err != nil {
		t.Errorf("InputQueued after reading all = %d, %v; want 0, nil", n, err)
	}
	port.Close()
	if _, err := q.InputQueued(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("InputQueued after Close: %v, want net.ErrClosed", err)
	}
}

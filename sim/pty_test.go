package sim

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"go.bug.st/serial"

	"github.com/gprsppp/gprsppp"
)

// openPort opens the modem's port as a dialer does, with
// go.bug.st/serial: raw mode, exclusive access.
func openPort(t *testing.T, path string) serial.Port {
	t.Helper()
	p, err := serial.Open(path, &serial.Mode{BaudRate: 115200})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetReadTimeout(stepTimeout); err != nil {
		p.Close()
		t.Fatal(err)
	}
	return p
}

// talk sends s on p and expects exactly want back.
func talk(t *testing.T, p serial.Port, s, want string) {
	t.Helper()
	if _, err := p.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, len(want))
	for len(got) < len(want) {
		n, err := p.Read(buf[:len(want)-len(got)])
		if err != nil || n == 0 { // n == 0: the read timed out
			t.Fatalf("after %q read %q: %v", s, got, err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != want {
		t.Fatalf("after %q the modem sent %q, want %q", s, got, want)
	}
}

// A client opens the pty through its link, talks AT, closes it and opens
// it again, as a dialer does between calls.
func TestPty(t *testing.T) {
	link := filepath.Join(t.TempDir(), "modem")
	p, err := ListenPty(link)
	if err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(link); err != nil || target != p.Path() || p.Link() != link {
		t.Fatalf("link %s → %q, %v; want %s", link, target, err, p.Path())
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- NewModem(ModemConfig{}).Serve(ctx, p) }()

	c := openPort(t, link)
	talk(t, c, "AT\r", "AT\r\r\nOK\r\n")
	c.Close()
	c = openPort(t, link)
	talk(t, c, "ATE0\r", "ATE0\r\r\nOK\r\n")
	talk(t, c, "AT+CGMI\r", "\r\ngprsppp\r\n\r\nOK\r\n")
	c.Close()

	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Serve returned %v", err)
	}
	if _, err := os.Lstat(link); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("link left behind after Close: %v", err)
	}
	if _, err := os.Stat(p.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s still exists after Close: %v", p.Path(), err)
	}
}

func TestPtyLink(t *testing.T) {
	dir := t.TempDir()
	t.Run("replaces a stale link", func(t *testing.T) {
		link := filepath.Join(dir, "stale")
		if err := os.Symlink("/dev/pts/nonexistent", link); err != nil {
			t.Fatal(err)
		}
		p, err := ListenPty(link)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		if target, _ := os.Readlink(link); target != p.Path() {
			t.Errorf("link points to %q, want %q", target, p.Path())
		}
	})
	t.Run("refuses to replace a file", func(t *testing.T) {
		file := filepath.Join(dir, "file")
		if err := os.WriteFile(file, []byte("precious"), 0o600); err != nil {
			t.Fatal(err)
		}
		if p, err := ListenPty(file); !errors.Is(err, fs.ErrExist) {
			if p != nil {
				p.Close()
			}
			t.Errorf("ListenPty over a file: %v, want fs.ErrExist", err)
		}
		if b, _ := os.ReadFile(file); string(b) != "precious" {
			t.Errorf("the file now holds %q", b)
		}
	})
	t.Run("leaves a link that is no longer its own", func(t *testing.T) {
		link := filepath.Join(dir, "taken")
		p, err := ListenPty(link)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ListenPty(link)
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		p.Close()
		if target, _ := os.Readlink(link); target != q.Path() {
			t.Errorf("link points to %q after the first pty closed, want %q", target, q.Path())
		}
	})
}

// openSlave opens the pty as a client that sets nothing up: ListenPty
// made it raw.
func openSlave(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// A client that goes away in the middle of a call, without hanging up,
// leaves the modem in data mode, as a real modem on a line without DTR:
// the next client's AT goes to the call's PPP, and only +++ with its
// guard times brings the modem back to command mode.
func TestPtyCallOutlivesClient(t *testing.T) {
	p, err := ListenPty("")
	if err != nil {
		t.Fatal(err)
	}
	clk := newArmedClock()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- NewModem(ModemConfig{Clock: clk}).Serve(ctx, p) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve returned %v", err)
		}
	})

	first := openSlave(t, p.Path())
	d := newDTE(t, first)
	dial(t, d)
	openClient(t, d, gprsppp.Config{})
	first.Close() // gone: no LCP Terminate, no escape, no ATH

	next := newDTE(t, openSlave(t, p.Path()))
	next.send("AT\r")
	next.barrier(1) // the network's PPP answers: the call is up
	next.mu.Lock()
	answered := bytes.Contains(next.transcript, []byte("OK"))
	next.mu.Unlock()
	if answered {
		t.Fatal("the modem answered AT in data mode")
	}
	clk.Advance(time.Second) // the guard time before
	next.send("+++")
	if got := clk.waitArmed(t); got != time.Second {
		t.Fatalf("timer of %v set, want the guard time", got)
	}
	clk.Advance(time.Second) // and after
	next.waitTranscript("\r\nOK\r\n")
	next.drain()
	next.mustCommand("ATH", "OK")
	next.mustCommand("AT", "OK")
	next.mustCommand("ATO", "NO CARRIER")
}

package sim

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"go.bug.st/serial"
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

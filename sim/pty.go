package sim

import (
	"errors"
	"fmt"
	"github.com/gprsppp/gprsppp/internal/rawtty"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/creack/pty"
)

// Pty is a pseudo-terminal standing in for a modem's serial port: a
// client opens Path (or Link) as it would open /dev/ttyUSB2, and the
// simulator serves the Pty itself, the master end.
//
// The Pty keeps the slave end open for its whole life, so a client can
// close and reopen the port between calls: the terminal keeps its
// settings, and the master never sees a hangup. A call therefore outlives
// a client that closes the port without hanging up (there is no DTR to
// drop); the next client finds the modem in data mode. Likewise a client
// that takes exclusive access (TIOCEXCL, as go.bug.st/serial does) and
// dies without giving it up leaves the port to root alone.
type Pty struct {
	path, link string
	master     *os.File
	holder     *os.File // the slave, held open
	once       sync.Once
}

var _ io.ReadWriteCloser = (*Pty)(nil)

// ListenPty creates a pseudo-terminal in raw mode (no echo, no line
// editing, no CR/LF mapping, no flow control, 8 data bits), so that every
// byte passes as on a modem's serial port. If link is not empty, it also
// makes a symbolic link at that path to the slave device, replacing an
// existing symbolic link (left by an earlier run) but nothing else.
func ListenPty(link string) (*Pty, error) {
	master, slave, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("sim: open pty: %w", err)
	}
	p := &Pty{path: slave.Name(), holder: slave}
	// pty.Open leaves the master in blocking mode, where Close would not
	// interrupt a Read; give the poller a fresh descriptor.
	if p.master, err = rawtty.Pollable(master); err != nil {
		slave.Close()
		return nil, fmt.Errorf("sim: pty master: %w", err)
	}
	if err := rawtty.MakeRaw(slave); err != nil {
		p.Close()
		return nil, fmt.Errorf("sim: %w", err)
	}
	if link != "" {
		if err := symlink(p.path, link); err != nil {
			p.Close()
			return nil, fmt.Errorf("sim: %w", err)
		}
		p.link = link
	}
	return p, nil
}

// Path returns the slave device's path, such as /dev/pts/3.
func (p *Pty) Path() string { return p.path }

// Link returns the path of the symbolic link to Path, or "" if there is
// none.
func (p *Pty) Link() string { return p.link }

// Read reads what the client wrote.
func (p *Pty) Read(b []byte) (int, error) {
	n, err := p.master.Read(b)
	if errors.Is(err, syscall.EIO) {
		err = io.EOF
	}
	return n, err
}

// Write writes to the client; it blocks while the terminal's buffer is
// full.
func (p *Pty) Write(b []byte) (int, error) {
	n, err := p.master.Write(b)
	if errors.Is(err, syscall.EIO) {
		err = io.ErrClosedPipe
	}
	return n, err
}

// Close closes the pseudo-terminal, which clients then see hang up, and
// removes the symbolic link if it still points at Path. It is
// idempotent.
func (p *Pty) Close() error {
	p.once.Do(func() {
		if p.link != "" {
			if target, err := os.Readlink(p.link); err == nil && target == p.path {
				os.Remove(p.link)
			}
		}
		if p.master != nil {
			p.master.Close()
		}
		p.holder.Close()
	})
	return nil
}

// symlink makes link point at target, replacing a symbolic link already
// there but no other kind of file.
func symlink(target, link string) error {
	fi, err := os.Lstat(link)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink == 0:
		return fmt.Errorf("link %s: %w: not a symbolic link", link, fs.ErrExist)
	}
	// Make the link beside its final name and rename it there, which
	// replaces an old link atomically.
	tmp := filepath.Join(filepath.Dir(link), fmt.Sprintf(".%s.%d.tmp", filepath.Base(link), os.Getpid()))
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

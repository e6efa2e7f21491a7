package ppptest

import (
	"errors"
	"github.com/gprsppp/gprsppp/internal/rawtty"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/creack/pty"
)

// PtyPair returns two ends joined through a real pseudo-terminal: a is the
// master and b the slave, both in raw mode (no echo, no line editing, no
// CR/LF mapping, no XON/XOFF, 8 data bits), so every byte value passes
// unchanged as on a modem's serial port. The kernel's tty buffers give the
// line flow control.
//
// Both ends are non-blocking descriptors run by the Go poller, so Close
// unblocks a pending Read or Write on the same end. Once one end is closed,
// the other end's Read returns what is still buffered and then io.EOF (the
// kernel reports EIO, a hangup). After the master is closed, Write on the
// slave returns io.ErrClosedPipe; the kernel lets the master write into a
// closed slave and discards the bytes. Close is idempotent; t.Cleanup closes
// both ends.
func PtyPair(t testing.TB) (a, b io.ReadWriteCloser) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatalf("ppptest: open pty: %v", err)
	}
	// pty.Open leaves the master in blocking mode (it calls Fd), where Close
	// would not interrupt a Read; give the poller a fresh descriptor.
	master, err = rawtty.Pollable(master)
	if err != nil {
		slave.Close()
		t.Fatalf("ppptest: pty master: %v", err)
	}
	t.Cleanup(func() {
		master.Close()
		slave.Close()
	})
	for _, f := range []*os.File{master, slave} {
		if err := rawtty.MakeRaw(f); err != nil {
			t.Fatalf("ppptest: %v", err)
		}
	}
	return &ptyEnd{f: master}, &ptyEnd{f: slave}
}

// ptyEnd is one end of a PtyPair. It turns the kernel's hangup error into
// the io.EOF and io.ErrClosedPipe that a Pipe returns.
type ptyEnd struct{ f *os.File }

func (e *ptyEnd) Read(p []byte) (int, error) {
	n, err := e.f.Read(p)
	if errors.Is(err, syscall.EIO) {
		err = io.EOF
	}
	return n, err
}

func (e *ptyEnd) Write(p []byte) (int, error) {
	n, err := e.f.Write(p)
	if errors.Is(err, syscall.EIO) {
		err = io.ErrClosedPipe
	}
	return n, err
}

func (e *ptyEnd) Close() error {
	if err := e.f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return err
	}
	return nil
}

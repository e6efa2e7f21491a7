package ppptest

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// OSLine is one end of an in-process serial line made of two OS pipes:
// unlike Conn it has SetReadDeadline, as a device.Port must, and the
// kernel buffers it like a real port.
type OSLine struct{ r, w *os.File }

// Read implements io.Reader.
func (l OSLine) Read(p []byte) (int, error) { return l.r.Read(p) }

// Write implements io.Writer.
func (l OSLine) Write(p []byte) (int, error) { return l.w.Write(p) }

// SetReadDeadline bounds Reads, as on a serial port.
func (l OSLine) SetReadDeadline(t time.Time) error { return l.r.SetReadDeadline(t) }

// SetWriteBuffer sets the kernel's buffer for what l writes (at least a
// page, rounded up by the kernel): a pipe holds 64 KiB by default, far
// more than the few KiB a serial port's driver queues before Write
// blocks, which on a paced line would hide seconds of queue from the
// writer.
func (l OSLine) SetWriteBuffer(n int) error {
	rc, err := l.w.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		_, ferr = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, n)
	}); err != nil {
		return err
	}
	return ferr
}

// OutputQueued reports the octets written to l that the other end has
// not read yet (FIONREAD, alias TIOCINQ, on the pipe), as TIOCOUTQ does on a serial
// port.
func (l OSLine) OutputQueued() (int, error) {
	rc, err := l.w.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		n, ierr = unix.IoctlGetInt(int(fd), unix.TIOCINQ)
	}); err != nil {
		return 0, err
	}
	return n, ierr
}

// Close closes both pipes' ends held by l.
func (l OSLine) Close() error {
	l.r.Close()
	return l.w.Close()
}

// OSPipe returns the two ends of an OS-pipe serial line; t.Cleanup
// closes them.
func OSPipe(t testing.TB) (a, b OSLine) {
	ar, bw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	br, aw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	a, b = OSLine{ar, aw}, OSLine{br, bw}
	t.Cleanup(func() {
		a.Close()
		b.Close()
	})
	return a, b
}

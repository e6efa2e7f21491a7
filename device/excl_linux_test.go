package device

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOpenExclusive checks TIOCEXCL on its own, with lock files off. The
// kernel lets a process with CAP_SYS_ADMIN (root) through TIOCEXCL, so the
// second Open runs on a thread without that capability: as root and as an
// ordinary user alike it must fail with EBUSY. The test also reads the
// flag back (TIOCGEXCL) through a descriptor that root may open, and checks
// that Close clears it.
func TestOpenExclusive(t *testing.T) {
	_, path := openPty(t)
	opt := Options{LockDir: noLockDir}
	p, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer p.Close()

	err = openWithoutSysAdmin(path, opt)
	if !errors.Is(err, ErrBusy) || !errors.Is(err, syscall.EBUSY) {
		t.Errorf("second Open without CAP_SYS_ADMIN: err %v, want ErrBusy and EBUSY", err)
	}
	if err != nil && !strings.Contains(err.Error(), "opened it exclusively") {
		t.Errorf("second Open: message %q does not say why", err)
	}

	if os.Geteuid() == 0 {
		t.Log("as root: TIOCEXCL lets root through (the lock file stops it; see TestLockBusy), so the flag is read with TIOCGEXCL")
		if excl := exclusiveFlag(t, path); excl != 1 {
			t.Errorf("TIOCGEXCL while open: %d, want 1", excl)
		}
	}
	p.Close()
	if err := openWithoutSysAdmin(path, opt); err != nil {
		t.Errorf("Open after Close: %v", err)
	}
}

// openWithoutSysAdmin opens path with opt and closes it again, on an OS
// thread that has dropped CAP_SYS_ADMIN from its effective set, so that
// TIOCEXCL applies even when the test runs as root. The thread is never
// unlocked, so it ends with the goroutine instead of serving others.
func openWithoutSysAdmin(path string, opt Options) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		if err := unix.Capget(&hdr, &data[0]); err != nil {
			done <- err
			return
		}
		data[unix.CAP_SYS_ADMIN/32].Effective &^= 1 << (unix.CAP_SYS_ADMIN % 32)
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			done <- err
			return
		}
		p, err := Open(context.Background(), path, opt)
		if err == nil {
			p.Close()
		}
		done <- err
	}()
	return <-done
}

// exclusiveFlag reads the tty's TIOCEXCL flag through a new descriptor,
// which only root can open while the flag is set.
func exclusiveFlag(t *testing.T, path string) int {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("open %s as root: %v", path, err)
	}
	defer f.Close()
	var excl int
	err = control(f, func(fd int) (err error) {
		excl, err = unix.IoctlGetInt(fd, unix.TIOCGEXCL)
		return err
	})
	if err != nil {
		t.Fatalf("TIOCGEXCL: %v", err)
	}
	return excl
}

package device

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Lock files follow the UUCP convention that pppd's "lock" option, lockdev,
// minicom and ModemManager's peers honour (FHS 3.0 section 5.9): a file
// /var/lock/LCK..NAME holding the owner's PID in HDB format, ten
// right-aligned ASCII digits and a newline ("%10d\n").
const (
	// lockDirEnv, when set, replaces the default lock directory, as
	// Options.LockDir does.
	lockDirEnv = "GPRSPPP_LOCK_DIR"
	// noLockDir in Options.LockDir turns lock files off.
	noLockDir = "-"
	// lockRetries bounds how often a stale lock file is removed before
	// giving up: another program may be racing for the same port.
	lockRetries = 3
	// unreadableWait is how long a lock file with no PID in it is given
	// for its writer to finish: pppd creates the file, then writes.
	unreadableWait = 100 * time.Millisecond
)

// defaultLockDirs are tried in order when Options.LockDir is empty. On most
// systems today /var/lock is a symbolic link to /run/lock.
var defaultLockDirs = []string{"/var/lock", "/run/lock"}

// heldLocks holds the paths of the lock files this process holds. A lock
// file that names this process's PID but is not listed here was left by an
// earlier process that had the same PID, and is stale.
var heldLocks struct {
	sync.Mutex
	paths map[string]bool
}

// lockFile is a UUCP lock file that this process holds.
type lockFile struct {
	path string
	log  *slog.Logger
}

// lockDirs returns the directories to try for a lock file under opt, and
// whether failing to write in them is an error (a directory the caller
// chose) or only means running without a lock file (the defaults, which an
// ordinary user often may not write to).
func lockDirs(opt Options) (dirs []string, required bool) {
	dir := opt.LockDir
	if dir == "" {
		dir = os.Getenv(lockDirEnv)
	}
	switch dir {
	case noLockDir:
		return nil, false
	case "":
		return defaultLockDirs, false
	}
	return []string{dir}, true
}

// lockName returns the name of the lock file for the device at resolved, a
// path with symbolic links resolved, the way pppd names it: the part after
// "dev/" with slashes turned into underscores (LCK..ttyUSB2, LCK..pts_3),
// else the base name. Two names of one port, such as a by-id link and the
// node it points to, so get the same lock file.
func lockName(resolved string) string {
	if _, after, ok := strings.Cut(resolved, "dev/"); ok && after != "" {
		return "LCK.." + strings.ReplaceAll(after, "/", "_")
	}
	return "LCK.." + filepath.Base(resolved)
}

// lockDevice takes the lock file for the serial device at path. It returns
// nil, nil when lock files are off or, in the default directories, cannot
// be written. A live holder gives an error matching ErrBusy that names its
// PID; a lock file whose PID is not running is removed and taken over.
func lockDevice(path string, opt Options) (*lockFile, error) {
	dirs, required := lockDirs(opt)
	if dirs == nil {
		return nil, nil
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, openErr(path, err)
	}
	resolved, err = filepath.Abs(resolved)
	if err != nil {
		return nil, openErr(path, err)
	}
	log := opt.logger()
	for _, dir := range dirs {
		if _, err := os.Stat(dir); err != nil && !required {
			continue
		}
		l := &lockFile{path: filepath.Join(dir, lockName(resolved)), log: log}
		err := l.acquire(path, resolved)
		switch {
		case err == nil:
			return l, nil
		case errors.Is(err, ErrBusy) || required:
			return nil, err
		}
		log.Debug("device: no lock file", "dir", dir, "err", err)
		return nil, nil
	}
	log.Debug("device: no lock directory", "tried", dirs)
	return nil, nil
}

// acquire creates l.path atomically, as UUCP does: the PID goes into a
// temporary file first, which link(2) then puts in place, so no other
// program ever reads a partly written lock file.
func (l *lockFile) acquire(path, resolved string) error {
	tmp, err := writeTempLock(filepath.Dir(l.path))
	if err != nil {
		return fmt.Errorf("device %s: lock file: %w", path, err)
	}
	defer os.Remove(tmp)
	for range lockRetries {
		err := os.Link(tmp, l.path)
		if err == nil {
			heldLocks.Lock()
			if heldLocks.paths == nil {
				heldLocks.paths = make(map[string]bool)
			}
			heldLocks.paths[l.path] = true
			heldLocks.Unlock()
			l.log.Debug("device: locked", "path", path, "lockfile", l.path)
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("device %s: lock file: %w", path, err)
		}
		pid, alive := l.holder()
		if alive {
			return lockBusy(path, resolved, l.path, pid, err)
		}
		// The race here, two programs both finding the file stale and the
		// second removing what the first just created, is the one pppd
		// and lockdev have too.
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("device %s: remove stale lock file: %w", path, err)
		}
		l.log.Info("device: took over a stale lock file", "lockfile", l.path, "pid", pid)
	}
	return fmt.Errorf("device %s: lock file %s: still there after removing it %d times", path, l.path, lockRetries)
}

// writeTempLock writes this process's PID, in HDB format, to a new file in
// dir and returns its path.
func writeTempLock(dir string) (string, error) {
	f, err := os.CreateTemp(dir, "LTMP."+strconv.Itoa(os.Getpid())+".")
	if err != nil {
		return "", err
	}
	_, err = fmt.Fprintf(f, "%10d\n", os.Getpid())
	if err == nil {
		// Readable by all, so that other programs can name the holder.
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// holder reads the PID in l's file and reports whether that process is
// running. A file without a PID is read again after unreadableWait, in case
// its writer was between creating and writing it.
func (l *lockFile) holder() (pid int, alive bool) {
	pid, ok := readLockPID(l.path)
	if !ok {
		time.Sleep(unreadableWait)
		if pid, ok = readLockPID(l.path); !ok {
			return pid, false
		}
	}
	if pid == os.Getpid() {
		heldLocks.Lock()
		defer heldLocks.Unlock()
		return pid, heldLocks.paths[l.path]
	}
	return pid, processAlive(pid)
}

// readLockPID reads the PID from the lock file at path. ok is false if the
// file has none; a file that vanished reads as PID 0, not running.
func readLockPID(path string) (pid int, ok bool) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, true
	}
	if err != nil {
		return 0, false
	}
	pid, err = strconv.Atoi(strings.TrimSpace(string(b)))
	return pid, err == nil
}

// processAlive reports whether a process with this PID exists: kill(pid, 0)
// succeeds, or fails only because the process belongs to another user.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// lockBusy is the error for a port whose lock file names a live process.
func lockBusy(path, resolved, lockPath string, pid int, cause error) error {
	dev := path
	if resolved != path {
		dev = fmt.Sprintf("%s (%s)", path, resolved)
	}
	holder := fmt.Sprintf("PID %d", pid)
	if comm := processName(pid); comm != "" {
		holder += " (" + comm + ")"
	}
	msg := fmt.Sprintf("device: port busy: %s held by %s, lock file %s", dev, holder, lockPath)
	return &openError{msg, ErrBusy, cause}
}

// processName returns the command name of the process pid, or "" where
// /proc does not tell.
func processName(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// release removes l's file if it still names this process, and forgets it.
// Release on a nil lockFile does nothing.
func (l *lockFile) release() error {
	if l == nil {
		return nil
	}
	heldLocks.Lock()
	delete(heldLocks.paths, l.path)
	heldLocks.Unlock()
	pid, ok := readLockPID(l.path)
	if !ok || pid != os.Getpid() {
		l.log.Warn("device: lock file no longer ours, left in place", "lockfile", l.path, "pid", pid)
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("device: remove lock file: %w", err)
	}
	l.log.Debug("device: unlocked", "lockfile", l.path)
	return nil
}

package portlist

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ModemManagerName is the process name (/proc/PID/comm) of ModemManager,
// which probes and holds modem ports on most desktop distributions.
const ModemManagerName = "ModemManager"

// Process is a running program and the device files it has open.
type Process struct {
	PID int
	// Name is the process name from /proc/PID/comm, at most 15 bytes.
	Name string
	// Open lists the files under /dev it has open, as its /proc/PID/fd
	// links name them (/dev/ttyUSB2, /dev/pts/3), sorted and without
	// repeats.
	Open []string
	// OpenKnown is false when /proc/PID/fd could not be read: the process
	// is another user's and this one is not root. Open is empty then.
	OpenKnown bool
}

// Processes returns the running processes, in order of PID, with the
// device files each has open. A process that ends while it is read is
// left out.
func (s System) Processes() ([]Process, error) {
	root := s.procRoot()
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("portlist: %w", err)
	}
	var procs []Process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		dir := filepath.Join(root, e.Name())
		comm, err := os.ReadFile(filepath.Join(dir, "comm"))
		if err != nil {
			continue
		}
		p := Process{PID: pid, Name: strings.TrimSuffix(string(comm), "\n")}
		p.Open, p.OpenKnown = openDevices(filepath.Join(dir, "fd"))
		procs = append(procs, p)
	}
	slices.SortFunc(procs, func(a, b Process) int { return a.PID - b.PID })
	return procs, nil
}

// openDevices reads the fd directory of a process.
func openDevices(fdDir string) ([]string, bool) {
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return nil, false
	}
	var open []string
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err == nil && strings.HasPrefix(target, "/dev/") {
			open = append(open, target)
		}
	}
	slices.Sort(open)
	return slices.Compact(open), true
}

// Holders returns the processes among procs that have path open. path is
// compared as the kernel names it in /proc/PID/fd, with symbolic links
// resolved (/dev/ttyUSB2, /dev/pts/3).
func Holders(procs []Process, path string) []Process {
	var held []Process
	for _, p := range procs {
		if _, ok := slices.BinarySearch(p.Open, path); ok {
			held = append(held, p)
		}
	}
	return held
}

// ModemManager returns the running ModemManager processes among procs
// (one, normally).
func ModemManager(procs []Process) []Process {
	var mm []Process
	for _, p := range procs {
		if p.Name == ModemManagerName {
			mm = append(mm, p)
		}
	}
	return mm
}

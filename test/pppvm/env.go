package pppvm

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// available returns the pppd-vm scripts directory and the VM cache, or
// skips or fails t when the VM cannot run here.
func available(t testing.TB) (scripts, cache string) {
	t.Helper()
	if testing.Short() && !required() {
		t.Skip("pppd VM tests skipped in -short mode")
	}
	scripts, err := scriptsDir()
	if err != nil {
		unavailable(t, err, "")
	}
	cache = cacheDir(scripts)
	for _, tool := range []string{"qemu-system-x86_64", "socat", "cpio"} {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(t, err, scripts)
		}
	}
	if !hasImage(cache) {
		unavailable(t, fmt.Errorf("no VM image in %s", cache), scripts)
	}
	return scripts, cache
}

// required reports whether the environment demands the VM tests run.
func required() bool { return os.Getenv("GPRSPPP_PPPVM") == "require" }

// unavailable skips t, or fails it if GPRSPPP_PPPVM=require, saying how to
// make the VM available. scripts is the pppd-vm directory, if known.
func unavailable(t testing.TB, err error, scripts string) {
	t.Helper()
	fetch := filepath.Join(scripts, "fetch")
	if scripts == "" {
		fetch = "../shared/peers/pppd-vm/fetch (beside the repository root)"
	}
	msg := fmt.Sprintf("pppd VM not available (%v): run PPPVM_CACHE=%s %s, "+
		"which installs qemu-system-x86, socat and cpio and builds the VM image, "+
		"or set GPRSPPP_PPPVM=require to fail instead of skipping", err, cacheDir(scripts), fetch)
	if required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// unavailableCMUX skips t, or fails it if GPRSPPP_PPPVM=require, for a
// cache without the image's CMUX part; the start script would build it,
// which takes a download of ~150 MB and a kernel module build: that is
// fetch's job, not a test's.
func unavailableCMUX(t testing.TB, scripts, cache string) {
	t.Helper()
	msg := fmt.Sprintf("pppd VM without CMUX (no %s): run PPPVM_CACHE=%s %s --cmux, "+
		"which builds Linux's n_gsm for the VM's kernel (a ~150 MB download), "+
		"or set GPRSPPP_PPPVM=require to fail instead of skipping",
		filepath.Join(cache, "cmux.cpio"), cache, filepath.Join(scripts, "fetch"))
	if required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// scriptsDir finds the pppd-vm scripts: $GPRSPPP_PPPVM_DIR, else
// shared/peers/pppd-vm beside the repository root (the nearest directory
// above the working directory that holds go.mod and has such a sibling).
func scriptsDir() (string, error) {
	if d := os.Getenv("GPRSPPP_PPPVM_DIR"); d != "" {
		if !isFile(filepath.Join(d, "start")) {
			return "", fmt.Errorf("GPRSPPP_PPPVM_DIR=%s has no start script", d)
		}
		return filepath.Abs(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if isFile(filepath.Join(d, "go.mod")) {
			s := filepath.Join(filepath.Dir(d), "shared", "peers", "pppd-vm")
			if isFile(filepath.Join(s, "start")) {
				return s, nil
			}
		}
		if d == filepath.Dir(d) {
			return "", errors.New("no ../shared/peers/pppd-vm beside the repository (set GPRSPPP_PPPVM_DIR)")
		}
	}
}

// cacheDir is where the VM image lives: $PPPVM_CACHE, else
// $HOME/.cache/gprsppp/pppvm, else, if only it holds an image, the
// scripts' own cache/ directory (their default when run by hand).
func cacheDir(scripts string) string {
	if c := os.Getenv("PPPVM_CACHE"); c != "" {
		return c
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	c := filepath.Join(home, ".cache", "gprsppp", "pppvm")
	if own := filepath.Join(scripts, "cache"); scripts != "" && !hasImage(c) && hasImage(own) {
		return own
	}
	return c
}

// hasImage reports whether fetch has built the VM image in cache.
func hasImage(cache string) bool {
	return isFile(filepath.Join(cache, "base.cpio")) &&
		(isFile(filepath.Join(cache, "vmlinux")) || isFile(filepath.Join(cache, "vmlinuz")))
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Size() > 0
}

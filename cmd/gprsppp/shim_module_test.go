package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/rawtty"
)

// gprsppp shim --listen pty:A,pty:B,dialect=telit is one Telit module
// with two AT ports: a socket opened on one shows in AT#SS on the other;
// another --listen is a module of its own, which does not. Lines are
// matched by prefix.
func TestShimModulePorts(t *testing.T) {
	dir := t.TempDir()
	mdm, mdm2, other := filepath.Join(dir, "mdm"), filepath.Join(dir, "mdm2"), filepath.Join(dir, "other")
	startShim(t, shimFlags{listen: []string{"pty:" + mdm + ",pty:" + mdm2 + ",dialect=telit", "pty:" + other + ",dialect=telit"}}, "ready")
	open := func(path string) (func(cmd, want string), func(want string)) {
		f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f, err = rawtty.Pollable(f); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		if err := rawtty.MakeRaw(f); err != nil {
			t.Fatal(err)
		}
		f.SetDeadline(time.Now().Add(60 * time.Second))
		r := bufio.NewReader(f)
		expect := func(want string) {
			t.Helper()
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					t.Fatalf("%s: waiting for %q: %v", path, want, err)
				}
				if strings.HasPrefix(strings.TrimSpace(line), want) {
					return
				}
			}
		}
		return func(cmd, want string) {
			t.Helper()
			io.WriteString(f, cmd+"\r")
			expect(want)
		}, expect
	}
	send1, expect1 := open(mdm)
	send2, expect2 := open(mdm2)
	send1("ATE0", "OK")
	send2("ATE0", "OK")
	send1(`AT+CGDCONT=1,IP,"internet"`, "OK")
	send1("AT#SGACT=1,1", "#SGACT: 10.64.64.2")
	expect1("OK")
	send1("AT#SD=1,0,7,10.64.64.1,0,0,1", "OK")
	send2("AT#SS=1", "#SS: 1,2,10.64.64.2,")
	expect2("OK")
	send3, expect3 := open(other)
	send3("ATE0", "OK")
	send3("AT#SS=1", "#SS: 1,0")
	expect3("OK")
	send1("AT#SH=1", "OK")
	send2("AT#SS=1", "#SS: 1,0")
}

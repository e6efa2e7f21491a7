package pppvm

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// dialVM dials v and records the line; t.Cleanup closes it.
func dialVM(t *testing.T, v *VM) (io.ReadWriteCloser, *recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c, err := v.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, record(t, c)
}

// lcpConfReq waits for pppd's first LCP Configure-Request and returns it.
func lcpConfReq(t *testing.T, rec *recorder) []byte {
	t.Helper()
	rec.waitFor(t, "LCP Configure-Request", 30*time.Second, func(b []byte) bool {
		return findLCP(b, codeConfReq) != nil
	})
	if rec.buf[0] != flag {
		t.Errorf("line after CONNECT starts % x, want the flag 7e", rec.buf[:min(8, len(rec.buf))])
	}
	return findLCP(rec.buf, codeConfReq)
}

func TestDial(t *testing.T) {
	t.Parallel()
	v := Start(t, Options{})
	c, rec := dialVM(t, v)
	for _, o := range lcpOptions(lcpConfReq(t, rec)) {
		if o[0] == lcpOptAuth {
			t.Errorf("Options{} makes pppd ask for authentication: % x", o)
		}
	}
	waitConsole(t, v, "sent [LCP ConfReq")

	// pppd repeats its request every few seconds; in between, the
	// recorder's Read is pending, and Close must end it.
	c.Close()
	rec.waitClosed(t, 5*time.Second)

	// The call is still up: Dial must drop it and dial again.
	_, rec = dialVM(t, v)
	lcpConfReq(t, rec)
	waitConsole(t, v, "ctl: drop")
}

// waitConsole waits until the VM's console log contains s. The log is a
// file that qemu appends to, so there is no signal other than polling it.
func waitConsole(t *testing.T, v *VM, s string) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(v.Console(), s); <-tick.C {
		if time.Now().After(deadline) {
			t.Fatalf("console has no %q", s)
		}
	}
}

// TestStartConcurrent boots VMs with different options at the same time
// and checks that each dial reaches its own pppd, configured as asked.
func TestStartConcurrent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  Options
		want [][]byte // LCP options pppd must request
	}{
		{
			name: "pap",
			opt:  Options{Auth: "pap", User: "alice", Password: `it's "secret" $HOME`},
			want: [][]byte{{lcpOptAuth, 4, 0xc0, 0x23}},
		},
		{
			name: "chap mru 1400",
			opt:  Options{Auth: "chap", PPPOpts: "mru 1400"},
			want: [][]byte{{lcpOptMRU, 4, 0x05, 0x78}, {lcpOptAuth, 5, 0xc2, 0x23, 0x05}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := Start(t, tt.opt)
			_, rec := dialVM(t, v)
			var got [][]byte
			for _, o := range lcpOptions(lcpConfReq(t, rec)) {
				if o[0] == lcpOptAuth || o[0] == lcpOptMRU {
					got = append(got, o)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LCP options of pppd's Configure-Request (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCtl ends calls from the network side and checks that the modem
// reports NO CARRIER and then answers AT again, on one VM dialled twice.
func TestCtl(t *testing.T) {
	t.Parallel()
	v := Start(t, Options{})
	tests := []struct {
		cmd         string
		wantTermReq bool // pppd says goodbye with LCP Terminate-Request
	}{
		{"hangup", true},
		{"drop", false},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			c, rec := dialVM(t, v)
			lcpConfReq(t, rec)
			if err := v.Ctl(tt.cmd); err != nil {
				t.Fatal(err)
			}
			acked := false
			rec.waitFor(t, "NO CARRIER", 30*time.Second, func(b []byte) bool {
				if req := findLCP(b, codeTermReq); req != nil && !acked {
					acked = true
					if _, err := c.Write(encodeLCP(codeTermAck, req[1])); err != nil {
						t.Errorf("write Terminate-Ack: %v", err)
					}
				}
				return bytes.Contains(b, []byte("\r\nNO CARRIER\r\n"))
			})
			if acked != tt.wantTermReq {
				t.Errorf("Terminate-Request seen = %v, want %v", acked, tt.wantTermReq)
			}
			n := len(rec.buf)
			if _, err := c.Write([]byte("AT\r")); err != nil {
				t.Fatal(err)
			}
			rec.waitFor(t, "OK to AT after NO CARRIER", 10*time.Second, func(b []byte) bool {
				return bytes.Contains(b[n:], []byte("OK\r\n"))
			})
		})
	}
}

func TestCtlUnknown(t *testing.T) {
	var v VM
	if err := v.Ctl("reboot"); err == nil {
		t.Error(`Ctl("reboot") = nil, want an error`)
	}
}

func TestPatternSHA256(t *testing.T) {
	if got := PatternSHA256(t); len(got) != 64 || strings.Trim(got, "0123456789abcdef") != "" {
		t.Errorf("PatternSHA256 = %q, want 64 hex digits", got)
	}
}

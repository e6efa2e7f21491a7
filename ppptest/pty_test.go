package ppptest

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestPtyPairTransfer(t *testing.T) {
	a, b := PtyPair(t)
	transfer(t, a, b, 4<<20)
}

func TestPtyPairClose(t *testing.T) {
	tests := []struct {
		name    string
		reader  int // index of the end that reads: 0 master, 1 slave
		closer  int // index of the end that is closed
		wantErr error
	}{
		{"own close unblocks master Read", 0, 0, os.ErrClosed},
		{"own close unblocks slave Read", 1, 1, os.ErrClosed},
		{"slave close ends master Read", 0, 1, io.EOF},
		{"master close ends slave Read", 1, 0, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := PtyPair(t)
			ends := []io.ReadWriteCloser{a, b}
			done := make(chan error, 1)
			go pendingRead(ends[tt.reader], done)
			waitIOWait(t, "ppptest.pendingRead")
			if err := ends[tt.closer].Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			select {
			case err := <-done:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("pending Read = %v, want %v", err, tt.wantErr)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Close did not unblock the pending Read")
			}
			if err := ends[tt.closer].Close(); err != nil {
				t.Errorf("second Close = %v, want nil", err)
			}
		})
	}
}

// TestPtyPairHangupDrains checks that bytes written before a Close still
// reach the other end, followed by io.EOF.
func TestPtyPairHangupDrains(t *testing.T) {
	a, b := PtyPair(t)
	if _, err := b.Write([]byte("NO CARRIER\r\n")); err != nil {
		t.Fatal(err)
	}
	b.Close()
	got, err := io.ReadAll(a)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if string(got) != "NO CARRIER\r\n" {
		t.Errorf("read %q, want %q", got, "NO CARRIER\r\n")
	}
}

// TestPtyPairSlaveWriteAfterHangup checks that the slave, like a serial
// port whose modem hung up, fails to write once the master is closed.
func TestPtyPairSlaveWriteAfterHangup(t *testing.T) {
	a, b := PtyPair(t)
	a.Close()
	if _, err := b.Write([]byte("AT\r")); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("Write after hangup = %v, want %v", err, io.ErrClosedPipe)
	}
}

// pendingRead reads from r until it fails and sends the error to done.
func pendingRead(r io.Reader, done chan<- error) {
	buf := make([]byte, 64)
	for {
		if _, err := r.Read(buf); err != nil {
			done <- err
			return
		}
	}
}

// waitIOWait waits until a goroutine running fn is parked in the runtime
// poller, that is, until its Read is really pending. The goroutine dump is
// the only signal there is for that, so it polls.
func waitIOWait(t *testing.T, fn string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); runtime.Gosched() {
		dump := string(buf[:runtime.Stack(buf, true)])
		for g := range strings.SplitSeq(dump, "\n\n") {
			header, _, _ := strings.Cut(g, "\n")
			if strings.Contains(header, "[IO wait") && strings.Contains(g, fn) {
				return
			}
		}
	}
	t.Fatalf("no goroutine in %s is waiting for I/O", fn)
}

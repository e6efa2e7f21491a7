package attest_test

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gprsppp/gprsppp/dialer/attest"
	"github.com/gprsppp/gprsppp/ppptest"
)

func TestLineDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := ppptest.Pipe()
		l := attest.NewLine(a)
		defer l.Close()
		buf := make([]byte, 4)

		l.SetReadDeadline(time.Now().Add(time.Second))
		start := time.Now()
		if _, err := l.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("Read with nothing to read = %v, want a deadline error", err)
		}
		if took := time.Since(start); took != time.Second {
			t.Errorf("Read timed out after %v, want 1s", took)
		}

		// The read that timed out is still under way and gets these.
		b.Write([]byte("hello"))
		l.SetReadDeadline(time.Time{})
		n, err := l.Read(buf)
		if err != nil || string(buf[:n]) != "hell" {
			t.Fatalf("Read = %q, %v; want %q", buf[:n], err, "hell")
		}
		n, err = l.Read(buf)
		if err != nil || string(buf[:n]) != "o" {
			t.Fatalf("Read = %q, %v; want %q", buf[:n], err, "o")
		}

		// A deadline set in the past ends a pending Read.
		done := make(chan error)
		go func() {
			_, err := l.Read(buf)
			done <- err
		}()
		synctest.Wait()
		l.SetReadDeadline(time.Unix(1, 0))
		if err := <-done; !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("interrupted Read = %v, want a deadline error", err)
		}
		b.Close()
		l.SetReadDeadline(time.Time{})
		if _, err := l.Read(buf); err != io.EOF {
			t.Errorf("Read after peer close = %v, want EOF", err)
		}
	})
}

// exchange sends a command line to the modem and reads n bytes back.
func exchange(t *testing.T, dte io.ReadWriter, cmd string, want string) {
	t.Helper()
	if _, err := io.WriteString(dte, cmd); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(dte, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%q: modem sent %q, want %q", cmd, got, want)
	}
}

func TestModemCommandMode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dte, dce := ppptest.Pipe()
		m := attest.New(dce, attest.Config{Echo: true, PIN: "1234"})
		defer m.Close()
		exchange(t, dte, "AT\r", "AT\r\r\nOK\r\n")
		exchange(t, dte, "ATE0\r", "ATE0\r\r\nOK\r\n")
		exchange(t, dte, "AT+CPIN?\r", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n")
		exchange(t, dte, "AT+CREG?\r", "\r\n+CREG: 0,0\r\n\r\nOK\r\n")
		exchange(t, dte, "AT+CPIN=\"0000\"\r", "\r\nERROR\r\n") // AT+CMEE=0
		exchange(t, dte, "AT+CMEE=2\r", "\r\nOK\r\n")
		exchange(t, dte, "AT+CPIN=\"0000\"\r", "\r\n+CME ERROR: incorrect password\r\n")
		exchange(t, dte, "garbage\r", "")
		exchange(t, dte, "AT+CPIN=\"1234\"\r", "\r\nOK\r\n")
		exchange(t, dte, "AT+CREG?\r", "\r\n+CREG: 0,1\r\n\r\nOK\r\n")
		exchange(t, dte, "ATD*99#\r", "\r\nCONNECT 115200\r\n")
		<-m.Connected()
		want := []string{"AT", "ATE0", "AT+CPIN?", "AT+CREG?", `AT+CPIN="0000"`, "AT+CMEE=2",
			`AT+CPIN="0000"`, `AT+CPIN="1234"`, "AT+CREG?", "ATD*99#"}
		if diff := cmp.Diff(want, m.Commands()); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
	})
}

// quiet keeps the line silent for d of the bubble's fake time, as a guard
// time needs: the clock jumps, nothing really waits.
func quiet(d time.Duration) { time.Sleep(d) }

// After CONNECT the fake reads nothing until Resume; then it needs the
// guard time around +++.
func TestModemDataMode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dte, dce := ppptest.Pipe()
		m := attest.New(dce, attest.Config{EscapeGuard: time.Second})
		defer m.Close()
		exchange(t, dte, "ATD*99#\r", "\r\nCONNECT 115200\r\n")
		synctest.Wait()
		io.WriteString(dte, "+++")
		synctest.Wait()
		if got := strings.Join(m.Commands(), " "); got != "ATD*99#" {
			t.Errorf("before Resume the modem read %q", got)
		}
		m.Resume() // sees "+++" right after CONNECT: no guard time before it
		io.WriteString(dte, "ATH\r")
		quiet(time.Second)
		exchange(t, dte, "+++", "")
		quiet(500 * time.Millisecond)
		io.WriteString(dte, "x") // breaks the guard time after it
		quiet(2 * time.Second)
		exchange(t, dte, "+++", "")
		quiet(time.Second)
		exchange(t, dte, "", "\r\nOK\r\n")
		exchange(t, dte, "ATH\r", "\r\nOK\r\n")
		if diff := cmp.Diff([]string{"ATD*99#", "+++", "ATH"}, m.Commands()); diff != "" {
			t.Errorf("commands (-want +got):\n%s", diff)
		}
	})
}

// The command line is that of package at/dce: edited with backspace,
// several commands to a line, overlong lines answered ERROR.
func TestModemCommandLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dte, dce := ppptest.Pipe()
		m := attest.New(dce, attest.Config{PIN: "1234"})
		defer m.Close()
		exchange(t, dte, "AT+CPX\bIN?;+CREG?\r", "\r\n+CPIN: SIM PIN\r\n\r\n+CREG: 0,0\r\n\r\nOK\r\n")
		exchange(t, dte, "AT+CMEE=1;+CPIN=0000\r", "\r\n+CME ERROR: 16\r\n")
		exchange(t, dte, "AT"+strings.Repeat("E0", 513)+"\r", "\r\nERROR\r\n")
		exchange(t, dte, "ATV0\r", "0\r")
	})
}

package pppvm

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// fakeModem answers commands on the master side of a pty with canned
// responses, so Dial's dialogue can be tested without the VM.
func fakeModem(t *testing.T, answers map[string]string) *VM {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := bufio.NewReader(master)
		for {
			cmd, err := r.ReadString('\r')
			if err != nil {
				return // EIO once the slave is closed everywhere
			}
			if _, err := io.WriteString(master, answers[strings.TrimSuffix(cmd, "\r")]); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		slave.Close() // with Dial's line closed too, the master's Read fails
		<-done
		master.Close()
	})
	return &VM{Serial: slave.Name()}
}

func TestDialogue(t *testing.T) {
	const ok = "\r\nOK\r\n"
	ppp := "~\xff}#\xc0!}!" // the start of an LCP frame, as pppd sends it
	tests := []struct {
		name     string
		answers  map[string]string
		timeout  time.Duration
		wantData string // the first bytes Read returns after Dial
		wantErr  string // Dial's error contains this
		wantIs   error
	}{
		{
			name:     "data in the same write as CONNECT",
			answers:  map[string]string{"AT": ok, "ATE0": ok, "ATD*99***1#": "\r\nCONNECT 115200\r\n" + ppp},
			wantData: ppp,
		},
		{
			name: "echo and information text",
			answers: map[string]string{"AT": "AT\r\r\nOK\r\n", "ATE0": "ATE0\r\r\nOK\r\n",
				"ATD*99***1#": "\r\n+CGEV: ME PDN ACT 1\r\n\r\nCONNECT\r\n" + ppp},
			wantData: ppp,
		},
		{
			name:     "CONNECT ended by CR alone",
			answers:  map[string]string{"AT": ok, "ATE0": ok, "ATD*99***1#": "CONNECT\r" + ppp},
			wantData: ppp,
		},
		{
			name:    "no carrier",
			answers: map[string]string{"AT": ok, "ATE0": ok, "ATD*99***1#": "\r\nNO CARRIER\r\n"},
			wantErr: `ATD*99***1#: modem answered "NO CARRIER"`,
		},
		{
			name:    "ATE0 rejected",
			answers: map[string]string{"AT": ok, "ATE0": "\r\nERROR\r\n"},
			wantErr: `ATE0: modem answered "ERROR"`,
		},
		{
			name:    "silent modem",
			answers: map[string]string{},
			timeout: 300 * time.Millisecond,
			wantErr: "AT (2 tries)",
			wantIs:  context.DeadlineExceeded,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := fakeModem(t, tt.answers)
			ctx, cancel := context.WithTimeout(t.Context(), cmp.Or(tt.timeout, 10*time.Second))
			defer cancel()
			c, err := v.Dial(ctx)
			if tt.wantErr != "" {
				if err == nil {
					c.Close()
					t.Fatalf("Dial succeeded, want error %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) {
					t.Errorf("Dial error = %v, want one with %q (%v)", err, tt.wantErr, tt.wantIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got := make([]byte, len(tt.wantData))
			if _, err := io.ReadFull(c, got); err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.wantData {
				t.Errorf("data after CONNECT = %q, want %q", got, tt.wantData)
			}
		})
	}
}

func TestDialOpenError(t *testing.T) {
	v := &VM{Serial: "/nonexistent/tty"}
	if _, err := v.Dial(t.Context()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Dial = %v, want %v", err, os.ErrNotExist)
	}
}

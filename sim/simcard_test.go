package sim

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppptest"
)

// The SIM's count of wrong PINs is on the card: power cycles (one Serve
// each) do not reset it, and the third wrong PIN blocks the SIM.
func TestSIMCountsSurvivePowerCycles(t *testing.T) {
	m := NewModem(ModemConfig{PIN: "1234"})
	powerOn := func(t *testing.T) (*dte, func()) {
		a, b := ppptest.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- m.Serve(ctx, b) }()
		d := newDTE(t, a)
		return d, func() {
			cancel()
			select {
			case err := <-errc:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Serve returned %v", err)
				}
			case <-time.After(stepTimeout):
				t.Fatal("Serve did not return")
			}
			a.Close()
		}
	}
	for _, left := range []string{"2", "1"} {
		d, off := powerOn(t)
		d.mustCommand("ATE0", "OK")
		if info := d.mustCommand("AT+CPIN?", "OK"); len(info) != 1 || info[0] != "+CPIN: SIM PIN" {
			t.Errorf("AT+CPIN? answered %q", info)
		}
		d.mustCommand(`AT+CPIN="0000"`, "+CME ERROR: 16")
		if info := d.mustCommand(`AT+CPINR="SIM PIN"`, "OK"); len(info) != 1 || info[0] != "+CPINR: SIM PIN,"+left+",3" {
			t.Errorf("AT+CPINR answered %q, want %s left", info, left)
		}
		off()
	}
	d, off := powerOn(t)
	defer off()
	d.mustCommand("ATE0", "OK")
	d.mustCommand(`AT+CPIN="0000"`, "+CME ERROR: 16")
	if info := d.mustCommand("AT+CPIN?", "OK"); len(info) != 1 || info[0] != "+CPIN: SIM PUK" {
		t.Errorf("after the third wrong PIN AT+CPIN? answered %q", info)
	}
	d.mustCommand(`AT+CPIN="1234"`, "+CME ERROR: 12")
}

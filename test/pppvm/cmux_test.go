package pppvm

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Options.CMUX boots the VM whose modem answers AT+CMUX (its settings
// query reports the default N1 of 127), while plain AT works as before.
func TestCMUXOption(t *testing.T) {
	t.Parallel()
	v := Start(t, Options{CMUX: true})
	f, err := openSerial(v.Serial)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	d := &dialogue{f: f, ctx: ctx}
	if err := d.attention(atTries); err != nil {
		t.Fatal(err)
	}
	if err := d.setDeadline(time.Now().Add(cmdTimeout)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("AT+CMUX?\r")); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for {
		l, err := d.readLine()
		if err != nil {
			t.Fatalf("AT+CMUX?: %v after %q", err, lines)
		}
		if isResult(l) {
			if l != "OK" {
				t.Fatalf("AT+CMUX?: %s after %q", l, lines)
			}
			break
		}
		lines = append(lines, l)
	}
	if got := strings.Join(lines, "|"); !strings.Contains(got, "+CMUX: 0,0,5,127,") {
		t.Errorf("AT+CMUX? answered %q, want +CMUX: 0,0,5,127,...", got)
	}
}

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/linkstate"
)

// The status a person reads shows the TUN interface and the packets it
// dropped, and no such row without one.
func TestPrintStatusTUN(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	for _, tc := range []struct {
		name string
		st   linkstate.Status
		want string // a line with its spaces collapsed, or "" for no tun row
	}{
		{"with a TUN", linkstate.Status{Name: "sim", Device: "sim", State: linkstate.Up, TUN: "gprs0", TUNDrops: 7},
			"tun: gprs0, 7 packets dropped"},
		{"without", linkstate.Status{Name: "sim", Device: "sim", State: linkstate.Up}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			printStatus(&b, tc.st, now)
			out := b.String()
			var row string
			for line := range strings.Lines(out) {
				if strings.HasPrefix(line, "tun:") {
					row = strings.Join(strings.Fields(line), " ")
				}
			}
			if row != tc.want {
				t.Errorf("tun row %q, want %q, in:\n%s", row, tc.want, out)
			}
		})
	}
}

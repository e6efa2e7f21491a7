package gprsppp

import "testing"

func TestPortsOutside(t *testing.T) {
	for _, tc := range []struct {
		name     string
		klo, khi int
		lo, hi   uint16
		ok       bool
	}{
		{"Linux's default", 32768, 60999, 61000, 65535, true},
		{"up to the top: below", 32768, 65535, 1024, 32767, true},
		{"little above: below", 10000, 65000, 1024, 9999, true},
		{"everything", 1024, 65535, 64512, 65535, false},
		{"little either side", 2000, 64800, 64512, 65535, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := portsOutside(tc.klo, tc.khi)
			if lo != tc.lo || hi != tc.hi || ok != tc.ok {
				t.Errorf("portsOutside(%d, %d) = %d, %d, %v; want %d, %d, %v", tc.klo, tc.khi, lo, hi, ok, tc.lo, tc.hi, tc.ok)
			}
		})
	}
}

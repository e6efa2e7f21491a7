package ppp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFCSCheckValues(t *testing.T) {
	check := []byte("123456789")
	tests := []struct {
		name      string
		got, want uint32
	}{
		// CRC-16/X-25 check value; RFC 1662 transmits the complement.
		{"FCS16", uint32(^FCS16(FCS16Init, check)), 0x906e},
		{"refFCS16", uint32(refFCS16(check)), 0x906e},
		// CRC-32 (IEEE 802.3) check value.
		{"FCS32", ^FCS32(FCS32Init, check), 0xcbf43926},
		{"refFCS32", refFCS32(check), 0xcbf43926},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %#x, want %#x", tt.got, tt.want)
			}
		})
	}
}

// TestFCSAgainstReference compares the table-driven FCS with the
// bit-at-a-time definition for every length around the slicing width,
// computed in one call and as a running value split at every point.
func TestFCSAgainstReference(t *testing.T) {
	r := seededRand(1)
	for n := range 70 {
		b := randomOctets(r, n)
		want16, want32 := refFCS16(b), refFCS32(b)
		for split := 0; split <= n; split++ {
			got16 := ^FCS16(FCS16(FCS16Init, b[:split]), b[split:])
			got32 := ^FCS32(FCS32(FCS32Init, b[:split]), b[split:])
			if short := ^fcs32Short(fcs32Short(FCS32Init, b[:split]), b[split:]); short != want32 {
				t.Fatalf("len %d split %d: fcs32Short %#08x, want %#08x", n, split, short, want32)
			}
			if got16 != want16 || got32 != want32 {
				t.Fatalf("len %d split %d: got %#04x %#08x, want %#04x %#08x",
					n, split, got16, got32, want16, want32)
			}
		}
	}
}

// TestFCSGood checks the receiver's property of RFC 1662 §C.2, §C.3: the
// running FCS over data and its transmitted FCS is the Good value.
func TestFCSGood(t *testing.T) {
	r := seededRand(2)
	for _, n := range []int{0, 1, 2, 7, 8, 15, 16, 17, 100, 1500} {
		data := randomOctets(r, n)
		t.Run("FCS16", func(t *testing.T) {
			f := ^FCS16(FCS16Init, data)
			got := FCS16(FCS16Init, append(data[:n:n], byte(f), byte(f>>8)))
			if diff := cmp.Diff(FCS16Good, got); diff != "" {
				t.Errorf("len %d (-want +got):\n%s", n, diff)
			}
		})
		t.Run("FCS32", func(t *testing.T) {
			f := ^FCS32(FCS32Init, data)
			got := FCS32(FCS32Init, append(data[:n:n], byte(f), byte(f>>8), byte(f>>16), byte(f>>24)))
			if diff := cmp.Diff(FCS32Good, got); diff != "" {
				t.Errorf("len %d (-want +got):\n%s", n, diff)
			}
		})
	}
}

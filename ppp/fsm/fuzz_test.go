package fsm

import (
	"bytes"
	"testing"
)

func FuzzParseOptions(f *testing.F) {
	f.Add([]byte{0x02, 0x06, 0x00, 0x00, 0x00, 0x00, 0x05, 0x06, 0x5b, 0x1e, 0x8a, 0x3c, 0x07, 0x02, 0x08, 0x02})
	f.Add([]byte{3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0})
	f.Add([]byte{1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		opts, err := ParseOptions(b)
		if err != nil {
			return
		}
		var wire []byte
		for _, o := range opts {
			wire = o.Append(wire)
		}
		if !bytes.Equal(wire, b) {
			t.Fatalf("re-encoding changed the options:\n%x\n%x", b, wire)
		}
	})
}

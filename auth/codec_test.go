package auth

import (
	"bytes"
	"encoding"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// packet is implemented by pointers to the four packet types.
type packet[T any] interface {
	*T
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}

// wireCase is one encoded packet and its decoded value. If canonical is
// set, b is a valid but non-canonical encoding and canonical is what
// marshalling the decoded value gives.
type wireCase[T any] struct {
	name      string
	b         [][]byte
	want      T
	canonical [][]byte
}

// testWire checks bytes→struct→bytes for every case.
func testWire[T any, P packet[T]](t *testing.T, tests []wireCase[T]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bytes.Join(tt.b, nil)
			var got T
			if err := P(&got).UnmarshalBinary(b); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("UnmarshalBinary (-want +got):\n%s", diff)
			}
			out, err := P(&got).MarshalBinary()
			if err != nil {
				t.Fatalf("MarshalBinary: %v", err)
			}
			want := b
			if tt.canonical != nil {
				want = bytes.Join(tt.canonical, nil)
			}
			if diff := cmp.Diff(want, out); diff != "" {
				t.Fatalf("MarshalBinary (-want +got):\n%s", diff)
			}
		})
	}
}

// parseErrorCase is an encoding that must not decode.
type parseErrorCase struct {
	name string
	b    [][]byte
	want error
}

func testParseErrors[T any, P packet[T]](t *testing.T, tests []parseErrorCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got T
			err := P(&got).UnmarshalBinary(bytes.Join(tt.b, nil))
			if !errors.Is(err, tt.want) {
				t.Fatalf("UnmarshalBinary error = %v, want %v", err, tt.want)
			}
		})
	}
}

// marshalErrorCase is a value that must not encode.
type marshalErrorCase struct {
	name string
	p    encoding.BinaryMarshaler
	want error
}

func testMarshalErrors(t *testing.T, tests []marshalErrorCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.p.MarshalBinary()
			if !errors.Is(err, tt.want) {
				t.Fatalf("MarshalBinary error = %v, want %v", err, tt.want)
			}
			if b != nil {
				t.Fatalf("MarshalBinary returned %x with the error", b)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{name: "printable", in: []byte("Login incorrect"), want: "Login incorrect"},
		{name: "empty", in: nil, want: ""},
		{name: "control characters", in: []byte("a\r\n\x1b[31mb\x00"), want: "a???[31mb?"},
		{name: "invalid UTF-8", in: []byte{'o', 0xff, 'k'}, want: "o?k"},
		{name: "unicode kept", in: []byte("Zugang verweigert ü"), want: "Zugang verweigert ü"},
		{name: "truncated", in: bytes.Repeat([]byte("x"), maxShown+1), want: string(bytes.Repeat([]byte("x"), maxShown)) + "…"},
		{name: "exactly max", in: bytes.Repeat([]byte("y"), maxShown), want: string(bytes.Repeat([]byte("y"), maxShown))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sanitize(tt.in)); diff != "" {
				t.Errorf("sanitize (-want +got):\n%s", diff)
			}
		})
	}
}

package ppp

import (
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFrame(t *testing.T) {
	tests := []struct {
		name      string
		frame     []byte
		wantProto Protocol
		wantInfo  []byte
		wantErr   error
	}{
		{"full header", []byte{0xff, 0x03, 0xc0, 0x21, 0x01, 0x02}, ProtocolLCP, []byte{0x01, 0x02}, nil},
		{"ACFC", []byte{0x80, 0x21, 0x01}, ProtocolIPCP, []byte{0x01}, nil},
		{"PFC", []byte{0xff, 0x03, 0x21, 0x45}, ProtocolIPv4, []byte{0x45}, nil},
		{"ACFC and PFC", []byte{0x21, 0x45, 0x00}, ProtocolIPv4, []byte{0x45, 0x00}, nil},
		{"uncompressed IPv4", []byte{0x00, 0x21, 0x45}, ProtocolIPv4, []byte{0x45}, nil},
		{"empty information", []byte{0xff, 0x03, 0x00, 0x57}, ProtocolIPv6, []byte{}, nil},
		{"empty", nil, 0, nil, io.ErrUnexpectedEOF},
		{"address only", []byte{0xff}, 0, nil, io.ErrUnexpectedEOF},
		{"no protocol", []byte{0xff, 0x03}, 0, nil, io.ErrUnexpectedEOF},
		{"half protocol", []byte{0xff, 0x03, 0xc0}, 0, nil, io.ErrUnexpectedEOF},
		{"half protocol ACFC", []byte{0x80}, 0, nil, io.ErrUnexpectedEOF},
		{"bad control", []byte{0xff, 0x13, 0xc0, 0x21}, 0, nil, ErrBadProtocol},
		// An odd first octet ends the field (RFC 1661 §6.5), so 0x01
		// is protocol 0x0001 and not the start of 0x0121.
		{"odd first octet", []byte{0x01, 0x21, 0x00}, 0x0001, []byte{0x21, 0x00}, nil},
		{"protocol low octet even", []byte{0xff, 0x03, 0xc0, 0x20}, 0, nil, ErrBadProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proto, info, err := ParseFrame(tt.frame)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantProto, proto); diff != "" {
				t.Errorf("protocol (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantInfo, info); diff != "" {
				t.Errorf("information (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFrameGolden(t *testing.T) {
	for _, g := range frameVectors() {
		t.Run(g.name, func(t *testing.T) {
			proto, info, err := ParseFrame(g.frame)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(g.proto, proto); diff != "" {
				t.Errorf("protocol (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(g.info, info); diff != "" {
				t.Errorf("information (-want +got):\n%s", diff)
			}
		})
	}
}

package netstack_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

func TestUDPEcho(t *testing.T) {
	a, b := pair(t)
	pc, err := b.ListenPacket("udp", ":7")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:n], from)
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})

	c, err := a.DialContext(context.Background(), "udp", "192.0.2.2:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name string
		size int
	}{
		{"one byte", 1},
		{"fills the MTU", 1500 - 20 - 8},
		{"fragmented", 4000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := bytes.Repeat([]byte{byte(tt.size)}, tt.size)
			if _, err := c.Write(want); err != nil {
				t.Fatal(err)
			}
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			got := make([]byte, 65535)
			n, err := c.Read(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got[:n], want) {
				t.Errorf("echo of %d bytes returned %d different bytes", len(want), n)
			}
		})
	}
}

func TestUDPWriteTo(t *testing.T) {
	a, b := pair(t)
	pb, err := b.ListenPacket("udp4", "192.0.2.2:5000")
	if err != nil {
		t.Fatal(err)
	}
	defer pb.Close()
	pa, err := a.ListenPacket("udp", "")
	if err != nil {
		t.Fatal(err)
	}
	defer pa.Close()

	tests := []struct {
		name    string
		to      net.Addr
		wantErr bool
	}{
		{"4-byte IP", &net.UDPAddr{IP: net.IPv4(192, 0, 2, 2).To4(), Port: 5000}, false},
		{"16-byte IPv4-mapped IP", &net.UDPAddr{IP: net.IPv4(192, 0, 2, 2), Port: 5000}, false},
		{"IPv6", &net.UDPAddr{IP: net.ParseIP("2001:db8::1"), Port: 5000}, true},
		{"TCP address", &net.TCPAddr{IP: net.IPv4(192, 0, 2, 2), Port: 5000}, true},
		{"nil", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pa.WriteTo([]byte(tt.name), tt.to)
			if tt.wantErr {
				if err == nil {
					t.Fatal("WriteTo succeeded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pb.SetReadDeadline(time.Now().Add(10 * time.Second))
			buf := make([]byte, 100)
			n, from, err := pb.ReadFrom(buf)
			if err != nil {
				t.Fatal(err)
			}
			if string(buf[:n]) != tt.name || from.(*net.UDPAddr).IP.String() != "192.0.2.1" {
				t.Errorf("got %q from %v", buf[:n], from)
			}
		})
	}
}

func TestPacketConnClose(t *testing.T) {
	a, _ := pair(t)
	pc, err := a.ListenPacket("udp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	readErr := make(chan error, 1)
	go func() {
		_, _, err := pc.ReadFrom(make([]byte, 10))
		readErr <- err
	}()
	if err := pc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-readErr; !errors.Is(err, net.ErrClosed) {
		t.Errorf("blocked ReadFrom after Close: err = %v, want net.ErrClosed", err)
	}
	if err := pc.Close(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("second Close: err = %v, want net.ErrClosed", err)
	}
}

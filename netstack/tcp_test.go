package netstack_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/nettest"

	"github.com/gprsppp/gprsppp/netstack"
)

func TestNetTestConn(t *testing.T) {
	a, b := pair(t)
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		l, err := b.Listen("tcp", ":0")
		if err != nil {
			return nil, nil, nil, err
		}
		defer l.Close()
		accepted := make(chan net.Conn, 1)
		go func() {
			c, _ := l.Accept()
			accepted <- c
		}()
		c1, err = a.DialContext(context.Background(), "tcp", hostPort(addrB, l.Addr()))
		c2 = <-accepted
		if err != nil || c2 == nil {
			if c1 != nil {
				c1.Close()
			}
			if c2 != nil {
				c2.Close()
			}
			return nil, nil, nil, errors.Join(err, errors.New("accept failed"))
		}
		return c1, c2, func() { c1.Close(); c2.Close() }, nil
	})
}

func TestTCPEcho(t *testing.T) {
	a, b := pair(t)
	l := listen(t, b, ":7")
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
		c.(interface{ CloseWrite() error }).CloseWrite()
	}()

	c, err := a.DialContext(context.Background(), "tcp4", "192.0.2.2:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	want := make([]byte, 4<<20)
	rand.NewChaCha8([32]byte{1}).Read(want)
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(want)
		if err == nil {
			err = c.(interface{ CloseWrite() error }).CloseWrite()
		}
		werr <- err
	}()
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if err := <-werr; err != nil {
		t.Fatalf("Write: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("echoed %d bytes, want %d bytes identical to those sent", len(got), len(want))
	}
}

func TestListenTwice(t *testing.T) {
	_, b := pair(t)
	listen(t, b, ":80")
	tests := []struct{ name, address string }{
		{"any address", ":80"},
		{"local address", "192.0.2.2:80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := b.Listen("tcp", tt.address)
			if err == nil {
				l.Close()
				t.Fatal("second Listen succeeded")
			}
			if !errors.Is(err, syscall.EADDRINUSE) {
				t.Errorf("err = %v, want EADDRINUSE", err)
			}
		})
	}
}

func TestDialRefused(t *testing.T) {
	a, _ := pair(t)
	_, err := a.DialContext(context.Background(), "tcp", "192.0.2.2:81")
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want ECONNREFUSED", err)
	}
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		t.Errorf("err = %#v, want a dial *net.OpError", err)
	}
}

func TestDialContextEnds(t *testing.T) {
	tests := []struct {
		name    string
		ctx     func(*netstack.Stack) (context.Context, context.CancelFunc)
		wantErr error
	}{
		{"deadline", func(*netstack.Stack) (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, context.DeadlineExceeded},
		{"cancel after SYN", cancelAfterSend, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := pair(t)
			ctx, cancel := tt.ctx(a)
			defer cancel()
			c, err := a.DialContext(ctx, "tcp", addrNobody.String()+":80")
			if err == nil {
				c.Close()
				t.Fatal("dial to an address nobody answers succeeded")
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// cancelAfterSend returns a context that is cancelled as soon as s has
// sent a packet, that is once a dial is under way.
func cancelAfterSend(s *netstack.Stack) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	before := s.Stats().PacketsOut
	go func() {
		poll := time.NewTicker(time.Millisecond)
		defer poll.Stop()
		for s.Stats().PacketsOut == before {
			select {
			case <-poll.C:
			case <-ctx.Done():
				return
			}
		}
		cancel()
	}()
	return ctx, cancel
}

func TestPeerReset(t *testing.T) {
	a, b := pair(t)
	l := listen(t, b, ":7")
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := l.Accept()
		if err != nil {
			return
		}
		// Closing with unread data makes the stack send RST (RFC 2525 §2.17).
		c.Read(make([]byte, 1))
		c.Close()
	}()
	c, err := a.DialContext(context.Background(), "tcp", "192.0.2.2:7")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	<-done
	_, err = c.Read(make([]byte, 10))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("Read after peer reset: err = %v, want ECONNRESET", err)
	}
}

func TestConnAfterClose(t *testing.T) {
	a, b := pair(t)
	l := listen(t, b, ":7")
	go func() {
		if c, err := l.Accept(); err == nil {
			defer c.Close()
			io.Copy(io.Discard, c)
		}
	}()
	c, err := a.DialContext(context.Background(), "tcp", "192.0.2.2:7")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("first Close: %v", err)
	}
	for name, err := range map[string]error{
		"Close": c.Close(),
		"Read":  func() error { _, err := c.Read(make([]byte, 1)); return err }(),
		"Write": func() error { _, err := c.Write([]byte("x")); return err }(),
	} {
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s after Close: err = %v, want net.ErrClosed", name, err)
		}
	}
	if c.LocalAddr() == nil || c.RemoteAddr().String() != "192.0.2.2:7" {
		t.Errorf("addresses after Close: %v -> %v", c.LocalAddr(), c.RemoteAddr())
	}
}

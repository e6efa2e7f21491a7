package forward

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// failingListener is a listener whose first fails Accept calls return
// err, as a process out of file descriptors sees, before it accepts.
type failingListener struct {
	net.Listener
	fails atomic.Int32
	err   error
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, l.err
	}
	return l.Listener.Accept()
}

// failingPacketConn is the same for a UDP socket's reads.
type failingPacketConn struct {
	net.PacketConn
	fails atomic.Int32
	err   error
}

func (c *failingPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	if c.fails.Add(-1) >= 0 {
		return 0, nil, c.err
	}
	return c.PacketConn.ReadFrom(b)
}

func syscallErr(op string, errno syscall.Errno) error {
	return &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, errno)}
}

// burstLog reads records until one says the loop works again and
// returns them all, as "LEVEL message".
func burstLog(t *testing.T, rec *recorder) []string {
	t.Helper()
	var got []string
	timeout := time.After(waitTime)
	for {
		select {
		case r := <-rec.ch:
			got = append(got, r.Level.String()+" "+r.Message)
			if strings.Contains(r.Message, "works again") {
				if a := attr(r, "retries"); a != "6" {
					t.Errorf("%q: retries=%s, want 6", r.Message, a)
				}
				return got
			}
		case <-timeout:
			t.Fatalf("no \"works again\" record within %v; got %q", waitTime, got)
		}
	}
}

func attr(r slog.Record, key string) string {
	var v string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
		}
		return true
	})
	return v
}

// checkBurst checks that a burst was logged once as it began, once as it
// ended, and as nothing else but per-connection debug records.
func checkBurst(t *testing.T, got []string, name, op string) {
	t.Helper()
	var burst []string
	for _, l := range got {
		if !strings.HasPrefix(l, "DEBUG ") {
			burst = append(burst, l)
		}
	}
	want := []string{
		"WARN " + name + ": " + op + " failing, retrying with backoff",
		"INFO " + name + ": " + op + " works again",
	}
	if fmt.Sprint(burst) != fmt.Sprint(want) {
		t.Errorf("logged %q, want %q", burst, want)
	}
}

// -R: six EMFILE errors from Accept, then an inbound connection, which
// is relayed; the burst is logged once.
func TestServeRemoteAcceptBurst(t *testing.T) {
	client, network := newLink(t)
	r := Remote{Port: 2222, Target: startHostEcho(t)}
	inner, err := client.Listen("tcp", ":2222")
	if err != nil {
		t.Fatal(err)
	}
	ln := &failingListener{Listener: inner, err: syscallErr("accept", syscall.EMFILE)}
	ln.fails.Store(6)
	log, rec := newRecorder()
	allow := []netip.Prefix{netip.MustParsePrefix("10.64.0.1/32")}
	serve(t, func(ctx context.Context) error { return ServeRemote(ctx, r, ln, allow, nil, log) })

	ctx, cancel := context.WithTimeout(context.Background(), waitTime)
	defer cancel()
	c, err := network.DialContext(ctx, "tcp", "10.64.0.2:2222")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := []byte("through a burst of EMFILE")
	c.SetDeadline(time.Now().Add(waitTime))
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("echo: read %q, %v", got, err)
	}
	checkBurst(t, burstLog(t, rec), "forward: -R "+r.String(), "accept")
}

// -L over TCP: the same on the host's side.
func TestServeLocalTCPAcceptBurst(t *testing.T) {
	client, _ := newLink(t)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Local{Target: "10.64.0.1:7"}
	ln := &failingListener{Listener: inner, err: syscallErr("accept", syscall.ENFILE)}
	ln.fails.Store(6)
	log, rec := newRecorder()
	serve(t, func(ctx context.Context) error { return ServeLocalTCP(ctx, ln, l, client, log) })

	c, err := net.DialTimeout("tcp", inner.Addr().String(), waitTime)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	echoRoundTrip(t, c, []byte("through a burst of ENFILE"))
	checkBurst(t, burstLog(t, rec), "forward: -L "+l.String(), "accept")
}

// -L over UDP: ENOBUFS from the socket's reads, then a datagram, which
// is relayed.
func TestServeLocalUDPReadBurst(t *testing.T) {
	client, _ := newLink(t)
	inner, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := Local{Network: "udp", Target: "10.64.0.1:7"}
	pc := &failingPacketConn{PacketConn: inner, err: syscallErr("recvfrom", syscall.ENOBUFS)}
	pc.fails.Store(6)
	log, rec := newRecorder()
	serve(t, func(ctx context.Context) error { return ServeLocalUDP(ctx, pc, l, client, log) })

	c, err := net.Dial("udp", inner.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	udpEcho(t, c, "through a burst of ENOBUFS")
	checkBurst(t, burstLog(t, rec), "forward: -L "+l.String(), "read")
}

// A listener that fails for good, or is closed under the server (as the
// link's stack closes a -R listener), ends the server with that error.
func TestServeListenerEnds(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"closed", &net.OpError{Op: "accept", Net: "tcp", Err: net.ErrClosed}},
		{"shut down", syscallErr("accept", syscall.EINVAL)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, _ := newLink(t)
			inner, err := client.Listen("tcp", ":2222")
			if err != nil {
				t.Fatal(err)
			}
			defer inner.Close()
			ln := &failingListener{Listener: inner, err: tc.err}
			ln.fails.Store(1)
			log, rec := newRecorder()
			err = ServeRemote(context.Background(), Remote{Port: 2222, Target: "127.0.0.1:1"}, ln, nil, nil, log)
			if !errors.Is(err, tc.err) {
				t.Errorf("ServeRemote = %v, want %v", err, tc.err)
			}
			select {
			case r := <-rec.ch:
				t.Errorf("logged %q", r.Message)
			default:
			}
		})
	}
}

package shim

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// shimPipeNet is a Network whose connections are net.Pipes to an echo
// goroutine, for tests in a synctest bubble (no gVisor timers).
type shimPipeNet struct {
	far  chan net.Conn // the far end of each dialled connection
	done chan struct{}
}

func newShimPipeNet() *shimPipeNet {
	return &shimPipeNet{far: make(chan net.Conn, 16), done: make(chan struct{})}
}

func (n *shimPipeNet) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if network != "tcp" {
		return nil, errors.New("pipe: tcp only")
	}
	a, b := net.Pipe()
	select {
	case n.far <- b:
	default:
		go io.Copy(b, b) // nobody watches: echo
	}
	return a, nil
}

func (n *shimPipeNet) Listen(string, string) (net.Listener, error) {
	return nil, errors.New("pipe: no listen")
}

func (n *shimPipeNet) ListenPacket(string, string) (net.PacketConn, error) {
	return nil, errors.New("pipe: no udp")
}

func (n *shimPipeNet) LookupNetIP(context.Context, string) ([]netip.Addr, error) {
	return nil, errors.New("pipe: no dns")
}

func (n *shimPipeNet) DialResolved(context.Context, string, []netip.Addr, uint16) (net.Conn, error) {
	return nil, errors.New("pipe: no dns")
}

func (n *shimPipeNet) LocalAddr() netip.Addr    { return shimNearIP }
func (n *shimPipeNet) DNSServers() []netip.Addr { return nil }
func (n *shimPipeNet) Done() <-chan struct{}    { return n.done }

// expectFar reads exactly want from the far end of a dialled
// connection.
func expectFar(t *testing.T, far net.Conn, want string) {
	t.Helper()
	buf := make([]byte, len(want))
	n, err := io.ReadFull(far, buf)
	if err != nil || string(buf[:n]) != want {
		t.Fatalf("far read %q, %v; want %q", buf[:n], err, want)
	}
}

// TestShimTransparent runs the transparent mode of seed §4.1 with fake
// time: data both ways, "+++" with guard times, ATO, remote close.
func TestShimTransparent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
		r.init()
		runShimSteps(t, r, []shimStep{
			{"AT+QIMUX=0", "\r\nOK\r\n"},
			{"AT+QIMODE=1", "\r\nOK\r\n"},
			{"AT+QITCFG=3,2,512,1", "\r\nOK\r\n"},
			{"AT+QIMUX=1", "\r\nERROR\r\n"},
			{`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n"},
		})
		far := <-pn.far
		defer far.Close()
		farRead := func(want string) { t.Helper(); expectFar(t, far, want) }

		// Packing: sent after the 200 ms wait.
		start := time.Now()
		r.send("Welcome")
		farRead("Welcome")
		if d := time.Since(start); d != 200*time.Millisecond {
			t.Errorf("packed data sent after %v, want 200ms", d)
		}
		far.Write([]byte("from server"))
		r.expect("from server")

		// "+++" right after data is data.
		r.send("a+++b")
		farRead("a+++b")
		time.Sleep(time.Second)
		r.send("++")
		time.Sleep(time.Second)
		r.send("x")
		farRead("++x")

		// A proper escape.
		time.Sleep(time.Second)
		r.send("+++")
		time.Sleep(100 * time.Millisecond)
		r.send("+") // a fourth '+' too soon after: data, no escape
		farRead("++++")
		time.Sleep(time.Second)
		r.send("+++")
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
		r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: CONNECT OK\r\n")
		r.cmd("AT+QISEND", "\r\nERROR\r\n")

		// Data in command mode waits for ATO.
		far.Write([]byte("held"))
		r.cmd("AT", "\r\nOK\r\n")
		r.cmd("ATO", "\r\nCONNECT\r\nheld")
		r.send("back")
		farRead("back")

		// Remote close returns to command mode.
		far.Close()
		r.expect("\r\nCLOSED\r\n")
		r.cmd("AT", "\r\nOK\r\n")
		r.cmd("ATO", "\r\nERROR\r\n")
		r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: IP CLOSE\r\n")
	})
}

// TestShimTransparentPacking sends full AT+QITCFG packets at once and the
// rest after the wait time.
func TestShimTransparentPacking(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
		r.init()
		r.cmd("AT+QIMODE=1;+QITCFG=3,5,8,1", "\r\nOK\r\n")
		r.cmd("AT+QITCFG?", "\r\n+QITCFG: 3,5,8,1\r\n\r\nOK\r\n")
		r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		start := time.Now()
		r.send("0123456789abcdefghij")
		buf := make([]byte, 8)
		for _, want := range []string{"01234567", "89abcdef", "ghij"} {
			n, err := io.ReadFull(far, buf[:len(want)])
			if err != nil || string(buf[:n]) != want {
				t.Fatalf("far read %q, %v; want %q", buf[:n], err, want)
			}
			wantAt := time.Duration(0)
			if len(want) < 8 {
				wantAt = 500 * time.Millisecond
			}
			if d := time.Since(start); d != wantAt {
				t.Errorf("%q sent after %v, want %v", want, d, wantAt)
			}
		}
	})
}

// TestShimTransparentDTR leaves data mode by dropping DTR after AT&D1.
func TestShimTransparentDTR(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
		r.init()
		r.cmd("AT&D1;+QIMODE=1", "\r\nOK\r\n")
		r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		r.dtr.Store(false)
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
		r.dtr.Store(true)
		r.cmd("ATO", "\r\nCONNECT\r\n")
		r.send("+++") // no guard time before it: data
		buf := make([]byte, 3)
		if _, err := io.ReadFull(far, buf); err != nil || string(buf) != "+++" {
			t.Fatalf("far read %q, %v", buf, err)
		}
		r.dtr.Store(false)
		time.Sleep(time.Second)
		r.expect("\r\nOK\r\n")
	})
}

// TestShimDTRModes drops DTR in transparent data mode under each AT&D
// setting (V.250 §6.2.9, the M95/M35 manuals' AT&D): &D0 ignores it, &D1
// changes to command mode keeping the connection, &D2 disconnects it and
// changes to command mode.
func TestShimDTRModes(t *testing.T) {
	tests := []struct {
		name   string
		set    string
		answer string // to the drop
		state  string // AT+QISTAT's then; "" = still in data mode
		closed bool   // the far end sees the connection close
	}{
		{"D0", "AT&D0", "", "", false},
		{"D1", "AT&D1", "\r\nOK\r\n", "CONNECT OK", false},
		{"D2", "AT&D2", "\r\nCLOSED\r\n\r\nOK\r\n", "IP CLOSE", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				pn := newShimPipeNet()
				r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
				r.init()
				r.cmd(tc.set+";+QIMODE=1", "\r\nOK\r\n")
				r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n")
				far := <-pn.far
				defer far.Close()
				r.dtr.Store(false)
				time.Sleep(time.Second)
				r.expect(tc.answer)
				synctest.Wait()
				r.expectNothing()
				if tc.state == "" {
					r.send("still data")
					buf := make([]byte, 10)
					if _, err := io.ReadFull(far, buf); err != nil || string(buf) != "still data" {
						t.Fatalf("far read %q, %v", buf, err)
					}
					return
				}
				r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: "+tc.state+"\r\n")
				r.dtr.Store(true)
				if tc.closed {
					if n, err := far.Read(make([]byte, 1)); err != io.EOF {
						t.Errorf("far read %d, %v; want EOF", n, err)
					}
					r.cmd("ATO", "\r\nERROR\r\n")
					return
				}
				r.cmd("ATO", "\r\nCONNECT\r\n")
			})
		})
	}
}

// TestShimTimedSend is AT+QIAUTOS (seed §5.2.2.3): the payload goes when
// the timer expires; an empty one fails.
func TestShimTimedSend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
		r.init()
		r.cmd("AT+QIAUTOS=1,10", "\r\nOK\r\n")
		r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
		far := <-pn.far
		defer far.Close()
		start := time.Now()
		r.cmd("AT+QISEND", "\r\n> ")
		r.send("Welcome")
		buf := make([]byte, 7)
		if _, err := io.ReadFull(far, buf); err != nil || string(buf) != "Welcome" {
			t.Fatalf("far read %q, %v", buf, err)
		}
		if d := time.Since(start); d != 10*time.Second {
			t.Errorf("sent after %v, want 10s", d)
		}
		r.expect("\r\nSEND OK\r\n")
		r.cmd("AT+QISEND", "\r\n> ")
		time.Sleep(10 * time.Second)
		r.expect("\r\nSEND FAIL\r\n")
		r.cmd("AT+QIAUTOS?", "\r\n+QIAUTOS: 1,10\r\n\r\nOK\r\n")
	})
}

// TestShimManualClock drives the QIAUTOS timer with an injected clock.
func TestShimManualClock(t *testing.T) {
	clk := clock.NewManual(time.Unix(1e9, 0))
	pn := &shimPipeNet{done: make(chan struct{})} // connections echo
	r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo},
		func(c *Config) { c.Clock = clk })
	r.init()
	r.cmd("AT+QIAUTOS=1,5", "\r\nOK\r\n")
	r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT OK\r\n")
	r.cmd("AT+QISEND", "\r\n> ") // the timer is armed before the prompt
	clk.Advance(4 * time.Second)
	if clk.Pending() != 1 {
		t.Fatalf("%d timers pending, want the QIAUTOS one", clk.Pending())
	}
	clk.Advance(time.Second)
	r.expect("\r\nSEND FAIL\r\n") // nothing typed
	r.cmd("AT+QICLOSE", "\r\nCLOSE OK\r\n")
}

// TestShimTransparentPDPDeact loses the network in data mode.
func TestShimTransparentPDPDeact(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pn := newShimPipeNet()
		r := newShimRigBackend(t, &shimFakeBackend{nw: pn, info: shimTestInfo}, nil)
		r.init()
		r.cmd("AT+QIMODE=1", "\r\nOK\r\n")
		r.cmd(`AT+QIOPEN="TCP","10.0.0.1",7007`, "\r\nOK\r\n\r\nCONNECT\r\n")
		far := <-pn.far
		defer far.Close()
		close(pn.done)
		r.expect("\r\nCLOSED\r\n\r\n+PDP DEACT\r\n")
		r.cmd("AT+QISTAT", "\r\nOK\r\n\r\nSTATE: PDP DEACT\r\n")
	})
}

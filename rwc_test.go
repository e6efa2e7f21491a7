package gprsppp_test

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
)

// synWindows records the windows of the TCP SYNs a link sends, with
// and without ACK.
type synWindows struct {
	mu          sync.Mutex
	syn, synack []int
}

func (w *synWindows) trace(sent bool, frame []byte) {
	proto, ip, err := ppp.ParseFrame(frame)
	if err != nil || !sent || proto != ppp.ProtocolIPv4 || len(ip) < 40 || ip[9] != 6 {
		return
	}
	tcp := ip[int(ip[0]&0x0f)*4:]
	if len(tcp) < 20 || tcp[13]&0x02 == 0 {
		return
	}
	win := int(binary.BigEndian.Uint16(tcp[14:16])) // never scaled in a SYN
	w.mu.Lock()
	defer w.mu.Unlock()
	if tcp[13]&0x10 != 0 {
		w.synack = append(w.synack, win)
	} else {
		w.syn = append(w.syn, win)
	}
}

// With receive-window control on, a connection's handshake already
// advertises a controlled window, dialled or accepted: at 115200 bit/s
// about 7 KB, where gVisor's own first window (29 KB, 2.5 s of the line)
// could have the sender fill the operator's queue before the control
// set the first.
func TestFirstWindowControlled(t *testing.T) {
	for _, tc := range []struct {
		name          string
		rate          int
		least, atMost int
	}{
		{"controlled", 11520, 1, 8 << 10},
		{"uncontrolled", 0, 16 << 10, 64 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen synWindows
			client, gw := openPair(t, gprsppp.Config{LineRate: tc.rate, Trace: seen.trace})
			l, err := client.Listen("tcp", ":2222")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			go echoOne(l)
			gl, err := gw.Listen("tcp", ":7")
			if err != nil {
				t.Fatal(err)
			}
			defer gl.Close()
			go echoOne(gl)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := client.DialContext(ctx, "tcp", "10.64.64.1:7")
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
			c, err = gw.DialContext(ctx, "tcp", client.LocalAddr().String()+":2222")
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
			seen.mu.Lock()
			defer seen.mu.Unlock()
			if len(seen.syn) != 1 || len(seen.synack) != 1 {
				t.Fatalf("saw %d SYNs and %d SYN-ACKs sent, want one of each", len(seen.syn), len(seen.synack))
			}
			for _, w := range []int{seen.syn[0], seen.synack[0]} {
				if w < tc.least || w > tc.atMost {
					t.Errorf("first windows: SYN %d, SYN-ACK %d octets; want each within [%d, %d]", seen.syn[0], seen.synack[0], tc.least, tc.atMost)
					break
				}
			}
		})
	}
}

// Receive coalescing under receive-window control: with the line's
// rate told (115200 bit/s, so segments of the MTU and small controlled
// windows) on a line that delivers far faster, full segments arrive
// together and are joined into segments several times a window's
// fraction of the receive buffer; 1 MiB still crosses both ways on a
// connection dialled by each side, byte-exact.
func TestCoalescingUnderWindowControl(t *testing.T) {
	client, gw := openPair(t, gprsppp.Config{LineRate: 14400})
	echoEachWay(t, client, gw, 1<<20)
}

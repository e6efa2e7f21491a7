package gprsppp_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/cmux"
)

// cmuxPair is a cmuxModem and the line to it.
func cmuxPair(t *testing.T) (*cmuxModem, *sharedLine) {
	dte, dce := net.Pipe()
	t.Cleanup(func() { dte.Close() })
	return startCMUXModem(t, dce), newSharedLine(dte)
}

func dialCMUX(t *testing.T, line *sharedLine, cfg gprsppp.Config) *gprsppp.Link {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg.CMUX = true
	l, err := gprsppp.DialPort(ctx, line.Open(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// waitDone waits for l to end and returns why.
func waitDone(t *testing.T, l *gprsppp.Link, within time.Duration) error {
	t.Helper()
	select {
	case <-l.Done():
		return l.Err()
	case <-time.After(within):
		t.Fatalf("the link is still up after %v", within)
		return nil
	}
}

// With CMUX the link runs on DLCI 2 and the modem's status comes from
// DLCI 1, which takes commands too; closing the link ends PPP (LCP
// Terminate-Request, while DLCI 2 is still open), then closes the
// channels (DISC), then the multiplexer (CLD), and the modem answers AT
// again.
func TestCMUXStatusCommandAndShutdown(t *testing.T) {
	modem, line := cmuxPair(t)
	l := dialCMUX(t, line, gprsppp.Config{StatusInterval: time.Hour})
	st, ok := l.ModemStatus()
	if !ok || st.Signal != "20,99" || !strings.Contains(st.Operator, "Test Net") || st.CEREG == "" {
		t.Errorf("ModemStatus = %+v, %v", st, ok)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reply, err := l.ModemCommand(ctx, "AT+CSQ", 0)
	if err != nil || reply.Result != "OK" || len(reply.Lines) != 1 || reply.Lines[0] != "+CSQ: 20,99" {
		t.Errorf("ModemCommand(AT+CSQ) = %+v, %v", reply, err)
	}
	conn, err := l.DialContext(ctx, "tcp", "10.64.64.1:9")
	if err == nil {
		conn.Close()
	}
	l.Close()
	if err := modem.pppEndedWith(1); !errors.Is(err, gprsppp.ErrPeerTerminated) {
		t.Errorf("the network side's PPP ended with %v, want the client's Terminate-Request, sent before DLCI 2 closed", err)
	}
	if err := modem.endedWith(1); !errors.Is(err, cmux.ErrClosedByPeer) {
		t.Errorf("the modem's multiplexer ended with %v, want closed by the peer (CLD)", err)
	}
	// Each channel was closed by its DISC, not by the multiplexer's end.
	for _, dlci := range []int{1, 2} {
		if err := modem.dlc(dlci).Err(); !errors.Is(err, cmux.ErrDisconnected) {
			t.Errorf("DLCI %d ended with %v, want a DISC from the host before its CLD", dlci, err)
		}
	}
	if err := plainAT(line); err != nil {
		t.Error(err)
	}
	if _, err := l.ModemCommand(ctx, "AT+CSQ", 0); err == nil {
		t.Error("ModemCommand after Close: no error")
	}
}

// A link without CMUX has no AT channel.
func TestNoATChannelWithoutCMUX(t *testing.T) {
	l := &gprsppp.Link{}
	if _, ok := l.ModemStatus(); ok {
		t.Error("ModemStatus of a link without CMUX: ok")
	}
	if _, err := l.ModemCommand(context.Background(), "AT", 0); !errors.Is(err, gprsppp.ErrNoATChannel) {
		t.Errorf("ModemCommand: %v, want ErrNoATChannel", err)
	}
}

// The modem closing DLCI 2 (DISC) ends the link, saying so.
func TestCMUXDataChannelClosedByModem(t *testing.T) {
	modem, line := cmuxPair(t)
	l := dialCMUX(t, line, gprsppp.Config{StatusInterval: time.Hour})
	modem.dlc(2).Close()
	err := waitDone(t, l, 20*time.Second)
	if !errors.Is(err, cmux.ErrDisconnected) || !errors.Is(err, gprsppp.ErrIO) {
		t.Errorf("link ended with %v, want an I/O error for the DLC closed by the modem", err)
	}
	t.Logf("reason: %v", err)
}

// The modem closing the AT channel (DISC on DLCI 1) while PPP goes on
// over DLCI 2: the channel is opened again, a command sent meanwhile
// waits for it and is answered there, and the status read before stays
// shown until the new channel's first poll.
func TestCMUXATChannelReopened(t *testing.T) {
	modem, line := cmuxPair(t)
	l := dialCMUX(t, line, gprsppp.Config{StatusInterval: time.Hour})
	before, ok := l.ModemStatus()
	if !ok || !strings.Contains(before.Operator, "Test Net") {
		t.Fatalf("status before: %+v, %v; want the operator read", before, ok)
	}
	first := modem.dlc(1)
	first.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := l.ModemCommand(ctx, "AT+COPS?", 0)
	if err != nil || r.Result != "OK" || len(r.Lines) != 1 || r.Lines[0] != `+COPS: 0,0,"Test Net",7` {
		t.Fatalf("AT+COPS? after the modem closed DLCI 1: %+v, %v", r, err)
	}
	if modem.dlc(1) == first {
		t.Error("answered on the channel the modem closed")
	}
	if st, _ := l.ModemStatus(); st.Operator != before.Operator {
		t.Errorf("status after: %+v, want the operator still shown", st)
	}
	select {
	case <-l.Done():
		t.Fatalf("the link ended with the AT channel: %v", l.Err())
	default:
	}
}

// A multiplexer gone silent ends the link once the keepalive's Test
// commands go unanswered; the supervisor's redial finds the modem still
// in its multiplexer, closes it (CLD) and brings a new one and a new
// link up.
func TestCMUXSilenceEndsLinkAndRedialRecovers(t *testing.T) {
	modem, line := cmuxPair(t)
	cfg := gprsppp.Config{CMUX: true, CMUXKeepAlive: 300 * time.Millisecond, StatusInterval: time.Hour}
	sup := gprsppp.NewSupervisor(gprsppp.SupervisorConfig{
		Persist: true, Holdoff: time.Second, MaxFail: -1,
		Dial: func(ctx context.Context) (*gprsppp.Link, error) {
			return gprsppp.DialPort(ctx, line.Open(), cfg)
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- sup.Run(ctx) }()
	defer func() {
		cancel()
		<-ran
	}()
	wait, stop := context.WithTimeout(ctx, 30*time.Second)
	defer stop()
	first, err := sup.Link(wait)
	if err != nil {
		t.Fatal(err)
	}
	modem.line.muted.Store(true)
	err = waitDone(t, first, 20*time.Second)
	modem.line.muted.Store(false)
	if !errors.Is(err, cmux.ErrPeerSilent) {
		t.Errorf("link ended with %v, want the multiplexer's silence", err)
	}
	t.Logf("reason: %v", err)
	// Link hands out only a link that has not ended: a new one.
	if _, err := sup.Link(wait); err != nil {
		t.Fatalf("no link after the redial: %v", err)
	}
	if err := modem.endedWith(1); !errors.Is(err, cmux.ErrClosedByPeer) {
		t.Errorf("the stale multiplexer ended with %v, want closed by the redial's CLD", err)
	}
}

// plainAT checks that the modem answers AT with OK on a new port.
func plainAT(line *sharedLine) error {
	p := line.Open()
	defer p.Close()
	deadline := time.Now().Add(10 * time.Second)
	var seen []byte
	for time.Now().Before(deadline) {
		if _, err := p.Write([]byte("AT\r")); err != nil {
			return err
		}
		p.SetReadDeadline(time.Now().Add(time.Second))
		b := make([]byte, 64)
		for {
			n, err := p.Read(b)
			seen = append(seen, b[:n]...)
			if strings.Contains(string(seen), "OK") {
				return nil
			}
			if err != nil {
				break
			}
		}
	}
	return errors.New("no OK to AT after the multiplexer ended; the line said " + string(seen))
}

// The shim's hosts see the modem as the AT channel finds it: signal,
// registration (as it changes, by URC) and operator.
func TestCMUXShimInfo(t *testing.T) {
	modem, line := cmuxPair(t)
	l := dialCMUX(t, line, gprsppp.Config{StatusInterval: time.Hour})
	b := &gprsppp.ShimBackend{Link: func(context.Context) (*gprsppp.Link, error) { return l, nil }}
	ctx := context.Background()
	m := b.Info(ctx)
	if m.RSSI != 20 || m.BER != 99 || m.Registration != 1 || m.Operator != "Test Net" || !m.SIMReady {
		t.Errorf("Info = %+v, want CSQ 20,99, registered at home on Test Net", m)
	}
	modem.atModem(1).URC(`+CEREG: 5,"1A2B","01C3D4E5",7`)
	// The monitor has read the URC once the answer to a later command
	// is in, whether the URC came before it or in the middle.
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := l.ModemCommand(tctx, "AT", 0); err != nil {
		t.Fatal(err)
	}
	if m := b.Info(ctx); m.Registration != 5 {
		t.Errorf("Info after a roaming URC: %+v, want registration 5", m)
	}
}

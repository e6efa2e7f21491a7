package test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/cmux"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/test/pppvm"
)

// Flow control against Linux n_gsm: the modem sends 300000 octets on
// DLCI 1 (AT+PPPVMTX) while nothing reads the channel. Past a quarter of
// its 64 KiB buffer the channel asks n_gsm to stop (MSC with FC); n_gsm
// stops before the buffer is full, and once the reader has drained it
// (MSC without FC) sends the rest: every octet arrives, none dropped.
// Were FC ignored, the octets would fill the buffer while the reader
// waits and the rest would be dropped (Stats.RxDropped), the buffer held
// at RxBuffer: the test checks the flow stopped below it and nothing was
// dropped before it reads a byte.
func TestPPPDCMUXFlowControl(t *testing.T) {
	const rxBuffer, total = 64 << 10, 300000
	vm := pppvm.Start(t, pppvm.Options{CMUX: true})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	port, err := device.Open(ctx, vm.Serial, device.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := dialer.EnterCMUX(ctx, port, dialer.CMUXConfig{Logger: testLogger(t)}); err != nil {
		port.Close()
		t.Fatal(err)
	}
	mux := cmux.NewInitiator(port, cmux.Config{N1: dialer.DefaultCMUXN1, RxBuffer: rxBuffer, Logger: testLogger(t)})
	defer mux.Close()
	ch, err := mux.Open(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	channelSync(t, ch)
	start := time.Now()
	if _, err := fmt.Fprintf(ch, "AT+PPPVMTX=%d\r", total); err != nil {
		t.Fatal(err)
	}

	waitCondition(t, 30*time.Second, "an MSC with FC on DLCI 1", func() bool { return mux.Stats().FlowStops > 0 })
	held := waitStill(t, ch, mux, time.Second, 30*time.Second)
	s := mux.Stats()
	t.Logf("the flow stood still with %d octets buffered (FC sent past %d), %d dropped", held, rxBuffer/4, s.RxDropped)
	if s.RxDropped != 0 || held >= rxBuffer {
		t.Fatalf("the flow did not stop: %d octets buffered of %d, %d dropped", held, rxBuffer, s.RxDropped)
	}
	if held <= rxBuffer/4 || held >= total {
		t.Fatalf("%d octets buffered when the flow stopped: want over the FC threshold %d and fewer than the %d sent",
			held, rxBuffer/4, total)
	}

	var got bytes.Buffer
	want := strings.Repeat("U", total) + "\r\nOK\r\n"
	buf := make([]byte, 4096)
	for got.Len() < len(want) {
		ch.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, err := ch.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("after %d octets: %v", got.Len(), err)
		}
	}
	elapsed := time.Since(start)
	s = mux.Stats()
	t.Logf("%d octets (the data and OK) in %v; %d MSCs with FC, %d without; dropped %d; decoder %+v",
		got.Len(), elapsed.Round(time.Millisecond), s.FlowStops, s.FlowResumes, s.RxDropped, s.Decoder)
	if g := got.String(); g != want {
		i := 0
		for i < len(g) && i < len(want) && g[i] == want[i] {
			i++
		}
		t.Errorf("%d octets (%d U), first difference at %d: %q, want %d U then OK",
			len(g), strings.Count(g, "U"), i, g[i:min(len(g), i+32)], total)
	}
	if s.RxDropped != 0 {
		t.Errorf("%d octets dropped", s.RxDropped)
	}
	if s.FlowResumes == 0 {
		t.Error("no MSC without FC sent after the reader drained the buffer")
	}
}

// channelSync brings the modem's AT interpreter on ch to a known state
// with echo off: it sends ATE0 until answered (the interpreter on a DLC
// may start after the DLC opened, and what came before it is lost), then
// AT+CGSN, whose answer comes after every earlier one, so that nothing
// of the retries is left to read.
func channelSync(t *testing.T, ch *cmux.Channel) {
	t.Helper()
	defer ch.SetReadDeadline(time.Time{})
	var got []byte
	buf := make([]byte, 256)
	// read reads until got ends with want or the deadline passes.
	read := func(want string, d time.Duration) bool {
		ch.SetReadDeadline(time.Now().Add(d))
		for !bytes.HasSuffix(got, []byte(want)) {
			n, err := ch.Read(buf)
			got = append(got, buf[:n]...)
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return false
			}
			if err != nil {
				t.Fatalf("AT on DLCI 1: %v after %q", err, got)
			}
		}
		return true
	}
	write := func(cmd string) {
		if _, err := ch.Write([]byte(cmd + "\r")); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; ; i++ {
		if i == 20 {
			t.Fatalf("ATE0 on DLCI 1: no OK, got %q", got)
		}
		write("ATE0")
		if read("OK\r\n", time.Second) {
			break
		}
	}
	write("AT+CGSN")
	if !read("\r\n350000000000001\r\n\r\nOK\r\n", 10*time.Second) {
		t.Fatalf("AT+CGSN on DLCI 1: got %q", got)
	}
}

// waitCondition polls cond until it holds, failing t after timeout.
func waitCondition(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no %s within %v", what, timeout)
		}
	}
}

// waitStill waits until neither the octets buffered on ch nor those the
// multiplexer dropped have changed for quiet, the peer having stopped
// sending, and returns the octets buffered; it fails t if that takes
// longer than timeout.
func waitStill(t *testing.T, ch *cmux.Channel, mux *cmux.Mux, quiet, timeout time.Duration) int {
	t.Helper()
	deadline := time.After(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	held, dropped, since := ch.Buffered(), mux.Stats().RxDropped, time.Now()
	for time.Since(since) < quiet {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("data still arriving after %v: %d octets buffered, %d dropped", timeout, held, dropped)
		}
		if h, d := ch.Buffered(), mux.Stats().RxDropped; h != held || d != dropped {
			held, dropped, since = h, d, time.Now()
		}
	}
	return held
}

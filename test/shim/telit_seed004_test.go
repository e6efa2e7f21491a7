package shim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/shim"
)

// Sources of the seed 004 test's inbound connections: one inside the
// firewall entry the seed adds (192.168.1.1/255.255.255.0), one outside.
var (
	seedAllowed = netip.MustParseAddr("192.168.1.7")
	seedRefused = netip.MustParseAddr("172.16.0.9")
)

// startTelitModule serves one Telit module with two AT ports over
// pseudo-terminals, MDM and MDM2 as the seed's Python calls them.
func (s *stack) startTelitModule(t *testing.T) (mdm, mdm2 *host) {
	t.Helper()
	link := s.client
	sh := shim.New(shim.Config{
		Backend: &gprsppp.ShimBackend{Link: func(context.Context) (*gprsppp.Link, error) {
			return link, nil
		}},
		Dialect: shim.DialectTelit,
	})
	dce1, dte1 := ppptest.PtyPair(t)
	dce2, dte2 := ppptest.PtyPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sh.ServePorts(ctx, dce1, dce2) }()
	mdm, mdm2 = newHost(t, dte1), newHost(t, dte2)
	t.Cleanup(func() {
		cancel()
		dce1.Close()
		dce2.Close()
		mdm.close()
		mdm2.close()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				t.Logf("ServePorts returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("ServePorts did not return within 10 s of its context ending")
		}
	})
	return mdm, mdm2
}

// TestTelitSeed004 runs seed 004's program (a GC864-PY's Python: a
// listening socket behind the firewall bridged to the serial port) on
// two ptys of one module: make_connection, save_firewall's AT#FRWL=2
// clear and re-add, request_GPRS_context, open_listening_socket, then
// handle_socket_call on SRING: AT#SA=1,0 on MDM, the bridge, AT#SS on
// MDM2 until "#SS: 1,0", and AT#SL again. A source outside the firewall
// is refused and MDM sees no SRING.
func TestTelitSeed004(t *testing.T) {
	st := newStack(t, seedAllowed, seedRefused)
	mdm, mdm2 := st.startTelitModule(t)
	const port = 23

	// make_connection (echo stays on, as the seed never turns it off).
	mdm.at("AT#GPRS=0", "OK")
	mdm.at(`AT+CGDCONT=1,"IP","INTERNETTRIAL"`, "OK")
	mdm.at(`AT#USERID="trial488@INTERNETTRIAL"`, "OK")
	mdm.at(`AT#PASSW="trialpass488"`, "OK")
	mdm.at(`AT#FRWL=1,"192.168.1.1","255.255.255.0"`, "OK")
	// save_firewall: clear, then the saved list again.
	mdm.at(`AT#FRWL=2,"192.168.4.1","225.255.255.0"`, "OK")
	mdm.at(`AT#FRWL?`, "OK")
	mdm.at(`AT#FRWL=1,"192.168.1.1","255.255.255.0"`, "OK")
	mdm.at(`AT#FRWL?`, `#FRWL: "192.168.1.0","255.255.255.0"`, "OK")
	// request_GPRS_context: until the answer contains IP.
	mdm.cmd("AT#GPRS=1")
	mdm.expect(15*time.Second, "AT#GPRS=1")
	if l := mdm.line(15 * time.Second); !strings.Contains(l, "IP") {
		t.Fatalf("AT#GPRS=1: %q, want the address", l)
	}
	mdm.expect(5*time.Second, "OK")
	// open_listening_socket.
	mdm.at("AT#SL=1,1,23", "OK")
	mdm2.at("AT#SS=1", "#SS: 1,4,"+st.clientAddr().String()+",23,0.0.0.0,0", "OK")

	// Outside the firewall: the connection is closed, and no SRING.
	refused := st.dialFrom(t, seedRefused, port)
	refused.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := refused.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a source outside the firewall: read %d, %v; want the connection closed", n, err)
	}
	// Still listening with no connection waiting (state 5), and no SRING.
	mdm2.at("AT#SS=1", "#SS: 1,4,"+st.clientAddr().String()+",23,0.0.0.0,0", "OK")
	mdm.at("AT", "OK")

	// handle_socket_call.
	remote := st.dialFrom(t, seedAllowed, port)
	remote.SetDeadline(time.Now().Add(30 * time.Second))
	mdm.expect(10*time.Second, "SRING: 1")
	mdm.at("AT#SA=1,0", "CONNECT")
	mdm.crlf(time.Second)
	all := make([]byte, 256) // one '+' alone is data: only +++ between guard times escapes
	for i := range all {
		all[i] = byte(i)
	}
	if _, err := remote.Write(all); err != nil {
		t.Fatal(err)
	}
	if got := mdm.readN(len(all), 10*time.Second); !bytes.Equal(got, all) {
		t.Fatalf("MDM read %q, want %q", got, all)
	}
	mdm.write(all)
	got := make([]byte, len(all))
	if _, err := io.ReadFull(remote, got); err != nil || !bytes.Equal(got, all) {
		t.Fatalf("the remote read %q (%v), want %q", got, err, all)
	}
	rp := remote.LocalAddr().(*net.TCPAddr).Port
	mdm2.cmd("AT#SS")
	if l := mdm2.line(5 * time.Second); l != "AT#SS" {
		t.Fatalf("AT#SS echo: %q", l)
	}
	want := "#SS: 1,1," + st.clientAddr().String() + ",23," + seedAllowed.String() + "," + strconv.Itoa(rp)
	if l := mdm2.line(5 * time.Second); l != want {
		t.Fatalf("AT#SS on MDM2: %q, want %q", l, want)
	}
	for range 5 {
		mdm2.line(5 * time.Second)
	}
	mdm2.expect(5*time.Second, "OK")

	remote.Close()
	mdm.expect(10*time.Second, "NO CARRIER")
	deadline := time.Now().Add(10 * time.Second)
	for closed := false; !closed; {
		if time.Now().After(deadline) {
			t.Fatal("AT#SS never showed #SS: 1,0")
		}
		mdm2.cmd("AT#SS")
		for {
			l := mdm2.line(5 * time.Second)
			closed = closed || strings.Contains(l, "#SS: 1,0")
			if l == "OK" {
				break
			}
		}
	}
	mdm.at("AT#SL=1,1,23", "OK")
	mdm2.at("AT#SS=1", "#SS: 1,4,"+st.clientAddr().String()+",23,0.0.0.0,0", "OK")
}

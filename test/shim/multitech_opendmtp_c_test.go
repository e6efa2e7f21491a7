package shim_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/rawtty"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/shim"
)

// TestMultiTechOpenDMTPC runs OpenDMTP's own GPRS transport
// (testdata/opendmtp: src/custom/transport/gprs.c with its serial and
// logging code, compiled with gcc) against the Multi-Tech shim on a
// pseudo-terminal, as the transport's "CONSOLE" port: the modem's
// initialisation, #CONNECTIONSTART, #DISPLAYIP and #VDNS, a duplex
// session (#TCPSERV, #TCPPORT, #OTCP) to the simulator's echo service by
// name exchanging an ASCII-encoded DMTP packet, its close with three
// ETX, a simplex session's datagram (#UDPSERV, #UDPPORT, #OUDP) that a
// UDP service on the network receives, and #CONNECTIONSTOP.
func TestMultiTechOpenDMTPC(t *testing.T) {
	gcc := testenv.NeedTool(t, "gcc", "apt-get install gcc")
	src, err := filepath.Abs("testdata/opendmtp")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "gprs-echo")
	build := exec.Command(gcc, "-std=gnu99", "-w", "-DTARGET_LINUX", "-DTRANSPORT_MEDIA_GPRS", "-Isrc", "-o", bin,
		"gprs-echo.c", "src/custom/transport/gprs.c", "src/custom/log.c", "src/tools/comport.c",
		"src/tools/strtools.c", "src/tools/bintools.c", "src/tools/utctools.c", "src/tools/buffer.c",
		"src/tools/threads.c", "src/tools/io.c", "src/tools/gpstools.c", "-lpthread", "-lm")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build OpenDMTP's transport: %v\n%s", err, out)
	}

	st := newStack(t)
	udp, err := st.network.ListenPacket("udp", ":31000")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close() })
	if master, err = rawtty.Pollable(master); err != nil {
		t.Fatal(err)
	}
	for _, f := range []*os.File{master, slave} {
		if err := rawtty.MakeRaw(f); err != nil {
			t.Fatal(err)
		}
	}
	link := st.client
	sh := shim.New(shim.Config{
		Backend: &gprsppp.ShimBackend{Link: func(context.Context) (*gprsppp.Link, error) { return link, nil }},
		Dialect: shim.DialectMultiTech,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sh.Serve(ctx, master) }()
	t.Cleanup(func() {
		cancel()
		master.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return")
		}
	})

	rctx, rcancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer rcancel()
	cmd := exec.CommandContext(rctx, bin, "internet", hostName, "7", gwAddr.String(), "31000")
	cmd.Stdin, cmd.Stdout = slave, slave
	var log bytes.Buffer
	cmd.Stderr = &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("gprs-echo: %v\nthe transport's log:\n%s", err, log.String())
	}
	for _, want := range []string{"#MY IP:", "#DNSSERV1:", "Socket closed", "gprs-echo: done"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the transport's log lacks %q:\n%s", want, log.String())
		}
	}
	udp.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 2048)
	n, from, err := udp.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "$E031:FEDCBA9876543210\r" {
		t.Fatalf("the UDP service read %q, %v", buf[:n], err)
	}
	if a, _ := from.(*net.UDPAddr); a == nil || a.IP.String() != st.clientAddr().String() {
		t.Errorf("datagram from %v, want the client %v", from, st.clientAddr())
	}
}

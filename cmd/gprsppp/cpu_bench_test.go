package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkConnectCPU measures the CPU time connect spends per megabyte
// it carries, on its production path: SOCKS5 in from a client on this
// host's loopback, PPP out over an OS pseudo-terminal to `gprsppp sim`
// run as a process of its own, so that only connect's side (and the
// client's reads, a small part) count in this process's getrusage. Each
// iteration downloads the simulator's 4 MiB /pattern.bin over HTTP
// through the proxy, unpaced and with the simulator emulating a 150
// Mbit/s line. Profile it with -cpuprofile:
//
//	go test -run '^$' -bench ConnectCPU -benchtime 10x -cpuprofile cpu.out ./cmd/gprsppp
func BenchmarkConnectCPU(b *testing.B) {
	for _, tc := range []struct {
		name string
		baud int
	}{
		{"unpaced", 0},
		{"150Mbit", 150_000_000},
	} {
		b.Run(tc.name, func(b *testing.B) { connectCPU(b, tc.baud) })
	}
}

// patternSize is the size of the simulator's /pattern.bin.
const patternSize = 4 << 20

func connectCPU(b *testing.B, baud int) {
	runtimeDir(b)
	tty := filepath.Join(b.TempDir(), "tty")
	startProcess(b, "ready", "sim", "--link", tty, "--baud", strconv.Itoa(baud))
	socks := freeAddr(b)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runConnect(ctx, pw, &globals{}, connectFlags{device: tty, socks5: socks, maxfail: 1})
		pw.Close()
	}()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("connect: %v", err)
		}
	})
	awaitReady(b, pr)

	b.SetBytes(patternSize)
	b.ResetTimer()
	cpu0, t0 := cpuTime(b), time.Now()
	for range b.N {
		if n, err := socksGet(socks, "10.64.64.1:80", "/pattern.bin"); err != nil || n != patternSize {
			b.Fatalf("downloaded %d of %d octets: %v", n, patternSize, err)
		}
	}
	cpu, elapsed := cpuTime(b)-cpu0, time.Since(t0)
	b.StopTimer()
	mb := float64(b.N) * patternSize / 1e6
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/mb, "cpu-ms/MB")
	if baud > 0 {
		b.ReportMetric(mb*1e6/elapsed.Seconds()/float64(baud/10), "line-fraction")
	}
}

// awaitReady reads connect's output until its ready line, then drains
// the rest in the background.
func awaitReady(b *testing.B, r io.Reader) {
	b.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // nobody waits any longer
			}
		}
		close(lines)
	}()
	deadline := time.After(time.Minute)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				b.Fatal("connect ended before ready")
			}
			if strings.HasPrefix(l, "ready:") {
				return
			}
		case <-deadline:
			b.Fatal("connect not ready within a minute")
		}
	}
}

// cpuTime is the user and system time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// socksGet fetches path from the HTTP server at dst through the SOCKS5
// proxy at proxy (RFC 1928, no authentication) and returns the length
// of the body, which it discards.
func socksGet(proxy, dst, path string) (int64, error) {
	c, err := net.Dial("tcp", proxy)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	host, portText, _ := net.SplitHostPort(dst)
	port, _ := strconv.Atoi(portText)
	req := []byte{5, 1, 0, 5, 1, 0, 1}
	req = append(req, net.ParseIP(host).To4()...)
	req = binary.BigEndian.AppendUint16(req, uint16(port))
	if _, err := c.Write(req); err != nil {
		return 0, err
	}
	reply := make([]byte, 2+10)
	if _, err := io.ReadFull(c, reply); err != nil {
		return 0, err
	}
	if reply[0] != 5 || reply[1] != 0 || reply[3] != 0 {
		return 0, fmt.Errorf("SOCKS5 reply % x", reply)
	}
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, host); err != nil {
		return 0, err
	}
	br := bufio.NewReaderSize(c, 64<<10)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return 0, err
		}
		if l == "\r\n" {
			break
		}
	}
	n, err := io.Copy(io.Discard, br)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}

package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"golang.org/x/net/proxy"
)

// A client that drains a download slowly through SOCKS5 loses nothing:
// TCP flow control holds the sender back at every hop (the simulator's
// stack, the link, our stack, the proxy's relay, the host socket), and
// the rest arrives byte-exact once the client reads at full speed.
func TestSlowSOCKS5Client(t *testing.T) {
	socks := freeAddr(t)
	startConnect(t, connectFlags{simulate: true, socks5: socks, maxfail: 1})
	d, err := proxy.SOCKS5("tcp", socks, nil, proxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Dial("tcp", "10.64.64.1:80")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(40 * time.Second))
	fmt.Fprint(c, "GET /pattern.bin HTTP/1.1\r\nHost: 10.64.64.1\r\nConnection: close\r\n\r\n")
	br := bufio.NewReaderSize(c, 1024)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}

	// Read 1 KB every 100 ms for the first 64 KB: about 6.4 s during
	// which every buffer on the way fills and stays full.
	const slow, chunk = 64 << 10, 1 << 10
	h := sha256.New()
	buf := make([]byte, chunk)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for got := 0; got < slow; got += chunk {
		<-tick.C
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatalf("slow read after %d octets: %v", got, err)
		}
		h.Write(buf)
	}
	rest, err := io.Copy(h, resp.Body)
	if err != nil {
		t.Fatalf("fast read after %d octets: %v", slow+rest, err)
	}
	if total := slow + rest; total != 4<<20 {
		t.Errorf("read %d octets, want %d", total, 4<<20)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != patternDigest() {
		t.Errorf("sha256 %s, want %s", got, patternDigest())
	}
}

package sim

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

// dial does the AT dialogue of a dialer and returns the line in data
// mode, right after the CONNECT line.
func dial(t *testing.T, d *dte) {
	t.Helper()
	d.mustCommand("AT", "OK")
	d.mustCommand("ATE0", "OK")
	if info := d.mustCommand("AT+CPIN?", "OK"); len(info) != 1 || info[0] != "+CPIN: READY" {
		t.Fatalf("AT+CPIN? answered %q", info)
	}
	d.mustCommand(`AT+CGDCONT=1,"IP","internet"`, "OK")
	d.mustCommand("ATD*99***1#", "CONNECT 115200")
}

// openClient brings the client's PPP up on the line after CONNECT.
func openClient(t *testing.T, d *dte, cfg gprsppp.Config) (*gprsppp.Link, io.Closer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	port := d.port()
	d.own(true)
	link, err := gprsppp.Open(ctx, port, cfg)
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	t.Cleanup(func() { link.Close() })
	return link, port
}

// fetch gets url through link and returns the SHA-256 of the body.
func fetch(t *testing.T, link *gprsppp.Link, url string) [sha256.Size]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := &http.Client{Transport: &http.Transport{DialContext: link.DialContext, DisableKeepAlives: true}}
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, resp.Body); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

func waitDone(t *testing.T, link *gprsppp.Link) {
	t.Helper()
	select {
	case <-link.Done():
	case <-time.After(stepTimeout):
		t.Fatal("the client's link did not end")
	}
}

// A dialer's whole session: AT dialogue, PPP with authentication, a
// download through the network side, and a hang-up by LCP after which the
// modem is back in command mode.
func TestCall(t *testing.T) {
	d := startModem(t, ModemConfig{
		Network: gprsppp.NetworkConfig{
			DNS:     []netip.Addr{netip.MustParseAddr("10.64.64.1")},
			Auth:    ppp.ProtocolCHAP,
			Secrets: map[string]string{"user": "secret"},
		},
	})
	dial(t, d)
	link, _ := openClient(t, d, gprsppp.Config{Username: "user", Password: "secret"})
	if got, want := link.LocalAddr(), netip.MustParseAddr("10.64.64.2"); got != want {
		t.Errorf("client address %v, want %v", got, want)
	}
	if got, want := fetch(t, link, "http://10.64.64.1/pattern.bin"), sha256.Sum256(Pattern(4<<20)); got != want {
		t.Errorf("pattern.bin: sha256 %x, want %x", got, want)
	}

	link.Close()
	if err := link.Err(); !errors.Is(err, gprsppp.ErrClosed) {
		t.Errorf("client link ended with %v, want ErrClosed", err)
	}
	d.own(false)
	d.waitTranscript("\r\nNO CARRIER\r\n")
	d.drain()
	d.mustCommand("AT", "OK")
	d.mustCommand("ATO", "NO CARRIER")

	// And again.
	d.mustCommand("ATD*99#", "CONNECT 115200")
	link, _ = openClient(t, d, gprsppp.Config{Username: "user", Password: "secret"})
	fetch(t, link, "http://10.64.64.1/")
	link.Close()
}

// The modem takes its line one byte at a time, as from a slow UART.
func TestCallOneBytePerRead(t *testing.T) {
	a, b := ppptest.Pipe()
	b.Limit(1)
	d := serveModem(t, ModemConfig{}, a, b)
	dial(t, d)
	link, _ := openClient(t, d, gprsppp.Config{})
	if got, want := fetch(t, link, "http://10.64.64.1/pattern.bin"), sha256.Sum256(Pattern(4<<20)); got != want {
		t.Errorf("pattern.bin: sha256 %x, want %x", got, want)
	}
}

// A call whose radio link drops: the modem says NO CARRIER without
// ending PPP, so the client only notices by its keepalive.
func TestCallDropAfter(t *testing.T) {
	clk := newArmedClock()
	d := startModem(t, ModemConfig{DropAfter: time.Minute, Clock: clk})
	dial(t, d)
	if got := clk.waitArmed(t); got != time.Minute {
		t.Fatalf("timer of %v set, want DropAfter", got)
	}
	link, _ := openClient(t, d, gprsppp.Config{EchoInterval: 100 * time.Millisecond, EchoFailures: 2})
	fetch(t, link, "http://10.64.64.1/")
	clk.Advance(time.Minute)
	waitDone(t, link)
	if err := link.Err(); !errors.Is(err, gprsppp.ErrKeepalive) {
		t.Errorf("client link ended with %v, want ErrKeepalive", err)
	}
	d.own(false)
	d.waitTranscript("\r\nNO CARRIER\r\n")
	d.drain()
	d.mustCommand("AT", "OK")
}

// The network side ends the call when the client does not speak PPP.
func TestCallWithoutPPP(t *testing.T) {
	d := startModem(t, ModemConfig{Network: gprsppp.NetworkConfig{Restart: 10 * time.Millisecond, MaxConfigure: 2}})
	dial(t, d)
	d.waitTranscript("\r\nNO CARRIER\r\n")
	d.drain()
	d.mustCommand("AT", "OK")
}

// "+++" with guard times escapes to online command mode with the call
// kept; ATO goes back to it; ATH releases it.
func TestEscape(t *testing.T) {
	clk := newArmedClock()
	d := startModem(t, ModemConfig{Clock: clk})
	dial(t, d)
	link, port := openClient(t, d, gprsppp.Config{})
	fetch(t, link, "http://10.64.64.1/")

	escape := func(id byte) {
		t.Helper()
		d.own(false)
		d.barrier(id)
		clk.Advance(time.Second) // the guard time before
		d.send("+++")
		if got := clk.waitArmed(t); got != time.Second {
			t.Fatalf("timer of %v set, want the guard time", got)
		}
		clk.Advance(time.Second) // and after
		deadline := time.After(stepTimeout)
		for {
			l, err := d.readLine(deadline)
			if err != nil {
				t.Fatalf("no OK after +++: %q, %v", l, err)
			}
			if l == "OK" {
				return
			}
		}
	}
	escape(1)
	if info := d.mustCommand("AT+CSQ;+CGACT?", "OK"); strings.Join(info, "|") != "+CSQ: 20,99|+CGACT: 1,1" {
		t.Errorf("in online command mode, AT+CSQ;+CGACT? answered %q", info)
	}
	d.mustCommand("ATD*99#", "ERROR")
	d.mustCommand("ATO", "CONNECT 115200")
	d.own(true)
	if got, want := fetch(t, link, "http://10.64.64.1/pattern.bin"), sha256.Sum256(Pattern(4<<20)); got != want {
		t.Errorf("pattern.bin after ATO: sha256 %x, want %x", got, want)
	}

	escape(2)
	d.mustCommand("ATH", "OK")
	d.mustCommand("AT+CGACT?", "OK")
	d.mustCommand("ATO", "NO CARRIER")
	port.Close()
	waitDone(t, link)
}

// A "+" that is not part of an escape sequence reaches PPP; so do "+++"
// without the guard times.
func TestEscapeNeedsGuardTimes(t *testing.T) {
	tests := []struct {
		name   string
		before time.Duration // silence before the first "+"
		send   []string      // each chunk after a short pause
	}{
		{name: "no silence before", before: 999 * time.Millisecond, send: []string{"+++"}},
		{name: "data before", before: time.Second, send: []string{"x+++"}},
		{name: "four", before: time.Second, send: []string{"+++", "+"}},
		{name: "two", before: time.Second, send: []string{"++", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newArmedClock()
			d := newDCE(NewModem(ModemConfig{Clock: clk}), nil)
			d.newCall()
			d.eng.GoOnline(dataMode{d})
			clk.Advance(tt.before)
			for _, s := range tt.send {
				d.input([]byte(s))
			}
			var got []byte
			for len(d.call.port.in) > 0 {
				got = append(got, <-d.call.port.in...)
			}
			// Nothing is held back as a possible escape.
			want := strings.Join(tt.send, "")
			if string(got) != want {
				t.Errorf("PPP got %q, want %q", got, want)
			}
		})
	}
}

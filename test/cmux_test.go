package test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/cmux"
	"github.com/gprsppp/gprsppp/ppptest"
	"github.com/gprsppp/gprsppp/sim"
)

// cmuxTimeout bounds each step of the CMUX tests.
const cmuxTimeout = 30 * time.Second

// readUntil reads r one octet at a time until what it read ends with
// suffix, so that nothing after it is taken from the line.
func readUntil(r io.Reader, suffix string) (string, error) {
	var got []byte
	b := make([]byte, 1)
	for !strings.HasSuffix(string(got), suffix) {
		if _, err := r.Read(b); err != nil {
			return string(got), err
		}
		got = append(got, b[0])
		if strings.HasSuffix(string(got), "ERROR\r\n") {
			return string(got), errors.New("ERROR")
		}
	}
	return string(got), nil
}

// cmuxSession is a client on a simulated modem through CMUX: AT on
// DLCI 1, PPP on DLCI 2.
type cmuxSession struct {
	mux  *cmux.Mux
	at   *cmux.Channel
	data *cmux.Channel
	link *gprsppp.Link
}

// dialCMUX runs a simulated modem on modemEnd and, on client, switches
// it into CMUX (AT+CMUX with n1), opens DLCIs 1 and 2, dials on DLCI 2
// and brings PPP up there.
func dialCMUX(t testing.TB, client, modemEnd io.ReadWriteCloser, n1, patternSize int) *cmuxSession {
	t.Helper()
	return dialCMUXN1(t, client, modemEnd, n1, n1, patternSize)
}

// dialCMUXN1 is dialCMUX with the host's N1 apart from the modem's.
func dialCMUXN1(t testing.TB, client, modemEnd io.ReadWriteCloser, n1, hostN1, patternSize int) *cmuxSession {
	t.Helper()
	gw := netip.MustParseAddr("10.64.64.1")
	modem := sim.NewModem(sim.ModemConfig{
		Network:  gprsppp.NetworkConfig{LocalAddr: gw, DNS: []netip.Addr{gw}},
		Services: sim.Services{PatternSize: patternSize},
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		modem.Serve(ctx, modemEnd)
		close(served)
	}()
	t.Cleanup(func() {
		cancel()
		<-served
	})
	cmd := fmt.Sprintf("AT+CMUX=0,0,5,%d,10,3,30,10,2\r", n1)
	if _, err := io.WriteString(client, cmd); err != nil {
		t.Fatal(err)
	}
	if got, err := readUntil(client, "\r\nOK\r\n"); err != nil {
		t.Fatalf("%s: %q, %v", cmd, got, err)
	}
	s := &cmuxSession{mux: cmux.NewInitiator(client, cmux.Config{N1: hostN1, Logger: testLogger(t)})}
	t.Cleanup(func() { s.mux.Close() })
	octx, ocancel := context.WithTimeout(context.Background(), cmuxTimeout)
	defer ocancel()
	var err error
	if s.at, err = s.mux.Open(octx, 1); err != nil {
		t.Fatal(err)
	}
	data, err := s.mux.Open(octx, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.data = data
	if _, err := io.WriteString(data, "ATE0\r"); err != nil {
		t.Fatal(err)
	}
	if got, err := readUntil(data, "OK\r\n"); err != nil {
		t.Fatalf("ATE0: %q, %v", got, err)
	}
	if _, err := io.WriteString(data, "ATD*99***1#\r"); err != nil {
		t.Fatal(err)
	}
	if got, err := readUntil(data, "\r\nCONNECT 115200\r\n"); err != nil {
		t.Fatalf("dial: %q, %v", got, err)
	}
	if s.link, err = gprsppp.Open(octx, data, gprsppp.Config{Logger: testLogger(t)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.link.Close() })
	return s
}

// pollCSQ sends AT+CSQ on the AT channel every interval until stop
// closes, checking each answer; it returns how many were answered.
func pollCSQ(at io.ReadWriter, interval time.Duration, stop <-chan struct{}) (int, error) {
	r := bufio.NewReader(at)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	n := 0
	for {
		select {
		case <-stop:
			return n, nil
		case <-tick.C:
		}
		if _, err := io.WriteString(at, "AT+CSQ\r"); err != nil {
			return n, err
		}
		csq := false
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return n, err
			}
			l = strings.TrimSpace(l)
			if l == "+CSQ: 20,99" {
				csq = true
			}
			if l == "OK" || l == "ERROR" {
				if l != "OK" || !csq {
					return n, fmt.Errorf("AT+CSQ answered %s (+CSQ seen: %t)", l, csq)
				}
				break
			}
		}
		n++
	}
}

// PPP on DLCI 2 echoes 10 MB byte for byte while DLCI 1 answers AT+CSQ
// every 100 ms, over OS pipes and over a pseudo-terminal, with no data
// dropped for a full channel buffer: flow control (MSC FC) holds the
// senders back.
func TestCMUXSim10MB(t *testing.T) {
	lines := []struct {
		name string
		open func(t *testing.T) (io.ReadWriteCloser, io.ReadWriteCloser)
	}{
		{"pipe", func(t *testing.T) (io.ReadWriteCloser, io.ReadWriteCloser) {
			// OS pipes holding a UART driver's few KiB each way: an
			// in-memory pipe's 64 KiB and no line rate would let a
			// sender push any amount before the receiver's MSC FC
			// reaches it behind that backlog.
			a, b := ppptest.OSPipe(t)
			for _, end := range []ppptest.OSLine{a, b} {
				if err := end.SetWriteBuffer(4096); err != nil {
					t.Fatal(err)
				}
			}
			return a, b
		}},
		{"pty", func(t *testing.T) (io.ReadWriteCloser, io.ReadWriteCloser) { return ppptest.PtyPair(t) }},
	}
	for _, line := range lines {
		t.Run(line.name, func(t *testing.T) {
			client, modemEnd := line.open(t)
			s := dialCMUX(t, client, modemEnd, 127, 0)
			stop := make(chan struct{})
			type result struct {
				n   int
				err error
			}
			polled := make(chan result, 1)
			go func() {
				n, err := pollCSQ(s.at, 100*time.Millisecond, stop)
				polled <- result{n, err}
			}()
			start := time.Now()
			err := tryEchoTCP(s.link, simEcho, 10<<20)
			elapsed := time.Since(start)
			close(stop)
			if err != nil {
				t.Fatalf("%v (client %+v, mux %+v)", err, s.link.Stats(), s.mux.Stats())
			}
			var r result
			select {
			case r = <-polled:
			case <-time.After(cmuxTimeout):
				t.Fatal("AT+CSQ poll stuck")
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			// One answer per 100 ms, give or take the machine's load.
			if want := int(elapsed / (400 * time.Millisecond)); r.n < want || r.n == 0 {
				t.Errorf("%d AT+CSQ answered in %v", r.n, elapsed)
			}
			t.Logf("10 MB echoed in %v; %d AT+CSQ answered; mux %+v", elapsed, r.n, s.mux.Stats())
			if st := s.mux.Stats(); st.Decoder.BadFCS+st.Decoder.TooLong+st.Decoder.BadFrame+st.RxDropped != 0 {
				t.Errorf("drops: %+v", st)
			}
		})
	}
}

// The host is set for N1 128, the modem for 127 (AT+CMUX): PN settles
// on 127 and PPP frames of every size get through (a 128-octet frame
// would be dropped by the modem, as Linux n_gsm drops it).
func TestCMUXSimN1Mismatch(t *testing.T) {
	client, modemEnd := ppptest.Pipe()
	s := dialCMUXN1(t, client, modemEnd, 127, 128, 0)
	if s.data.N1() != 127 {
		t.Fatalf("N1 %d, want 127", s.data.N1())
	}
	echoTCP(t, s.link, simEcho, 1<<20)
}

// BenchmarkSlowLinkGoodputCMUX is BenchmarkSlowLinkGoodput with PPP on
// DLCI 2 of a CMUX (N1 127) over the same 115200 bit/s line: the ratio
// of the two line-fractions is what the multiplexer's framing costs.
func BenchmarkSlowLinkGoodputCMUX(b *testing.B) {
	const bps, size = 115200, 128 << 10
	client, modemEnd := ppptest.OSPipe(b)
	// A UART's driver queues a few KiB, not a pipe's 64.
	if err := client.SetWriteBuffer(4096); err != nil {
		b.Fatal(err)
	}
	s := dialCMUX(b, client, sim.PaceLine(modemEnd, sim.LineConfig{BitsPerSecond: bps}), 127, size)
	web := &http.Client{Transport: &http.Transport{DialContext: s.link.DialContext}}
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		download(b, web, size)
	}
	elapsed := time.Since(start)
	goodput := float64(b.N*size) / elapsed.Seconds()
	b.ReportMetric(goodput/(bps/10), "line-fraction")
}

package shim_test

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
)

// otherAddr is a second source on the network side: the client that
// #TCPSERV allows in the listener tests, while gwAddr is refused.
var otherAddr = netip.MustParseAddr("10.64.64.7")

// The framing characters of the Multi-Tech bridge.
const (
	etx = 0x03
	dle = 0x10
)

// stuff frames data as the bridge does under DLEMODE=1: a DLE before
// each ETX and DLE.
func stuff(data []byte) []byte {
	var out []byte
	for _, c := range data {
		if c == etx || c == dle {
			out = append(out, dle)
		}
		out = append(out, c)
	}
	return out
}

// every256 is each byte value once.
func every256() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// mtStart brings up a Multi-Tech shim with GPRS active, as a host
// following S000333D does it. With pty the line is a pseudo-terminal, as
// a serial port, where ETX is Ctrl-C and must reach the shim as data; a
// pipe keeps each of the host's writes one read of the shim's.
func mtStart(t *testing.T, st *stack, pty bool) *host {
	t.Helper()
	h := st.startShim(t, shimOptions{dialect: shim.DialectMultiTech, pty: pty})
	h.at("ATE0", "OK")
	h.at("AT+CMEE=1", "OK")
	h.at(`AT#APNSERV="internet"`, "OK")
	h.at("AT#CONNECTIONSTART", st.clientAddr().String(), "Ok_Info_GprsActivation")
	return h
}

// TestMultiTechListener is seed 003's flow (S000333D Appendix B,
// "Setting a TCP Port to a Listening Mode") over a pty in both DLE
// modes: a client #TCPSERV does not allow is refused and the host hears
// nothing; the
// allowed one gets Ok_Info_WaitingForData and a transparent bridge that
// carries all 256 byte values both ways (stuffed with DLE under
// DLEMODE=1); the remote close gives ETX (DLEMODE=1) then
// Ok_Info_SocketClosed, and the port listens no more; the host's ETX
// closes under DLEMODE=1 and is data under DLEMODE=0; before a client
// comes it aborts the listener under DLEMODE=1; #LTCPSTOP stops a
// listener nobody reached.
func TestMultiTechListener(t *testing.T) {
	for _, mode := range []int{0, 1} {
		t.Run("DLEMODE="+strconv.Itoa(mode), func(t *testing.T) {
			st := newStack(t, otherAddr)
			h := mtStart(t, st, true)
			h.at(`AT#TCPSERV=1,"`+otherAddr.String()+`"`, "OK")
			h.at(`AT#TCPPORT=1,"2020"`, "OK")
			h.at("AT#DLEMODE=1,"+strconv.Itoa(mode), "OK")
			h.at("AT#LTCPSTART=1", "OK")

			// Refused: the simulator's own address is not #TCPSERV.
			if c, err := st.tryDialFrom(t, gwAddr, 2020); err == nil {
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				if n, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("a refused client read %d bytes, %v; want the connection closed", n, err)
				}
			}
			h.at("AT", "OK") // and no Ok_Info_WaitingForData before it

			c, err := st.tryDialFrom(t, otherAddr, 2020)
			if err != nil {
				t.Fatalf("allowed client: %v", err)
			}
			h.expect(10*time.Second, "Ok_Info_WaitingForData")
			h.crlf(time.Second)
			bridge(t, h, c, mode)

			// The remote close.
			c.Close()
			if mode == 1 {
				if got := h.readN(1, 10*time.Second); got[0] != etx {
					t.Fatalf("got %q, want ETX before Ok_Info_SocketClosed", got)
				}
			}
			h.expect(10*time.Second, "Ok_Info_SocketClosed")
			if _, err := st.tryDialFrom(t, otherAddr, 2020); err == nil {
				t.Fatal("the port still listens after its session")
			}

			// The host's ETX.
			h.at("AT#LTCPSTART", "OK") // profile 1 without its id
			c, err = st.tryDialFrom(t, otherAddr, 2020)
			if err != nil {
				t.Fatal(err)
			}
			h.expect(10*time.Second, "Ok_Info_WaitingForData")
			h.crlf(time.Second)
			h.write([]byte{etx})
			if mode == 1 {
				h.expect(10*time.Second, "Ok_Info_SocketClosed")
				h.expect(time.Second, "OK")
				if n, err := c.Read(make([]byte, 1)); err != io.EOF {
					t.Fatalf("the client read %d bytes, %v; want the close", n, err)
				}
			} else {
				got := make([]byte, 1)
				if _, err := io.ReadFull(c, got); err != nil || got[0] != etx {
					t.Fatalf("the client read %q, %v; want the ETX as data", got, err)
				}
				c.Close()
				h.expect(10*time.Second, "Ok_Info_SocketClosed")
			}

			// The host's ETX before a client came aborts the listener
			// (DLEMODE=1); under DLEMODE=0 it is not a command.
			h.at("AT#LTCPSTART=1", "OK")
			h.write([]byte{etx})
			if mode == 1 {
				h.expect(10*time.Second, "OK")
				if _, err := st.tryDialFrom(t, otherAddr, 2020); err == nil {
					t.Fatal("the port still listens after the host's ETX")
				}
				h.at("AT#LTCPSTART=1", "OK")
			}

			// #LTCPSTOP.
			h.at("AT#LTCPSTOP=1", "OK")
			if _, err := st.tryDialFrom(t, otherAddr, 2020); err == nil {
				t.Fatal("the port still listens after #LTCPSTOP")
			}
			h.at("AT#CONNECTIONSTOP", "OK")
		})
	}
}

// bridge carries all 256 byte values each way between the host and the
// remote client c, the host's side framed as mode says; the host's
// framed data is written in two parts split after a DLE.
func bridge(t *testing.T, h *host, c net.Conn, mode int) {
	t.Helper()
	data := every256()
	framed := data
	if mode == 1 {
		framed = stuff(data)
	}
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
	if got := h.readN(len(framed), 10*time.Second); string(got) != string(framed) {
		t.Fatalf("host read %q, want %q", got, framed)
	}
	cut := len(framed) / 2
	if mode == 1 {
		cut = 2 * dle // just after the DLE that stuffs 0x10: a DLE ends the first write
	}
	h.write(framed[:cut])
	h.write(framed[cut:])
	got := make([]byte, len(data))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != string(data) {
		t.Fatalf("client read %q, %v; want %q", got, err, data)
	}
}

// TestMultiTechMalformed: bad input gets the dialect's errors and
// leaves the shim working: unknown commands, out-of-range profile ids
// and values, DLE followed by ordinary bytes in data mode (the byte is
// data), a lone DLE at the end of a write, and #-commands typed in data
// mode (data too).
func TestMultiTechMalformed(t *testing.T) {
	st := newStack(t)
	h := mtStart(t, st, false)
	h.at("AT#NOSUCHCMD", "ERROR")
	h.at("AT#TCPPORT=3,7", "#CME ERROR: 34882")
	h.at("AT#OTCP=0", "#CME ERROR: 34819")
	h.at("AT#LTCPSTART=9", "#CME ERROR: 34819")
	h.at(`AT#TCPSERV="1.2.3.4`, "ERROR")
	h.at("AT#DLEMODE=2", "#CME ERROR: 34882")
	h.at("AT#UDPPORT=x", "#CME ERROR: 34882")
	h.at(`AT#TCPSERV="`+gwAddr.String()+`"`, "OK")
	h.at("AT#TCPPORT=7", "OK")
	h.at("AT#OTCP", "Ok_Info_WaitingForData")
	h.crlf(time.Second)
	h.write([]byte("\x10a\x10\x10AT#LTCPSTOP\r\x10"))
	h.write([]byte("\x03!"))
	want := string(stuff([]byte("a\x10AT#LTCPSTOP\r\x03!")))
	if got := h.readN(len(want), 10*time.Second); string(got) != want {
		t.Fatalf("echo %q, want %q", got, want)
	}
	h.write([]byte{etx})
	h.expect(10*time.Second, "Ok_Info_SocketClosed")
	h.expect(time.Second, "OK")
	h.at("AT#OTCP", "Ok_Info_WaitingForData")
	h.crlf(time.Second)
	h.cmd("AT#CONNECTIONSTOP") // in data mode: data, echoed
	if got := h.readN(len("AT#CONNECTIONSTOP\r"), 10*time.Second); string(got) != "AT#CONNECTIONSTOP\r" {
		t.Fatalf("echo %q", got)
	}
	h.write([]byte{etx})
	h.expect(10*time.Second, "Ok_Info_SocketClosed")
	h.expect(time.Second, "OK")
	h.at("AT#CONNECTIONSTOP", "OK")
	h.at("AT#OTCP", "#CME ERROR: 35867")
}

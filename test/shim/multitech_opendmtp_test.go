package shim_test

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/gprsppp/gprsppp/shim"
)

// dmtpModem is a Go model of OpenDMTP's GPRS transport for BlueTree
// (Wavecom) modems, src/custom/transport/gprs.c of uincore/opendmtp
// (client-c 1.2.3), with its serial helpers of src/tools/comport.c:
// commands go out as "AT", the command and CR in three writes
// (comPortWriteAT); every answer is read with BLUE_READLINE (skip
// white space for 100 ms, then a line up to CR, or LF not after CR,
// within the timeout, retried a number of times, an empty line counting
// as a timeout) and compared case-insensitively with OK, ERROR,
// NO CARRIER, Ok_Info_* or by prefix with #CME ERROR:; after each
// answer comPortFlush discards all input for 100 ms.
type dmtpModem struct {
	t *testing.T
	h *host
}

// flushWhitespace is comPortFlushWhitespace: white space goes, up to
// the first other byte, within d.
func (m *dmtpModem) flushWhitespace(d time.Duration) {
	deadline := time.Now().Add(d)
	for {
		c, ok := m.h.byte(deadline)
		if !ok {
			return
		}
		if !unicode.IsSpace(rune(c)) {
			m.h.buf = append([]byte{c}, m.h.buf...)
			return
		}
	}
}

// readLine is comPortReadLine: bytes up to CR, or an LF that does not
// follow a CR; what came before a timeout is lost.
func (m *dmtpModem) readLine(d time.Duration) (string, bool) {
	deadline := time.Now().Add(d)
	var line []byte
	last := byte(0)
	for {
		c, ok := m.h.byte(deadline)
		if !ok {
			return "", false
		}
		switch {
		case c == '\r':
			return string(line), true
		case c == '\n' && last != '\r':
			return string(line), true
		case c != '\n':
			line = append(line, c)
		}
		last = c
	}
}

// blueReadLine is BLUE_READLINE(com, retry, timeout, ...).
func (m *dmtpModem) blueReadLine(retry int, timeout time.Duration) (string, bool) {
	for {
		m.flushWhitespace(100 * time.Millisecond)
		if l, ok := m.readLine(timeout); ok && l != "" {
			return l, true
		}
		if retry--; retry <= 0 {
			return "", false
		}
	}
}

// flush is comPortFlush(com, 100L).
func (m *dmtpModem) flush() {
	m.h.buf = nil
	deadline := time.Now().Add(100 * time.Millisecond)
	for m.h.fill(deadline) {
		m.h.buf = nil
	}
}

// writeAT is comPortWriteAT.
func (m *dmtpModem) writeAT(cmd string) {
	m.h.write([]byte("AT"))
	m.h.write([]byte(cmd))
	m.h.write([]byte("\r"))
}

func isError(l string) bool {
	return strings.EqualFold(l, "ERROR") || strings.EqualFold(l, "NO CARRIER") ||
		hasPrefixFold(l, "#CME ERROR:") || hasPrefixFold(l, "+CME ERROR:")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// command sends cmd and reads lines until OK (true) or an error or a
// timeout (false), passing the others to info; then flushes, as each
// "Expect OK" block of gprs.c does.
func (m *dmtpModem) command(cmd string, retry int, timeout time.Duration, info func(string)) bool {
	m.writeAT(cmd)
	for {
		l, ok := m.blueReadLine(retry, timeout)
		if !ok || isError(l) {
			m.t.Logf("AT%s: %q", cmd, l)
			return false
		}
		if strings.EqualFold(l, "OK") {
			break
		}
		if info != nil {
			info(l)
		}
	}
	m.flush()
	return true
}

// closeSocket is blueCloseSocket: three ETX, then lines until
// Ok_Info_SocketClosed (true), within 3 reads of 1 s. The lines before
// it go to skipped.
func (m *dmtpModem) closeSocket(skipped *[]string) bool {
	m.h.write([]byte{etx, etx, etx})
	for {
		l, ok := m.blueReadLine(3, time.Second)
		if !ok {
			return false
		}
		if strings.EqualFold(l, "Ok_Info_SocketClosed") {
			return true
		}
		if skipped != nil {
			*skipped = append(*skipped, l)
		}
	}
}

// stopConnection is _blueStopConnection.
func (m *dmtpModem) stopConnection() {
	m.closeSocket(nil)
	m.command("#CONNECTIONSTOP", 3, 5*time.Second, nil)
}

// initModem is _blueInitModem after an open of the port (connection
// reset and startup reset set), at debug log level, with the APN
// properties given and no DNS servers configured.
func (m *dmtpModem) initModem(apn string) bool {
	m.flush()
	m.stopConnection()
	ok := m.command("ZE0", 2, time.Second, nil) &&
		m.command("+CMEE=1", 2, time.Second, nil) &&
		m.command("+GMM", 2, time.Second, func(l string) { m.t.Logf("[Model] %s", l) }) &&
		m.command("+WOPEN=1", 4, time.Second, nil)
	if !ok {
		return false
	}
	sig := -1
	if !m.command("+CSQ", 2, time.Second, func(l string) {
		if hasPrefixFold(l, "+CSQ: ") {
			fmt.Sscanf(l[6:], "%d", &sig)
		}
	}) || sig <= 1 || sig >= 99 {
		m.t.Logf("signal %d", sig)
		return false
	}
	registered := false
	if !m.command("+CGREG?", 3, time.Second, func(l string) {
		// Skip the header and its space, the first digit and the comma.
		if hasPrefixFold(l, "+CGREG: ") || hasPrefixFold(l, "+CREG: ") {
			s := l[strings.IndexByte(l, ' ')+1:]
			if len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
				s = s[1:]
			}
			s = strings.TrimPrefix(s, ",")
			registered = strings.HasPrefix(s, "1") || strings.HasPrefix(s, "5")
		}
	}) || !registered {
		return false
	}
	return m.command("+CCED=0,1", 3, time.Second, nil) &&
		m.command(`+CGDCONT=1,"IP","`+apn+`"`, 3, time.Second, nil) &&
		m.command("+CGATT=1", 3, 2*time.Second, nil) &&
		m.command("#GPRSMODE=1", 3, time.Second, nil) &&
		m.command(`#APNSERV="`+apn+`"`, 1, 1500*time.Millisecond, nil) &&
		m.command(`#APNUN=""`, 1, 1500*time.Millisecond, nil) &&
		m.command(`#APNPW=""`, 1, 1500*time.Millisecond, nil) &&
		m.command(`#DNSSERV1="0.0.0.0"`, 1, time.Second, nil) &&
		m.command(`#DNSSERV2="0.0.0.0"`, 1, time.Second, nil)
}

// startConnection is _blueStartConnection at debug level: the address
// from #CONNECTIONSTART (a line starting with a digit), #DISPLAYIP and
// #VDNS logged.
func (m *dmtpModem) startConnection() string {
	ip := ""
	m.writeAT("#CONNECTIONSTART")
	for {
		l, ok := m.blueReadLine(3, 10*time.Second)
		if !ok || isError(l) {
			m.t.Logf("#CONNECTIONSTART: %q", l)
			return ""
		}
		if strings.EqualFold(l, "Ok_Info_GprsActivation") || strings.EqualFold(l, "OK") ||
			hasPrefixFold(l, "#CME ERROR: 35840") {
			break
		}
		if l[0] >= '0' && l[0] <= '9' {
			ip = l
		}
	}
	m.flush()
	if !m.command("#DISPLAYIP", 2, time.Second, func(l string) {
		m.t.Logf("[IP] %s", l)
		if ip == "" && hasPrefixFold(l, `#MY IP: "`) {
			ip = strings.TrimSuffix(l[9:], `"`)
		}
	}) {
		return ""
	}
	m.command("#VDNS", 2, time.Second, func(l string) { m.t.Logf("[DNS] %s", l) })
	return ip
}

// open is blueOpenTCPSocket (false: "OK" would be wrong before
// Ok_Info_WaitingForData, and gprs.c would wait on, so any line but
// that one is taken as failure here).
func (m *dmtpModem) open(kind, server string, port int) bool {
	if !m.command(fmt.Sprintf(`#%sSERV="%s"`, kind, server), 1, time.Second, nil) ||
		!m.command(fmt.Sprintf("#%sPORT=%d", kind, port), 1, time.Second, nil) {
		return false
	}
	m.writeAT("#O" + kind)
	for {
		l, ok := m.blueReadLine(6, 20*time.Second)
		switch {
		case !ok || isError(l) || strings.EqualFold(l, "Ok_Info_SocketClosed"):
			m.t.Logf("#O%s: %q", kind, l)
			return false
		case strings.EqualFold(l, "OK"):
			m.t.Errorf("#O%s answered OK before Ok_Info_WaitingForData", kind)
		case strings.EqualFold(l, "Ok_Info_WaitingForData"):
			m.flush()
			return true
		}
	}
}

// TestMultiTechOpenDMTP runs OpenDMTP's GPRS transport against the
// Multi-Tech shim: the initialisation and connection, a duplex (TCP)
// session with the simulator's echo service by name exchanging an
// ASCII-encoded DMTP packet line, its close with three ETX, a simplex
// session's datagram (#OUDP) to a UDP service, and the final stop.
func TestMultiTechOpenDMTP(t *testing.T) {
	st := newStack(t)
	h := st.startShim(t, shimOptions{dialect: shim.DialectMultiTech})
	m := &dmtpModem{t: t, h: h}
	udp, err := st.network.ListenPacket("udp", ":31000")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()

	if !m.initModem("internet") {
		t.Fatalf("init failed: %s", h.tail())
	}
	if ip := m.startConnection(); ip != st.clientAddr().String() {
		t.Fatalf("address %q, want %v: %s", ip, st.clientAddr(), h.tail())
	}

	// Duplex: blueOpenTCPSocket, blueWrite of a packet, blueRead of the
	// server's line (blueReadString: a BLUE_READLINE of 5 s).
	if !m.open("TCP", hostName, 7) {
		t.Fatalf("#OTCP failed: %s", h.tail())
	}
	packet := "$E030:0123456789ABCDEF\r"
	h.write([]byte(packet))
	if l, ok := m.blueReadLine(1, 5*time.Second); !ok || l != strings.TrimSuffix(packet, "\r") {
		t.Fatalf("read %q, %v: %s", l, ok, h.tail())
	}
	if !m.closeSocket(nil) {
		t.Fatalf("no Ok_Info_SocketClosed: %s", h.tail())
	}

	// Simplex: blueSendDatagram.
	datagram := "$E031:FEDCBA9876543210\r"
	if !m.open("UDP", gwAddr.String(), 31000) {
		t.Fatalf("#OUDP failed: %s", h.tail())
	}
	h.write([]byte(datagram))
	if !m.closeSocket(nil) {
		t.Fatalf("no Ok_Info_SocketClosed: %s", h.tail())
	}
	udp.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 2048)
	n, from, err := udp.ReadFrom(buf)
	if err != nil || string(buf[:n]) != datagram {
		t.Fatalf("the UDP service read %q, %v", buf[:n], err)
	}
	if a, _ := from.(*net.UDPAddr); a == nil || a.IP.String() != st.clientAddr().String() {
		t.Errorf("datagram from %v, want the client %v", from, st.clientAddr())
	}

	// blueCloseCom.
	m.stopConnection()
	if m.command("#DISPLAYIP", 2, time.Second, nil) {
		t.Errorf("#DISPLAYIP answered OK after #CONNECTIONSTOP: %s", h.tail())
	}
}

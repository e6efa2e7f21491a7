package shim_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/shim"
	"github.com/gprsppp/gprsppp/sim"
)

// bg96Up starts a BG96 shim on a fresh stack and activates context 1 as
// the BG96 application notes do: ATE0, AT+CMEE=0, AT+QICSGP, AT+QIACT=1.
func bg96Up(t *testing.T) (*stack, *bg96) {
	t.Helper()
	st := newStack(t)
	b := newBG96(t, st.startShim(t, shimOptions{dialect: shim.DialectBG96}))
	b.banner()
	b.at("ATE0", "OK")
	b.at("AT+CMEE=0", "OK")
	b.at(`AT+QICSGP=1,1,"internet","",""`, "OK")
	b.at("AT+QIACT=1", "OK")
	return st, b
}

// banner waits, as Zephyr's bg9x driver does after power-up, for the
// module's RDY (dialects.md §0.8, §6.5).
func (b *bg96) banner() {
	b.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		l, ok := b.h.tryLine(deadline)
		if !ok {
			b.t.Errorf("no RDY within 5 s of the session's start: %s", b.h.tail())
			return
		}
		if l == "RDY" {
			return
		}
		if !b.urc(l) {
			b.t.Fatalf("line %q before RDY", l)
		}
	}
}

// TestBG96BufferMode is a buffer-mode (access mode 0) dialogue with the
// echo service, checking the texts of dialects.md §4 byte for byte: the
// "\r\n> " prompt, "+QIRD: <n>\r\n<data>\r\n\r\nOK", the counters of
// AT+QIRD=<id>,0 and AT+QISEND=<id>,0, the 10 fields of +QISTATE and an
// edge-triggered "recv".
func TestBG96BufferMode(t *testing.T) {
	st, b := bg96Up(t)
	ip := st.clientAddr().String()
	b.at("AT+QIACT?", fmt.Sprintf(`+QIACT: 1,1,1,"%s"`, ip), "OK")

	// Under AT+CMEE=0 a command on a socket that is not open is a plain
	// ERROR.
	b.at("AT+QIRD=0,1500", "ERROR")
	b.at("AT+QISEND=0,5", "ERROR")
	b.at(`AT+QIOPEN=1,12,"TCP","10.64.64.1",7,0,0`, "ERROR")

	b.mustOpen(0, "TCP", gwAddr.String(), 7, 0, 0)
	want := regexp.MustCompile(`^\+QISTATE: 0,"TCP","10\.64\.64\.1",7,[1-9]\d*,2,1,0,0,"uart1"$`)
	lines := b.query("AT+QISTATE=1,0")
	if len(lines) != 1 || !want.MatchString(lines[0]) {
		t.Errorf("AT+QISTATE=1,0: %q, want %v", lines, want)
	}
	for _, c := range []string{"AT+QISTATE?", "AT+QISTATE=0,1"} {
		found := false
		for _, l := range b.query(c) {
			found = found || want.MatchString(l)
		}
		if !found {
			t.Errorf("%s lists no %v", c, want)
		}
	}

	// The prompt, exactly.
	b.h.buf = trimCRLF(b.h.buf) // the end of the last answer
	b.h.cmd("AT+QISEND=0,5")
	if got := b.h.readN(4, 5*time.Second); string(got) != "\r\n> " {
		t.Fatalf("AT+QISEND=0,5: %q, want the prompt \"\\r\\n> \"", got)
	}
	b.h.write([]byte("hello"))
	if l := b.mustLine("SEND OK", 5*time.Second); l != "SEND OK" {
		t.Fatalf("got %q, want SEND OK", l)
	}
	b.waitURC(`+QIURC: "recv",0`, 10*time.Second, func() bool { return b.pending[0] })
	if b.urcs[len(b.urcs)-1] != `+QIURC: "recv",0` {
		t.Errorf("URC %q, want +QIURC: \"recv\",0", b.urcs[len(b.urcs)-1])
	}
	b.waitUnread(0, 5, 10*time.Second)

	// AT+QIRD, exactly.
	b.h.buf = trimCRLF(b.h.buf)
	b.h.cmd("AT+QIRD=0,1500")
	wantRD := "\r\n+QIRD: 5\r\nhello\r\n\r\nOK\r\n"
	if got := b.h.readN(len(wantRD), 5*time.Second); string(got) != wantRD {
		t.Fatalf("AT+QIRD=0,1500: %q, want %q", got, wantRD)
	}
	if tot, rd, un := b.counts(0); tot != 5 || rd != 5 || un != 0 {
		t.Errorf("AT+QIRD=0,0: %d,%d,%d, want 5,5,0", tot, rd, un)
	}
	b.at("AT+QIRD=0,1500", "+QIRD: 0", "OK")
	deadline := time.Now().Add(10 * time.Second)
	for {
		l := b.query("AT+QISEND=0,0")
		if len(l) == 1 && l[0] == "+QISEND: 5,5,0" {
			break
		}
		if len(l) != 1 || !regexp.MustCompile(`^\+QISEND: 5,\d,\d$`).MatchString(l[0]) || time.Now().After(deadline) {
			t.Fatalf("AT+QISEND=0,0: %q, want +QISEND: 5,5,0", l)
		}
		b.h.idle(20 * time.Millisecond)
	}

	// Edge-triggered "recv": none for data that arrives while some is
	// still unread.
	b.pending[0] = false
	before := b.recvURCs[0]
	b.send(0, []byte("abc"))
	b.waitURC(`"recv" for abc`, 10*time.Second, func() bool { return b.pending[0] })
	b.waitUnread(0, 3, 10*time.Second)
	b.send(0, []byte("defg"))
	b.waitUnread(0, 7, 10*time.Second)
	if got := b.read(0, 4); string(got) != "abcd" {
		t.Fatalf("AT+QIRD=0,4: %q, want abcd", got)
	}
	if got := b.read(0, 1500); string(got) != "efg" {
		t.Fatalf("AT+QIRD=0,1500: %q, want efg", got)
	}
	b.pending[0] = false
	b.send(0, []byte("x"))
	b.waitURC(`"recv" after the drain`, 10*time.Second, func() bool { return b.pending[0] })
	b.waitUnread(0, 1, 10*time.Second)
	b.query("AT")
	if n := b.recvURCs[0] - before; n != 2 {
		t.Errorf("%d \"recv\" URCs for abc, defg (sent before the drain) and x (after), want 2: %q", n, b.urcs)
	}
	if got := b.read(0, 1500); string(got) != "x" {
		t.Fatalf("got %q, want x", got)
	}

	// AT+QISEND=<id> ends with Ctrl-Z; a Ctrl-Z after fixed-length data
	// (Zephyr's bg9x) is not data and not a command; AT+QISENDEX takes
	// hex.
	b.h.cmd("AT+QISEND=0")
	b.prompt(5 * time.Second)
	b.h.write([]byte("zz\x1a"))
	if l := b.mustLine("Ctrl-Z send", 5*time.Second); l != "SEND OK" {
		t.Fatalf("AT+QISEND=0 ... Ctrl-Z: %q, want SEND OK", l)
	}
	b.h.cmd("AT+QISEND=0,3")
	b.prompt(5 * time.Second)
	b.h.write([]byte("abc\x1a"))
	if l := b.mustLine("fixed send", 5*time.Second); l != "SEND OK" {
		t.Fatalf("AT+QISEND=0,3 then Ctrl-Z: %q, want SEND OK", l)
	}
	b.at("AT", "OK")
	b.at(`AT+QISENDEX=0,"00FF41"`, "SEND OK")
	if got := b.readAll(0, 8, 10*time.Second); string(got) != "zzabc\x00\xffA" {
		t.Fatalf("echo %q, want %q", got, "zzabc\x00\xffA")
	}

	b.at("AT+QICLOSE=0", "OK")
	if f := b.state(0); f != nil {
		t.Errorf("AT+QISTATE=1,0 after AT+QICLOSE=0 lists %q", f)
	}
	b.at("AT+QIDEACT=1", "OK")
	if l := b.query("AT+QIACT?"); len(l) != 0 {
		t.Errorf("AT+QIACT? after AT+QIDEACT=1: %q, want no context", l)
	}
}

// TestBG96OpenErrors: a refused connection and a connectID in use are
// reported with a non-zero <err> (or ERROR for the second), never 0.
func TestBG96OpenErrors(t *testing.T) {
	_, b := bg96Up(t)
	if err := b.open(0, "TCP", gwAddr.String(), 4444, 0, 0); err == 0 {
		t.Error("+QIOPEN: 0,0 for a port nothing listens on")
	} else {
		t.Logf("refused: +QIOPEN: 0,%d", err)
	}
	b.at("AT+QICLOSE=0", "OK")
	b.mustOpen(1, "TCP", gwAddr.String(), 7, 0, 0)
	c := fmt.Sprintf(`AT+QIOPEN=1,1,"TCP","%v",7,0,0`, gwAddr)
	b.h.cmd(c)
	switch l := b.mustLine(c, 10*time.Second); l {
	case "ERROR":
	case "OK":
		l = b.mustLine(c+" URC", 20*time.Second)
		if m := qiopenURC.FindStringSubmatch(l); m == nil || m[1] != "1" || m[2] == "0" {
			t.Errorf("%s on an open connectID: %q, want +QIOPEN: 1,<err> with err not 0", c, l)
		} else {
			t.Logf("in use: %s", l)
		}
	default:
		t.Errorf("%s on an open connectID: %q", c, l)
	}
	b.send(1, []byte("still open"))
	if got := b.readAll(1, 10, 10*time.Second); string(got) != "still open" {
		t.Errorf("echo %q after the refused QIOPEN", got)
	}
	b.at("AT+QICLOSE=1", "OK")
}

// TestBG96Push is access mode 1 as RT-Thread's ec20 driver and Hologram
// use it: +QIURC: "recv",<id>,<len> then CRLF and exactly <len> octets;
// for TCP a few KB through the echo service byte for byte, for UDP one
// URC per datagram; and a UDP socket in buffer mode.
func TestBG96Push(t *testing.T) {
	_, b := bg96Up(t)
	t.Run("tcp", func(t *testing.T) {
		defer b.use(t)()
		b.mustOpen(0, "TCP", gwAddr.String(), 7, 0, 1)
		if f := b.state(0); f == nil || f[1] != `"TCP"` || f[5] != "2" || f[8] != "1" {
			t.Errorf("AT+QISTATE=1,0: %q, want TCP, state 2, access mode 1", f)
		}
		msg := sim.Pattern(4096)
		for i := range 256 {
			msg[i] = byte(i) // every octet value, CR and LF included
		}
		for off := 0; off < len(msg); off += 1460 {
			b.send(0, msg[off:min(off+1460, len(msg))])
		}
		b.waitURC("4096 octets pushed", 20*time.Second, func() bool { return len(b.pushed[0]) >= len(msg) })
		if !bytes.Equal(b.pushed[0], msg) {
			t.Fatalf("pushed %d octets differ from the %d sent (first difference at %d; lengths %v)",
				len(b.pushed[0]), len(msg), firstDiff(b.pushed[0], msg), b.pushes[0])
		}
		b.at("AT+QICLOSE=0", "OK")
	})
	t.Run("udp", func(t *testing.T) {
		defer b.use(t)()
		b.mustOpen(1, "UDP", gwAddr.String(), 7, 0, 1)
		if f := b.state(1); f == nil || f[1] != `"UDP"` || f[8] != "1" {
			t.Errorf("AT+QISTATE=1,1: %q, want UDP, access mode 1", f)
		}
		sizes := []int{1, 200, 1000}
		var all []byte
		for _, n := range sizes {
			d := sim.Pattern(n)
			d[0] = byte(n)
			b.send(1, d)
			all = append(all, d...)
			b.waitURC(fmt.Sprintf("a %d-octet datagram", n), 10*time.Second, func() bool { return len(b.pushed[1]) >= len(all) })
		}
		if !bytes.Equal(b.pushed[1], all) || fmt.Sprint(b.pushes[1]) != fmt.Sprint(sizes) {
			t.Errorf("pushed lengths %v, want %v (data equal %v)", b.pushes[1], sizes, bytes.Equal(b.pushed[1], all))
		}
		b.at("AT+QICLOSE=1", "OK")
	})
	t.Run("udp buffer", func(t *testing.T) {
		defer b.use(t)()
		b.mustOpen(2, "UDP", gwAddr.String(), 7, 0, 0)
		d := sim.Pattern(50)
		b.pending[2] = false
		b.send(2, d)
		b.waitURC(`+QIURC: "recv",2`, 10*time.Second, func() bool { return b.pending[2] })
		if got := b.readAll(2, len(d), 10*time.Second); !bytes.Equal(got, d) {
			t.Errorf("AT+QIRD=2: %q, want %q", got, d)
		}
		b.at("AT+QICLOSE=2", "OK")
	})
}

// TestBG96Listener is a TCP LISTENER (AT+QIOPEN=1,<id>,"TCP LISTENER",
// "127.0.0.1",0,<lport>,0): the network dials the client's address at
// <lport>, the host sees +QIURC: "incoming",<new>,<serverID>,"<ip>",<port>
// and talks on <new> (type "TCP INCOMING") in buffer mode.
func TestBG96Listener(t *testing.T) {
	const lport = 4000
	st, b := bg96Up(t)
	b.mustOpen(1, "TCP LISTENER", "127.0.0.1", 0, lport, 0)
	if f := b.state(1); f == nil || f[0] != "1" || f[1] != `"TCP LISTENER"` || f[4] != strconv.Itoa(lport) || f[5] != "3" || f[6] != "1" || f[8] != "0" {
		t.Errorf("AT+QISTATE=1,1: %q, want TCP LISTENER, lport %d, state 3 (listening), context 1, access mode 0", f, lport)
	}

	accept := func(remote net.Conn) int {
		t.Helper()
		n := len(b.incoming)
		b.waitURC(`+QIURC: "incoming"`, 10*time.Second, func() bool { return len(b.incoming) > n })
		f := b.incoming[n]
		ra := remote.LocalAddr().(*net.TCPAddr)
		want := fmt.Sprintf(`+QIURC: "incoming",%s,1,"%v",%d`, f[0], gwAddr, ra.Port)
		if got := b.urcs[len(b.urcs)-1]; got != want {
			t.Errorf("URC %q, want %q", got, want)
		}
		id, err := strconv.Atoi(f[0])
		if err != nil || id < 0 || id > 11 || id == 1 {
			t.Fatalf("incoming connectID %q", f[0])
		}
		wantState := fmt.Sprintf(`+QISTATE: %d,"TCP INCOMING","%v",%d,%d,2,1,1,0,"uart1"`, id, gwAddr, ra.Port, lport)
		if l := b.query(fmt.Sprintf("AT+QISTATE=1,%d", id)); len(l) != 1 || l[0] != wantState {
			t.Errorf("AT+QISTATE=1,%d: %q, want %q", id, l, wantState)
		}
		return id
	}

	remote := st.dialClient(t, lport)
	id := accept(remote)
	remote.SetDeadline(time.Now().Add(20 * time.Second))
	in := []byte("from the network\x00\xff\r\n")
	if _, err := remote.Write(in); err != nil {
		t.Fatal(err)
	}
	if got := b.readAll(id, len(in), 10*time.Second); !bytes.Equal(got, in) {
		t.Fatalf("AT+QIRD=%d: %q, want %q", id, got, in)
	}
	out := sim.Pattern(3000)
	for off := 0; off < len(out); off += 1460 {
		b.send(id, out[off:min(off+1460, len(out))])
	}
	got := make([]byte, len(out))
	if _, err := io.ReadFull(remote, got); err != nil || !bytes.Equal(got, out) {
		t.Fatalf("the network read %v (equal %v)", err, bytes.Equal(got, out))
	}

	// A second client gets its own connectID.
	second := st.dialClient(t, lport)
	id2 := accept(second)
	if id2 == id {
		t.Errorf("the second incoming connection reuses connectID %d", id)
	}

	remote.Close()
	b.waitURC(fmt.Sprintf(`+QIURC: "closed",%d`, id), 10*time.Second, func() bool { return b.closed[id] })
	if f := b.state(id); f == nil || f[5] != "4" {
		t.Errorf("AT+QISTATE=1,%d after the peer closed: %q, want socket_state 4", id, f)
	}
	b.at(fmt.Sprintf("AT+QICLOSE=%d", id), "OK")
	b.at(fmt.Sprintf("AT+QICLOSE=%d", id2), "OK")
	b.at("AT+QICLOSE=1", "OK")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, err := st.network.DialContext(ctx, "tcp", netip.AddrPortFrom(st.clientAddr(), lport).String()); err == nil {
		c.Close()
		t.Error("the network still connects to the closed listener's port")
	}
}

// TestBG96PeerClose: the server ends the connection after its echo. The
// host sees "recv" before "closed", reads the data after the close,
// AT+QISTATE shows socket_state 4 until AT+QICLOSE, and sending is an
// ERROR. In push mode the data comes before "closed" too.
func TestBG96PeerClose(t *testing.T) {
	_, b := bg96Up(t)
	t.Run("buffer", func(t *testing.T) {
		defer b.use(t)()
		b.mustOpen(0, "TCP", gwAddr.String(), oncePort, 0, 0)
		b.send(0, []byte("bye\n"))
		b.waitURC(`"recv" and "closed"`, 10*time.Second, func() bool { return b.pending[0] && b.closed[0] })
		if n := len(b.urcs); n < 2 || b.urcs[n-2] != `+QIURC: "recv",0` || b.urcs[n-1] != `+QIURC: "closed",0` {
			t.Errorf("URCs %q, want +QIURC: \"recv\",0 then +QIURC: \"closed\",0", b.urcs)
		}
		if f := b.state(0); f == nil || f[5] != "4" {
			t.Errorf("AT+QISTATE=1,0 after the peer closed: %q, want socket_state 4", f)
		}
		if got := b.read(0, 1500); string(got) != "bye\n" {
			t.Errorf("AT+QIRD=0,1500 after the close: %q, want bye", got)
		}
		if tot, rd, un := b.counts(0); tot != 4 || rd != 4 || un != 0 {
			t.Errorf("AT+QIRD=0,0: %d,%d,%d, want 4,4,0", tot, rd, un)
		}
		b.at("AT+QISEND=0,1", "ERROR")
		if f := b.state(0); f == nil || f[5] != "4" {
			t.Errorf("AT+QISTATE=1,0 before AT+QICLOSE: %q, want socket_state 4", f)
		}
		b.at("AT+QICLOSE=0", "OK")
		if f := b.state(0); f != nil {
			t.Errorf("AT+QISTATE=1,0 after AT+QICLOSE: %q, want none", f)
		}
	})
	t.Run("push", func(t *testing.T) {
		defer b.use(t)()
		b.mustOpen(5, "TCP", gwAddr.String(), oncePort, 0, 1)
		b.send(5, []byte("bye\n"))
		b.waitURC(`"closed"`, 10*time.Second, func() bool { return b.closed[5] })
		if string(b.pushed[5]) != "bye\n" {
			t.Errorf("pushed %q before \"closed\", want bye", b.pushed[5])
		}
		if f := b.state(5); f == nil || f[5] != "4" {
			t.Errorf("AT+QISTATE=1,5 after the peer closed: %q, want socket_state 4", f)
		}
		b.at("AT+QICLOSE=5", "OK")
	})
}

// TestBG96PDPDeact: the link under the shim drops. The host sees
// +QIURC: "pdpdeact",1; after AT+QIDEACT=1 and AT+QIACT=1 the context
// runs on the supervisor's next link.
func TestBG96PDPDeact(t *testing.T) {
	const drop = 4 * time.Second
	st := newSupervisedStack(t, drop)
	first := st.link(t)
	b := newBG96(t, st.startShimDialect(t, shim.DialectBG96))
	b.banner()
	b.at("ATE0", "OK")
	b.at("AT+CMEE=0", "OK")
	b.at(`AT+QICSGP=1,1,"internet","",""`, "OK")
	b.at("AT+QIACT=1", "OK")
	b.at("AT+QIACT?", fmt.Sprintf(`+QIACT: 1,1,1,"%v"`, first.LocalAddr()), "OK")
	b.mustOpen(0, "TCP", gwAddr.String(), 7, 0, 0)
	b.send(0, []byte("on the first link"))
	if got := b.readAll(0, 17, 10*time.Second); string(got) != "on the first link" {
		t.Fatalf("echo %q", got)
	}

	b.waitURC(`+QIURC: "pdpdeact",1`, drop+10*time.Second, func() bool { return len(b.pdpdeact) > 0 })
	if b.pdpdeact[0] != 1 {
		t.Errorf("pdpdeact for context %d, want 1", b.pdpdeact[0])
	}
	t.Logf("URCs at the drop: %q", b.urcs)
	select {
	case <-first.Done():
	default:
		t.Error("+QIURC: \"pdpdeact\" while the link is up")
	}
	if l := b.query("AT+QIACT?"); len(l) != 0 {
		t.Errorf("AT+QIACT? after pdpdeact: %q, want no active context", l)
	}
	if f := b.state(0); f != nil && f[5] == "2" {
		t.Errorf("AT+QISTATE=1,0 after pdpdeact: %q, still connected", f)
	}
	b.at("AT+QICLOSE=0", "OK")
	b.at("AT+QIDEACT=1", "OK")
	b.at("AT+QIACT=1", "OK")
	second := st.link(t)
	if second == first {
		t.Fatal("the supervisor still hands out the dropped link")
	}
	b.at("AT+QIACT?", fmt.Sprintf(`+QIACT: 1,1,1,"%v"`, second.LocalAddr()), "OK")
	b.mustOpen(0, "TCP", gwAddr.String(), 7, 0, 0)
	b.send(0, []byte("on the second link"))
	if got := b.readAll(0, 18, 10*time.Second); string(got) != "on the second link" {
		t.Fatalf("echo %q", got)
	}
	b.at("AT+QICLOSE=0", "OK")
	b.at("AT+QIDEACT=1", "OK")
	if n := st.dials.Load(); n != 2 {
		t.Errorf("%d dials, want 2", n)
	}
}

// TestBG96UDPService is mbed's BG96 UDP socket: a "UDP SERVICE" on a
// local port, AT+QISEND=<id>,<len>,"<ip>",<port>, and AT+QIRD=<id>
// answering +QIRD: <n>,"<ip>",<port> before the data (dialects.md
// §4.2). The network side sends to the service's port and receives from
// it, then the service talks to the echo service.
func TestBG96UDPService(t *testing.T) {
	const lport = 5000
	st, b := bg96Up(t)
	b.mustOpen(3, "UDP SERVICE", "127.0.0.1", 0, lport, 0)
	if f := b.state(3); f == nil || f[1] != `"UDP SERVICE"` || f[4] != strconv.Itoa(lport) {
		t.Errorf("AT+QISTATE=1,3: %q, want UDP SERVICE on local port %d", f, lport)
	}
	pc, err := st.network.ListenPacket("udp", ":6000")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pc.SetDeadline(time.Now().Add(15 * time.Second))

	// recv reads one datagram with AT+QIRD=3 after its URC.
	recv := func(what string, from string, port int, want []byte) {
		t.Helper()
		b.waitURC(what, 10*time.Second, func() bool { return b.pending[3] })
		b.h.cmd("AT+QIRD=3")
		head := fmt.Sprintf(`+QIRD: %d,"%s",%d`, len(want), from, port)
		if l := b.mustLine("AT+QIRD=3", 10*time.Second); l != head {
			t.Fatalf("AT+QIRD=3: %q, want %q", l, head)
		}
		b.h.crlf(5 * time.Second)
		if got := b.h.readN(len(want), 5*time.Second); !bytes.Equal(got, want) {
			t.Fatalf("AT+QIRD=3: %q, want %q", got, want)
		}
		if l := b.mustLine("AT+QIRD=3 end", 5*time.Second); l != "OK" {
			t.Fatalf("AT+QIRD=3: %q after the data, want OK", l)
		}
	}
	// send sends d to ip:port with AT+QISEND=3,<len>,"<ip>",<port>.
	send := func(d []byte, ip string, port int) {
		t.Helper()
		b.h.cmd(fmt.Sprintf(`AT+QISEND=3,%d,"%s",%d`, len(d), ip, port))
		b.prompt(5 * time.Second)
		b.h.write(d)
		if l := b.mustLine("SEND OK", 10*time.Second); l != "SEND OK" {
			t.Fatalf("AT+QISEND=3,%d,%q,%d: %q, want SEND OK", len(d), ip, port, l)
		}
	}

	t.Run("from the network", func(t *testing.T) {
		defer b.use(t)()
		d := []byte("datagram from the network")
		b.pending[3] = false
		if _, err := pc.WriteTo(d, net.UDPAddrFromAddrPort(netip.AddrPortFrom(st.clientAddr(), lport))); err != nil {
			t.Fatal(err)
		}
		recv(`+QIURC: "recv",3`, gwAddr.String(), 6000, d)
	})
	t.Run("to the network", func(t *testing.T) {
		defer b.use(t)()
		d := []byte("datagram to the network")
		send(d, gwAddr.String(), 6000)
		buf := make([]byte, 2048)
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			t.Fatalf("the network received nothing: %v", err)
		}
		want := netip.AddrPortFrom(st.clientAddr(), lport).String()
		if !bytes.Equal(buf[:n], d) || from.String() != want {
			t.Errorf("the network received %q from %v, want %q from %s", buf[:n], from, d, want)
		}
	})
	t.Run("echo", func(t *testing.T) {
		defer b.use(t)()
		d := sim.Pattern(300)
		b.pending[3] = false
		send(d, gwAddr.String(), 7)
		recv(`+QIURC: "recv",3 from the echo service`, gwAddr.String(), 7, d)
	})
	b.at("AT+QICLOSE=3", "OK")
}

// TestBG96Zephyr is the start-up and a socket of Zephyr's bg9x driver
// (dialects.md §4.7): ATE0, ATH, AT+CMEE=1 (numeric +CME ERROR), the
// identity queries, AT+QICSGP with a space before the password,
// AT+CSQ with a valid RSSI, AT+QIACT=1; AT+QIOPEN answering OK within a
// second; AT+QISEND=<id>,<len> followed by a Ctrl-Z after the data.
func TestBG96Zephyr(t *testing.T) {
	st := newStack(t)
	b := newBG96(t, st.startShim(t, shimOptions{dialect: shim.DialectBG96}))
	b.banner()
	b.at("ATE0", "OK")
	b.at("ATH", "OK")
	b.at("AT+CMEE=1", "OK")
	for _, c := range []string{"AT+CGMI", "AT+CGMM", "AT+CGMR", "AT+CGSN"} {
		if l := b.query(c); len(l) != 1 {
			t.Errorf("%s: %q, want one line", c, l)
		}
	}
	b.at(`AT+QICSGP=1,1,"internet","", "",1`, "OK")
	csq := b.query("AT+CSQ")
	var rssi, ber int
	if len(csq) != 1 {
		t.Fatalf("AT+CSQ: %q", csq)
	}
	if _, err := fmt.Sscanf(csq[0], "+CSQ: %d,%d", &rssi, &ber); err != nil || rssi == 99 {
		t.Errorf("AT+CSQ: %q, want a valid RSSI", csq[0])
	}
	b.at("AT+QIACT=1", "OK")
	if _, final := b.try("AT+QIRD=5,1500"); !regexp.MustCompile(`^\+CME ERROR: \d+$`).MatchString(final) {
		t.Errorf("AT+QIRD on a closed socket under AT+CMEE=1: %q, want +CME ERROR: <n>", final)
	}

	c := fmt.Sprintf(`AT+QIOPEN=1,0,"TCP","%v",7,0,0`, gwAddr)
	start := time.Now()
	b.at(c, "OK")
	if d := time.Since(start); d > time.Second {
		t.Errorf("%s: OK after %v, Zephyr waits 1 s", c, d)
	}
	if l := b.mustLine(c+" URC", 20*time.Second); l != "+QIOPEN: 0,0" {
		t.Fatalf("%s: %q, want +QIOPEN: 0,0", c, l)
	}
	msg := []byte("zephyr\x1a\x00")
	b.h.cmd(fmt.Sprintf("AT+QISEND=0,%d", len(msg)))
	b.prompt(5 * time.Second)
	b.h.write(append(append([]byte(nil), msg...), 0x1a))
	if l := b.mustLine("SEND OK", 5*time.Second); l != "SEND OK" {
		t.Fatalf("got %q, want SEND OK", l)
	}
	if got := b.readAll(0, len(msg), 10*time.Second); !bytes.Equal(got, msg) {
		t.Fatalf("echo %q, want %q", got, msg)
	}
	b.at("AT", "OK") // the Ctrl-Z after the data was not taken as a command
	b.at("AT+QICLOSE=0", "OK")
}

// TestBG96Transparent is access mode 2 (dialects.md §4.4): AT+QIOPEN
// answers CONNECT and the line carries the connection raw; +++ between
// guard times returns to commands with OK, ATO and AT+QISWTMD=<id>,2 go
// back; the peer's close in data mode gives NO CARRIER.
func TestBG96Transparent(t *testing.T) {
	_, b := bg96Up(t)
	t.Run("echo", func(t *testing.T) {
		defer b.use(t)()
		b.connect(fmt.Sprintf(`AT+QIOPEN=1,0,"TCP","%v",7,0,2`, gwAddr))
		echoExact(t, b.h, []byte("through transparent mode\r\n"))
		echoExact(t, b.h, []byte("AT\rOK\r\nERROR\r\n+QIURC: \"closed\",0\r\n\x00\xff"))
		escape(t, b.h)
		if f := b.state(0); f == nil || f[5] != "2" || f[8] != "2" {
			t.Errorf("AT+QISTATE=1,0 after +++: %q, want state 2, access mode 2", f)
		}
		b.connect("ATO")
		echoExact(t, b.h, []byte("after ATO"))
		escape(t, b.h)
		b.connect("AT+QISWTMD=0,2")
		echoExact(t, b.h, []byte("after QISWTMD"))
		escape(t, b.h)
		b.at("AT+QICLOSE=0", "OK")
	})
	t.Run("peer close", func(t *testing.T) {
		defer b.use(t)()
		b.connect(fmt.Sprintf(`AT+QIOPEN=1,1,"TCP","%v",%d,0,2`, gwAddr, oncePort))
		echoExact(t, b.h, []byte("once"))
		if l := b.mustLine("NO CARRIER", 10*time.Second); l != "NO CARRIER" {
			t.Fatalf("got %q after the peer closed in data mode, want NO CARRIER", l)
		}
		b.at("AT", "OK")
		b.at("AT+QICLOSE=1", "OK")
	})
}

// connect sends c and expects CONNECT, after which the line is raw: the
// CRLF that ends CONNECT is not data.
func (b *bg96) connect(c string) {
	b.t.Helper()
	b.at(c, "CONNECT")
	if got := b.h.readN(2, 5*time.Second); string(got) != "\r\n" {
		b.t.Fatalf("%s: CONNECT ended by %q, want CRLF", c, got)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"github.com/gprsppp/gprsppp/test/pppvm"
)

// connect --cmux against Linux n_gsm in the pppd VM: PPP on DLCI 2 to the
// real pppd fetches /pattern.bin byte-exact through SOCKS5, while
// gprsppp at on the same device answers AT+CSQ from the modem on DLCI 1,
// through the running connect; after connect ends (DISC, CLD) the line
// answers plain AT again.
func TestConnectCMUXPPPD(t *testing.T) {
	testenv.NeedTool(t, "curl", "apt-get install curl")
	vm := pppvm.Start(t, pppvm.Options{CMUX: true})
	dir := runtimeDir(t)
	socks := freeAddr(t)
	r := startConnect(t, connectFlags{device: vm.Serial, baud: 115200, socks5: socks, maxfail: 1,
		cmux: cmuxFlags{on: true, frameSize: 127, statusInterval: time.Second}})
	if !strings.Contains(r.ready, "address "+pppvm.ClientAddr) || !strings.Contains(r.ready, "modem: signal") {
		t.Errorf("ready line %q: want the address and the modem's status", r.ready)
	}

	type fetched struct {
		body []byte
		err  error
	}
	got := make(chan fetched, 1)
	go func() {
		body, err := curlOutput("--socks5-hostname", socks, "http://"+pppvm.PeerAddr+pppvm.PatternPath)
		got <- fetched{body, err}
	}()
	answered := 0
	var f fetched
	for done := false; !done; {
		var out, errOut bytes.Buffer
		err := runAt(context.Background(), strings.NewReader(""), &out, &errOut, &globals{},
			atFlags{device: vm.Serial, timeout: 5 * time.Second}, []string{"+CSQ"})
		select {
		case f = <-got:
			done = true
		default:
		}
		if err != nil || !strings.Contains(out.String(), "+CSQ: ") || !strings.HasSuffix(out.String(), "OK\n") {
			t.Fatalf("gprsppp at +CSQ during the download: %v\n%s%s", err, out.String(), errOut.String())
		}
		if !done {
			answered++
		}
	}
	if f.err != nil {
		t.Fatal(f.err)
	}
	sum := sha256.Sum256(f.body)
	if got, want := hex.EncodeToString(sum[:]), pppvm.PatternSHA256(t); got != want {
		t.Errorf("pattern: sha256 %s over %d octets, want %s", got, len(f.body), want)
	}
	if answered == 0 {
		t.Error("no AT+CSQ was answered while the download ran")
	}
	t.Logf("%d AT+CSQ answered on DLCI 1 during the %d-octet download on DLCI 2", answered, len(f.body))
	var st linkstate.Status
	if err := control.Query(context.Background(), filepath.Join(dir, control.NameFrom(filepath.Base(vm.Serial))+control.Suffix), "status", &st); err != nil {
		t.Fatal(err)
	}
	if st.Modem == nil || !strings.Contains(st.Modem.Operator, "PPPVM") || st.Modem.CEREG == "" {
		t.Errorf("status: modem %+v, want the operator and registration read on DLCI 1", st.Modem)
	}
	if !strings.Contains(vm.Console(), "cmux: modem on DLCI 2") {
		t.Error("the VM's console shows no modem on DLCI 2")
	}

	r.stop(t)
	if err := plainAT(vm.Serial); err != nil {
		t.Errorf("after connect --cmux ended, plain AT: %v", err)
	}
}

// plainAT opens the line and checks the modem answers AT with OK.
func plainAT(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	port, err := device.Open(ctx, path, device.Options{})
	if err != nil {
		return err
	}
	defer port.Close()
	var seen []byte
	for ctx.Err() == nil {
		if _, err := port.Write([]byte("AT\r")); err != nil {
			return err
		}
		port.SetReadDeadline(time.Now().Add(time.Second))
		buf := make([]byte, 256)
		for {
			n, err := port.Read(buf)
			seen = append(seen, buf[:n]...)
			if bytes.Contains(seen, []byte("OK\r\n")) {
				return nil
			}
			if err != nil {
				break
			}
		}
	}
	return fmt.Errorf("no OK to AT within 20 s; the line said %q", seen)
}

// curlOutput runs curl with args and returns what it printed, for use
// off the test's goroutine.
func curlOutput(args ...string) ([]byte, error) {
	out, err := exec.Command("curl", append([]string{"-sS", "--fail", "--max-time", "120"}, args...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("curl %v: %w", args, err)
	}
	return out, nil
}

// shim --cmux against Linux n_gsm in the pppd VM: a host's AT+CSQ,
// AT+CREG? and AT+COPS? get the modem's own answers, read on DLCI 1 while
// PPP runs on DLCI 2.
func TestShimCMUXPPPD(t *testing.T) {
	vm := pppvm.Start(t, pppvm.Options{CMUX: true})
	runtimeDir(t)
	addr := freeAddr(t)
	startShim(t, shimFlags{listen: []string{"tcp://" + addr}, modem: connectFlags{device: vm.Serial, baud: 115200,
		maxfail: 1, cmux: cmuxFlags{on: true, frameSize: 127, statusInterval: time.Second}}}, "ready")
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	host := bufio.NewReader(c)
	ask := func(cmd, prefix string) string {
		t.Helper()
		io.WriteString(c, cmd+"\r")
		for {
			line, err := host.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: %v", cmd, err)
			}
			if line = strings.TrimSpace(line); strings.HasPrefix(line, prefix) {
				return line
			}
		}
	}
	ask("ATE0", "OK")
	if got := ask("AT+COPS?", "+COPS:"); got != `+COPS: 0,0,"PPPVM"` {
		t.Errorf("AT+COPS? = %q, want the VM modem's operator", got)
	}
	if got := ask("AT+CSQ", "+CSQ:"); got != "+CSQ: 20,0" {
		t.Errorf("AT+CSQ = %q, want the VM modem's 20,0", got)
	}
	if got := ask("AT+CREG?", "+CREG:"); !strings.HasSuffix(got, ",1") {
		t.Errorf("AT+CREG? = %q, want registered at home", got)
	}
}

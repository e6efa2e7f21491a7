package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/gprsppp/gprsppp/internal/linkstate"
)

// connect --cmux on the simulator's pty: the ready line shows the
// modem's status from DLCI 1; gprsppp at on the same device answers
// from the modem through the running connect, and so does the control
// socket's status; once connect has ended (DISC, CLD), the modem
// answers plain AT on the line again.
func TestAtThroughConnectCMUX(t *testing.T) {
	dir := runtimeDir(t)
	tty := servePtySim(t, simModemConfig(slog.New(slog.DiscardHandler)))
	r := startConnect(t, connectFlags{device: tty, baud: 115200, maxfail: 1,
		cmux: cmuxFlags{on: true, frameSize: 127, statusInterval: time.Second}})
	if !strings.Contains(r.ready, "modem: signal -73 dBm (CSQ 20,99)") {
		t.Errorf("ready line %q: want the modem's status", r.ready)
	}
	for _, cmds := range [][]string{{"+CSQ"}, {"AT+CREG?", "+COPS?"}} {
		var out, errOut bytes.Buffer
		err := runAt(context.Background(), strings.NewReader(""), &out, &errOut, &globals{},
			atFlags{device: tty, timeout: 5 * time.Second}, cmds)
		if err != nil || !strings.HasSuffix(out.String(), "OK\n") {
			t.Errorf("gprsppp at %v: %v\n%s%s", cmds, err, out.String(), errOut.String())
		}
		if cmds[0] == "+CSQ" && out.String() != "+CSQ: 20,99\nOK\n" {
			t.Errorf("gprsppp at +CSQ printed %q", out.String())
		}
		if !strings.Contains(errOut.String(), "AT channel") {
			t.Errorf("gprsppp at did not say it went through the AT channel: %q", errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	err := runAt(context.Background(), strings.NewReader(""), &out, &errOut, &globals{},
		atFlags{device: tty, timeout: 5 * time.Second}, []string{"D*99#"})
	var e *exitError
	if !errors.As(err, &e) || e.code != exitUsage || !strings.Contains(err.Error(), "refused on the AT channel") {
		t.Errorf("gprsppp at D*99# through the AT channel: %v, want it refused with exit status %d", err, exitUsage)
	}
	var st linkstate.Status
	if err := control.Query(context.Background(), dir+"/tty.sock", "status", &st); err != nil {
		t.Fatal(err)
	}
	if !st.ATChannel || st.Modem == nil || st.Modem.Signal != "20,99" || st.Signal != "20,99" {
		t.Errorf("status: at_channel %v, modem %+v, signal %q", st.ATChannel, st.Modem, st.Signal)
	}
	r.stop(t)
	if err := plainAT(tty); err != nil {
		t.Errorf("after connect --cmux ended: %v", err)
	}
}

package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp/ppp"
)

// The --pcap file is its owner's alone, even when it existed with wider
// permissions, and a link that authenticates with PAP warns once that
// the capture holds the password.
func TestConnectPcapPrivate(t *testing.T) {
	for _, tt := range []struct {
		name     string
		auth     ppp.Protocol
		wantWarn bool
	}{
		{"PAP", ppp.ProtocolPAP, true},
		{"CHAP", ppp.ProtocolCHAP, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const user, password = "user", "pap-Passw0rd"
			cfg := simModemConfig(slog.New(slog.DiscardHandler))
			cfg.Network.Auth = tt.auth
			cfg.Network.Secrets = map[string]string{user: password}
			tty := servePtySim(t, cfg)

			capture := filepath.Join(t.TempDir(), "link.pcap")
			if err := os.WriteFile(capture, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("GPRSPPP_PASSWORD", password)
			finish := captureStderr(t)
			r := startConnect(t, connectFlags{device: tty, user: user, pcapFile: capture, maxfail: 1, echoInterval: 30 * time.Second})
			r.stop(t)
			log := finish()

			fi, err := os.Stat(capture)
			if err != nil {
				t.Fatal(err)
			}
			if mode := fi.Mode().Perm(); mode != 0o600 {
				t.Errorf("capture mode %v, want 0600", mode)
			}
			frames, err := os.ReadFile(capture)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(frames, []byte(password)); got != tt.wantWarn {
				t.Fatalf("password in the capture: %v, want %v", got, tt.wantWarn)
			}
			warning := []byte("the capture holds the PAP password")
			if n := bytes.Count(log, warning); n != map[bool]int{true: 1, false: 0}[tt.wantWarn] {
				t.Errorf("%d warnings about the password, want %v:\n%s", n, tt.wantWarn, log)
			}
		})
	}
}

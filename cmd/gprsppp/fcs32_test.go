package main

import (
	"strings"
	"testing"
	"time"
)

// connect --sim --fcs32: the client asks for the 32-bit FCS, the
// simulated network agrees, and IPCP (whose frames already carry the new
// FCS) brings the link up; the negotiation log shows the option both ways.
func TestConnectFCS32(t *testing.T) {
	finish := captureStderr(t)
	stop := runVerboseConnect(t, connectFlags{simulate: true, fcs32: true, maxfail: 1, echoInterval: 30 * time.Second})
	stop()
	log := string(finish())
	for _, want := range []string{
		"sent [LCP ConfReq", "rcvd [LCP ConfAck",
	} {
		found := false
		for _, line := range strings.Split(log, "\n") {
			if strings.Contains(line, want) && strings.Contains(line, "<fcs-alternatives 0x4>") {
				found = true
			}
		}
		if !found {
			t.Errorf("no %q with <fcs-alternatives 0x4> in the log:\n%s", want, log)
		}
	}
	if !strings.Contains(log, "network up") {
		t.Errorf("the link did not come up:\n%s", log)
	}
}

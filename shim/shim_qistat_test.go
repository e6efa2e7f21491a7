package shim

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/at"
)

// TestShimQISTATNumeric answers AT+QISTAT (QIMUX=0) in each state, with
// ATV0's numeric states where M35 manual §11.9 gives them and the text
// elsewhere.
func TestShimQISTATNumeric(t *testing.T) {
	conn := func(st shimConnState, udp bool) *shimConn { return &shimConn{state: st, udp: udp} }
	tests := []struct {
		name    string
		verbose bool
		state   shimPDPState
		client  *shimConn
		ipClose bool
		want    string
	}{
		{"initial", false, pdpInitial, nil, false, "0\rSTATE: 0\r\n"},
		{"start", false, pdpStart, nil, false, "0\rSTATE: 1\r\n"},
		{"config", false, pdpConfig, nil, false, "0\rSTATE: 2\r\n"},
		{"gprsact", false, pdpGPRSAct, nil, false, "0\rSTATE: 4\r\n"},
		{"status", false, pdpStatus, nil, false, "0\rSTATE: 5\r\n"},
		// Undocumented numbers: the text stays.
		{"tcp connecting", false, pdpStatus, conn(connConnecting, false), false, "0\rSTATE: TCP CONNECTING\r\n"},
		{"udp connecting", false, pdpStatus, conn(connConnecting, true), false, "0\rSTATE: UDP CONNECTING\r\n"},
		{"connect ok", false, pdpStatus, conn(connConnected, false), false, "0\rSTATE: CONNECT OK\r\n"},
		{"ip close", false, pdpStatus, nil, true, "0\rSTATE: IP CLOSE\r\n"},
		{"pdp deact", false, pdpDeact, nil, false, "0\rSTATE: PDP DEACT\r\n"},
		{"verbose", true, pdpStatus, nil, false, "\r\nOK\r\n\r\nSTATE: IP STATUS\r\n"},
		{"verbose initial", true, pdpInitial, nil, false, "\r\nOK\r\n\r\nSTATE: IP INITIAL\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newShimSession(t.Context(), New(Config{Backend: &shimFakeBackend{}}), nil, nil)
			s.set.verbose = tc.verbose
			s.applySettings()
			p := s.pdp()
			p.state, p.ipClose = tc.state, tc.ipClose
			if tc.client != nil {
				tc.client.pdp = p
				p.conns[0] = tc.client
			}
			if err := s.cmdQISTAT(&shimCmd{Command: at.Command{Name: "+QISTAT"}}); err != errShimFinal {
				t.Fatalf("cmdQISTAT = %v, want errShimFinal", err)
			}
			if diff := cmp.Diff(tc.want, s.out.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

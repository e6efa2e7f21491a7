package dialer_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

// The wait for registration says at info level what the modem reports,
// in words, once per change (not once per poll) and with how long it has
// waited; the error on timeout names the last status in words.
func TestRegisterLogsEachChange(t *testing.T) {
	tests := []struct {
		name    string
		modem   attest.Config
		timeout time.Duration
		want    []string // the info lines about registration
		wantErr string   // in the error, if the dial fails
	}{
		{
			name:  "searching for 3 s, then roaming",
			modem: attest.Config{Registration: attest.Roaming, RegisterAfter: 3 * time.Second},
			want: []string{
				`msg="dialer: registration" status="+CREG: searching; +CGREG: searching; +CEREG: searching" waited=0s`,
				`msg="dialer: registered" status="+CREG: registered, roaming; +CGREG: registered, roaming; +CEREG: registered, roaming" waited=3s`,
			},
		},
		{
			name:  "2G-only modem registers at home",
			modem: attest.Config{No4G: true, RegisterAfter: 2 * time.Second},
			want: []string{
				`msg="dialer: registration" status="+CREG: searching; +CGREG: searching" waited=0s`,
				`msg="dialer: registered" status="+CREG: registered, home; +CGREG: registered, home" waited=2s`,
			},
		},
		{
			name:  "data-only SIM",
			modem: attest.Config{Registration: attest.DeniedCS},
			want: []string{
				`msg="dialer: registered" status="+CREG: denied; +CGREG: registered, home; +CEREG: registered, home" waited=0s`,
			},
		},
		{
			name:  "LTE only, CSFB not preferred",
			modem: attest.Config{Registration: attest.LTEOnly},
			want: []string{
				`msg="dialer: registered" status="+CREG: not searching; +CGREG: not searching; +CEREG: registered, CSFB not preferred, home" waited=0s`,
			},
		},
		{
			name:    "never registers",
			modem:   attest.Config{Registration: attest.Never},
			timeout: 5 * time.Second,
			want: []string{
				`msg="dialer: registration" status="+CREG: searching; +CGREG: searching; +CEREG: searching" waited=0s`,
			},
			wantErr: "not registered within 5s (+CREG: searching; +CGREG: searching; +CEREG: searching)",
		},
		{
			name:  "denied",
			modem: attest.Config{Registration: attest.Denied},
			want: []string{
				`msg="dialer: registration" status="+CREG: denied; +CGREG: denied; +CEREG: denied" waited=0s`,
			},
			wantErr: "registration denied (+CREG: denied; +CGREG: denied; +CEREG: denied)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tt.modem)
				var log infoLog
				_, err := dialer.Dial(t.Context(), r.line, dialer.DialConfig{
					RegistrationTimeout: tt.timeout, Logger: log.logger()})
				if tt.wantErr == "" && err != nil {
					t.Fatalf("Dial: %v", err)
				}
				if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
					t.Errorf("Dial error %v, want one containing %q", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.want, log.registration()); diff != "" {
					t.Errorf("registration lines (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// infoLog records what a logger at the default level, info, shows.
type infoLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *infoLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *infoLog) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == slog.LevelKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// registration returns the lines about registration.
func (l *infoLog) registration() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var lines []string
	for _, line := range strings.Split(l.buf.String(), "\n") {
		if strings.HasPrefix(line, `msg="dialer: regist`) {
			lines = append(lines, line)
		}
	}
	return lines
}

package dialer_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/dialer/attest"
)

// monitorRig runs a Monitor on a fake modem's AT channel; build it in a
// synctest bubble. changes receives each status OnChange reports.
type monitorRig struct {
	*rig
	mon     *dialer.Monitor
	changes chan dialer.ModemStatus
	cancel  context.CancelFunc
	ran     chan error
}

func newMonitorRig(t *testing.T, cfg attest.Config, interval time.Duration) *monitorRig {
	t.Helper()
	r := &monitorRig{rig: newRig(t, cfg), changes: make(chan dialer.ModemStatus, 100), ran: make(chan error, 1)}
	r.mon = dialer.NewMonitor(r.line, dialer.MonitorConfig{Interval: interval,
		OnChange: func(s dialer.ModemStatus) { r.changes <- s }})
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.ran <- r.mon.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-r.ran; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return r
}

// waitFor waits for a status change for which ok holds.
func (r *monitorRig) waitFor(t *testing.T, what string, ok func(dialer.ModemStatus) bool) dialer.ModemStatus {
	t.Helper()
	for {
		select {
		case s := <-r.changes:
			if ok(s) {
				return s
			}
		case <-time.After(time.Hour):
			t.Fatalf("no status with %s; last %+v", what, r.mon.Status())
		}
	}
}

var lteModem = attest.Config{Echo: true, Answers: map[string][]string{
	"AT+COPS?": {`+COPS: 0,0,"Telekom.de",7`},
	"AT+CESQ":  {"+CESQ: 99,99,255,255,20,46"},
}}

// A poll reads the signal, the extended signal, the registration in the
// three domains and the operator; Summary says it in words.
func TestMonitorPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newMonitorRig(t, lteModem, time.Minute)
		st := r.waitFor(t, "a complete poll", func(s dialer.ModemStatus) bool { return !s.Updated.IsZero() })
		st.Updated = time.Time{}
		want := dialer.ModemStatus{Signal: "20,99", ExtSignal: "99,99,255,255,20,46",
			CREG: "+CREG: 2,1", CGREG: "+CGREG: 2,1", CEREG: "+CEREG: 2,1", Operator: `0,0,"Telekom.de",7`}
		if diff := cmp.Diff(want, st); diff != "" {
			t.Errorf("status (-want +got):\n%s", diff)
		}
		wantSum := `signal -73 dBm (CSQ 20,99), RSRP -95 dBm, registered, home, operator "Telekom.de" on E-UTRAN`
		if got := st.Summary(); got != wantSum {
			t.Errorf("Summary = %q, want %q", got, wantSum)
		}
		cmds := strings.Join(r.m.Commands(), " ")
		for _, c := range []string{"ATE0", "AT+CREG=2", "AT+CGREG=2", "AT+CEREG=2", "AT+COPS=3,0"} {
			if !strings.Contains(cmds, c) {
				t.Errorf("the monitor never sent %s: %s", c, cmds)
			}
		}
	})
}

// A registration URC changes the status at once, between two polls.
func TestMonitorURC(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newMonitorRig(t, lteModem, time.Hour)
		r.waitFor(t, "a complete poll", func(s dialer.ModemStatus) bool { return !s.Updated.IsZero() })
		start := time.Now()
		r.m.URC(`+CEREG: 5,"1A2B","01C3D4E5",7`)
		st := r.waitFor(t, "roaming", func(s dialer.ModemStatus) bool { return strings.HasPrefix(s.CEREG, "+CEREG: 5") })
		if waited := time.Since(start); waited >= time.Hour {
			t.Errorf("the URC was seen after %v, at the next poll", waited)
		}
		if stat, ok := st.Registration(); !ok || stat != 5 {
			t.Errorf("Registration = %d, %v; want 5 (roaming)", stat, ok)
		}
	})
}

// statusLog is a slog.Handler that sends each record at info level and
// above, as its message and its "status" attribute, on the channel.
type statusLog chan string

func (h statusLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }
func (h statusLog) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h statusLog) WithGroup(string) slog.Handler                { return h }

func (h statusLog) Handle(_ context.Context, r slog.Record) error {
	s := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "status" {
			s += ": " + a.Value.String()
		}
		return true
	})
	h <- s
	return nil
}

// The status is logged at info level, in words, when a poll or a URC
// changes it, and not again while it stays the same.
func TestMonitorLogsChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, lteModem)
		logs := make(statusLog, 100)
		mon := dialer.NewMonitor(r.line, dialer.MonitorConfig{Interval: time.Minute, Logger: slog.New(logs)})
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan error, 1)
		go func() { ran <- mon.Run(ctx) }()
		defer func() {
			cancel()
			<-ran
		}()
		next := func() string {
			t.Helper()
			select {
			case s := <-logs:
				return s
			case <-time.After(time.Hour):
				t.Fatal("nothing logged")
				return ""
			}
		}
		want := `modem status: signal -73 dBm (CSQ 20,99), RSRP -95 dBm, registered, home, operator "Telekom.de" on E-UTRAN`
		if got := next(); got != want {
			t.Errorf("first poll logged %q, want %q", got, want)
		}
		time.Sleep(3 * time.Minute) // fake time: three polls finding the same
		synctest.Wait()
		select {
		case s := <-logs:
			t.Errorf("logged %q with nothing changed", s)
		default:
		}
		r.m.URC(`+CEREG: 5,"1A2B","01C3D4E5",7`)
		if got := next(); !strings.Contains(got, "registered, roaming") {
			t.Errorf("after a roaming URC logged %q", got)
		}
	})
}

// Commands run between polls, at once, and return the information lines
// and the final result; failing results are replies, not errors.
func TestMonitorCommand(t *testing.T) {
	cfg := lteModem
	cfg.ErrorOn = []string{"AT+CNUM"}
	synctest.Test(t, func(t *testing.T) {
		r := newMonitorRig(t, cfg, time.Hour)
		r.waitFor(t, "a complete poll", func(s dialer.ModemStatus) bool { return !s.Updated.IsZero() })
		ctx := context.Background()
		start := time.Now()
		got, err := r.mon.Command(ctx, "+CSQ", 0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(dialer.Reply{Lines: []string{"+CSQ: 20,99"}, Result: "OK"}, got); diff != "" {
			t.Errorf("AT+CSQ (-want +got):\n%s", diff)
		}
		if waited := time.Since(start); waited >= time.Minute {
			t.Errorf("the command waited %v, for the next poll", waited)
		}
		got, err = r.mon.Command(ctx, "AT+CNUM", 0)
		if err != nil || got.Result != "ERROR" || !got.Failed() {
			t.Errorf("AT+CNUM = %+v, %v; want an ERROR reply", got, err)
		}
		for _, c := range []string{"ATD*99#", "ato", "AT+CMUX=0", "AT&FD1", "AT\rAT", "ATE0V0", "ATQ1", "AT+CSQ;D*99#"} {
			if _, err := r.mon.Command(ctx, c, 0); err == nil {
				t.Errorf("%q accepted on the AT channel", c)
			}
		}
		for _, c := range []string{"ATI", "AT+CMUX?", "ATV1", "AT+COPS=?"} {
			if err := dialer.CheckChannelCommand(c); err != nil {
				t.Errorf("%q refused: %v", c, err)
			}
		}
	})
}

// A poll the modem does not know is not asked again; a modem that does
// not answer a poll at all is asked again at the next.
func TestMonitorUnsupported(t *testing.T) {
	cfg := attest.Config{No4G: true, ErrorOn: []string{"AT+CESQ"}}
	synctest.Test(t, func(t *testing.T) {
		r := newMonitorRig(t, cfg, time.Minute)
		polls := 0
		r.waitFor(t, "three polls", func(s dialer.ModemStatus) bool {
			if !s.Updated.IsZero() {
				polls++
			}
			return polls == 3
		})
		n := map[string]int{}
		for _, c := range r.m.Commands() {
			n[c]++
		}
		if n["AT+CESQ"] != 1 || n["AT+CEREG?"] != 1 || n["AT+CSQ"] != 3 {
			t.Errorf("sent AT+CESQ %d, AT+CEREG? %d, AT+CSQ %d times; want 1, 1, 3", n["AT+CESQ"], n["AT+CEREG?"], n["AT+CSQ"])
		}
		if st := r.mon.Status(); st.CEREG != "" || st.ExtSignal != "" || st.CGREG == "" {
			t.Errorf("status %+v", st)
		}
	})
}

// When the channel ends, Run returns why, and commands fail with
// ErrMonitorStopped rather than wait.
func TestMonitorChannelClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &monitorRig{rig: newRig(t, lteModem)}
		mon := dialer.NewMonitor(r.line, dialer.MonitorConfig{Interval: time.Hour})
		ran := make(chan error, 1)
		go func() { ran <- mon.Run(context.Background()) }()
		<-mon.Polled()
		r.dte.Close()
		if err := <-ran; err == nil {
			t.Error("Run returned nil after the channel closed")
		}
		<-mon.Done()
		if _, err := mon.Command(context.Background(), "AT+CSQ", 0); !errors.Is(err, dialer.ErrMonitorStopped) {
			t.Errorf("Command after the end: %v, want ErrMonitorStopped", err)
		}
	})
}

// ParseCOPS takes the answer apart, with commas in the operator's name,
// numeric operators unquoted, and the short forms.
func TestParseCOPS(t *testing.T) {
	tests := []struct {
		in   string
		want dialer.COPS
		err  bool
	}{
		{in: "0", want: dialer.COPS{AcT: -1}},
		{in: `0,0,"Vodafone.de",7`, want: dialer.COPS{Format: 0, Name: "Vodafone.de", AcT: 7}},
		{in: `1,2,"26201",0`, want: dialer.COPS{Mode: 1, Format: 2, Name: "26201", AcT: 0}},
		{in: `0,0,"A, B",2`, want: dialer.COPS{Name: "A, B", AcT: 2}},
		{in: `0,2,26201`, want: dialer.COPS{Format: 2, Name: "26201", AcT: -1}},
		{in: `0,0,"X"`, want: dialer.COPS{Name: "X", AcT: -1}},
		{in: `0,0,"X`, err: true},
		{in: `0,0,"X"Y,7`, err: true},
		{in: `x,0`, err: true},
		{in: `0,0,"X",999`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := dialer.ParseCOPS(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got); !tt.err && diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzStatusParsers: the status parsers never panic, and what they
// accept is within range.
func FuzzStatusParsers(f *testing.F) {
	for _, s := range []string{`0,0,"Telekom.de",7`, "0", `1,2,"26201",0`, "99,99,255,255,20,46", "20,99", "",
		`0,0,"A, B",2`, "+CEREG: 2,1,\"1A2B\",\"01C3D4E5\",7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := dialer.ParseCOPS(s); err == nil && (c.Mode > 255 || c.AcT < -1 || c.AcT > 255) {
			t.Errorf("ParseCOPS(%q) = %+v", s, c)
		}
		if c, err := dialer.ParseCESQ(s); err == nil {
			if dbm, ok := c.RSRPdBm(); ok && (dbm < -141 || dbm > -44) {
				t.Errorf("ParseCESQ(%q): RSRP %d dBm", s, dbm)
			}
		}
		if rssi, ber, err := dialer.ParseCSQ(s); err == nil && (rssi < 0 || ber < 0) {
			t.Errorf("ParseCSQ(%q) = %d, %d", s, rssi, ber)
		}
		st := dialer.ModemStatus{Signal: s, ExtSignal: s, CEREG: s, Operator: s}
		_ = st.Summary()
		if stat, ok := st.Registration(); ok && (stat < 0 || stat > 10) {
			t.Errorf("Registration of %q = %d", s, stat)
		}
	})
}

// EnterCMUX synchronises, then asks for the basic option with the port
// speed and N1.
func TestEnterCMUX(t *testing.T) {
	tests := []struct {
		cfg  dialer.CMUXConfig
		want string
	}{
		{dialer.CMUXConfig{}, "AT+CMUX=0,0,5,127"},
		{dialer.CMUXConfig{N1: 31, Baud: 921600}, "AT+CMUX=0,0,8,31"},
		{dialer.CMUXConfig{N1: 1500, Baud: 9600}, "AT+CMUX=0,0,1,1500"},
		{dialer.CMUXConfig{Baud: 12345}, "AT+CMUX=0,0,5,127"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, attest.Config{Echo: true})
				if err := dialer.EnterCMUX(context.Background(), r.line, tt.cfg); err != nil {
					t.Fatal(err)
				}
				cmds := r.m.Commands()
				if got := cmds[len(cmds)-1]; got != tt.want {
					t.Errorf("last command %q, want %q (all: %q)", got, tt.want, cmds)
				}
				if !strings.Contains(strings.Join(cmds, " "), "ATE0") {
					t.Errorf("no ATE0 before AT+CMUX: %q", cmds)
				}
			})
		})
	}
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, attest.Config{ErrorOn: []string{"AT+CMUX"}})
		err := dialer.EnterCMUX(context.Background(), r.line, dialer.CMUXConfig{})
		wantStepError(t, err, "cmux", dialer.ErrError)
	})
}

package gprsppp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/cmux"
	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
)

// The channels of the multiplexer, as modems and Zephyr's cellular
// driver number them.
const (
	atDLCI   = 1
	dataDLCI = 2
)

// Multiplexer timing.
const (
	defaultCMUXKeepAlive = 10 * time.Second
	// firstStatusWait bounds the wait for the AT channel's first poll once
	// PPP is up, so that the link reports the modem's status from the
	// start.
	firstStatusWait = 5 * time.Second
)

// ErrNoATChannel reports a Link.ModemCommand on a link without an AT
// channel: one dialled without Config.CMUX or whose DLCI 1 did not open,
// or one from Open.
var ErrNoATChannel = errors.New("gprsppp: the link has no AT channel (dialled without CMUX, or DLCI 1 did not open)")

// muxLink is what a link over a multiplexer has besides: the
// multiplexer, and the monitor on its AT channel.
type muxLink struct {
	mux    *cmux.Mux
	at     *atChannel // nil if the AT channel failed to open
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// close stops the monitor and closes the multiplexer: DISC on its
// channels, then CLD, and the modem is back in command mode.
func (m *muxLink) close() {
	m.once.Do(func() {
		m.cancel()
		m.wg.Wait()
		m.mux.Close()
	})
}

// closeDownFrames are a CLD command and a DISC on DLCI 0 (TS 27.010
// §5.4.6.3.3, §5.3.4), as an initiator sends them, then a CR. A modem
// left in a multiplexer by an earlier run that ended without closing it
// takes either as the end of the multiplexer and returns to command
// mode; a modem in command mode sees one line of noise, answered ERROR.
func closeDownFrames() []byte {
	cld := cmux.Message{Type: cmux.MsgCLD, Command: true}.Append(nil)
	b := cmux.Frame{DLCI: 0, CR: true, Type: cmux.UIH, Info: cld}.Append(nil)
	b = cmux.Frame{DLCI: 0, CR: true, Type: cmux.DISC, PF: true}.Append(b)
	return append(b, '\r')
}

// dialCMUX is DialPort with cfg.CMUX: the AT sync and AT+CMUX on port,
// then the multiplexer, the monitor on DLCI 1, and the dial script and
// PPP on DLCI 2. The Link owns port; on error it is closed.
func dialCMUX(ctx context.Context, port device.Port, cfg Config) (*Link, error) {
	log := cfg.modemLogger()
	if _, err := port.Write(closeDownFrames()); err != nil {
		port.Close()
		return nil, fmt.Errorf("gprsppp: %w", err)
	}
	n1 := cmp.Or(cfg.CMUXFrameSize, dialer.DefaultCMUXN1)
	err := dialer.EnterCMUX(ctx, port, dialer.CMUXConfig{N1: n1, Baud: cfg.Port.Baud, GuardTime: cfg.GuardTime, Logger: log})
	if err != nil {
		port.Close()
		return nil, fmt.Errorf("gprsppp: %w%s", err, cmuxHint(err))
	}
	keepAlive := cmp.Or(cfg.CMUXKeepAlive, defaultCMUXKeepAlive)
	mux := cmux.NewInitiator(port, cmux.Config{N1: n1, KeepAlive: max(keepAlive, 0), Logger: log})
	ml := &muxLink{mux: mux}
	mctx, cancel := context.WithCancel(context.Background())
	ml.cancel = cancel
	fail := func(err error) (*Link, error) {
		ml.close()
		return nil, fmt.Errorf("gprsppp: %w", err)
	}
	if atCh, err := mux.Open(ctx, atDLCI); err != nil {
		if ctx.Err() != nil {
			return fail(err)
		}
		log.Warn("the AT channel (DLCI 1) did not open: no modem status while the link is up", "err", err)
	} else {
		ml.at = newATChannel(mctx, &ml.wg, mux, atCh, dialer.MonitorConfig{Interval: cfg.StatusInterval, Logger: log}, log)
	}
	dataCh, err := mux.Open(ctx, dataDLCI)
	if err != nil {
		return fail(fmt.Errorf("opening the data channel (DLCI %d): %w", dataDLCI, err))
	}
	data := dataCh
	conn, err := dialer.Dial(ctx, data, cfg.dialConfig(log))
	if err != nil {
		return fail(fmt.Errorf("%w%s", err, pinHint(err)))
	}
	log.Info("modem connected", "speed", conn.Speed, "signal", conn.Signal, "channel", dataDLCI)
	line := dialer.NewOnlineLine(data)
	hangup := func(error) {
		// Closing the data channel hangs the call up, and closing the
		// multiplexer (CLD) returns the modem to command mode.
		ml.close()
	}
	l, err := open(ctx, dialer.WatchCarrier(&muxLine{OnlineLine: line, mux: mux}), cfg.session(),
		linkOptions{hangup: hangup, trackUnacked: cfg.TrackUnacked})
	if err != nil {
		ml.close()
		return nil, err
	}
	l.modem, l.mux = conn, ml
	if ml.at != nil {
		m := ml.at.first()
		select {
		case <-m.Polled():
		case <-m.Done():
		case <-time.After(firstStatusWait):
		}
	}
	return l, nil
}

// cmuxHint explains a modem that refused AT+CMUX.
func cmuxHint(err error) string {
	var se *dialer.StepError
	if errors.As(err, &se) && se.Step == "cmux" {
		return " (the modem does not take AT+CMUX: it may not support 27.010 multiplexing on this port, or not this frame size; try without --cmux)"
	}
	return ""
}

// muxLine is the data channel as PPP reads it: when the multiplexer
// ends, its reason (the modem silent, the multiplexer closed by the
// modem, the port's error) is the line's error, rather than the bare
// closing of the channel.
type muxLine struct {
	*dialer.OnlineLine
	mux *cmux.Mux
}

func (l *muxLine) Read(p []byte) (int, error) {
	n, err := l.OnlineLine.Read(p)
	return n, l.explain(err)
}

func (l *muxLine) Write(p []byte) (int, error) {
	n, err := l.OnlineLine.Write(p)
	return n, l.explain(err)
}

func (l *muxLine) explain(err error) error {
	if err == nil || !errors.Is(err, cmux.ErrChannelClosed) {
		return err
	}
	select {
	case <-l.mux.Done():
		if merr := l.mux.Err(); merr != nil && !errors.Is(err, merr) {
			return fmt.Errorf("%w (%w)", err, merr)
		}
	default:
	}
	return err
}

// ModemStatus returns what the monitor on the modem's AT channel last
// read (the signal, registration and operator), for a link dialled with
// Config.CMUX; false for any other link, or if the AT channel did not
// open.
func (l *Link) ModemStatus() (dialer.ModemStatus, bool) {
	if l.mux == nil || l.mux.at == nil {
		return dialer.ModemStatus{}, false
	}
	return l.mux.at.status(), true
}

// ModemCommand sends an AT command to the modem on its AT channel,
// between the monitor's polls, and returns its answer (see
// dialer.Monitor.Command). While the channel is being opened again (the
// modem closed it) it waits for it, as long as ctx allows. It fails with
// ErrNoATChannel on a link without one.
func (l *Link) ModemCommand(ctx context.Context, cmd string, timeout time.Duration) (dialer.Reply, error) {
	if l.mux == nil || l.mux.at == nil {
		return dialer.Reply{}, ErrNoATChannel
	}
	return l.mux.at.command(ctx, cmd, timeout)
}

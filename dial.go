package gprsppp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gprsppp/gprsppp/device"
	"github.com/gprsppp/gprsppp/dialer"
)

// hangupTimeout bounds the hang-up after a link ends.
const hangupTimeout = 10 * time.Second

// ErrSIM matches the dial errors about the SIM that take a person to
// solve: no SIM, no PIN configured, a PIN the SIM rejected, the SIM
// blocked by its PUK, only the last PIN attempt left. A Supervisor does not
// redial after them (but for a missing SIM). It is dialer.ErrSIM.
var ErrSIM = dialer.ErrSIM

// Dial opens the modem named by cfg.Device, runs the AT dial script (or
// cfg.Script) up to CONNECT, and brings PPP up as Open does. Closing the
// Link terminates PPP, hangs the modem up (DTR drop where the port has
// it, then +++ and ATH) and closes the port.
func Dial(ctx context.Context, cfg Config) (*Link, error) {
	port, err := device.Open(ctx, cfg.Device, cfg.Port)
	if err != nil {
		return nil, fmt.Errorf("gprsppp: %w", err)
	}
	return DialPort(ctx, port, cfg)
}

// DialPort is Dial on a port the caller opened. The Link owns port; on
// error port is closed.
func DialPort(ctx context.Context, port device.Port, cfg Config) (*Link, error) {
	log := cfg.modemLogger()
	if err := device.ResetInput(port); err != nil {
		log.Debug("discarding stale input failed", "err", err)
	}
	if cfg.CMUX {
		return dialCMUX(ctx, port, cfg)
	}
	conn, err := dialer.Dial(ctx, port, cfg.dialConfig(log))
	if err != nil {
		port.Close()
		return nil, fmt.Errorf("gprsppp: %w%s", err, pinHint(err))
	}
	log.Info("modem connected", "speed", conn.Speed, "signal", conn.Signal)
	line := dialer.NewOnlineLine(port)
	hangup := func(reason error) {
		if errors.Is(reason, dialer.ErrNoCarrier) {
			// The modem said NO CARRIER: it is in command mode already
			// and the escape would only cost its guard times.
			port.Close()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), hangupTimeout)
		defer cancel()
		port.SetReadDeadline(time.Time{})
		if err := dialer.Hangup(ctx, port, dialer.HangupConfig{GuardTime: cfg.GuardTime, Logger: log}); err != nil {
			log.Info("modem hang-up", "err", err)
		}
		port.Close()
	}
	l, err := open(ctx, dialer.WatchCarrier(line), cfg.session(), linkOptions{hangup: hangup, trackUnacked: cfg.TrackUnacked, lineRate: cfg.LineRate})
	if err != nil {
		hangup(err)
		return nil, err
	}
	l.modem = conn
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		line.WatchDCD(l.s.Done(), cfg.carrierPoll())
	}()
	return l, nil
}

// dialConfig is the dial script's configuration.
func (c Config) dialConfig(log *slog.Logger) dialer.DialConfig {
	return dialer.DialConfig{
		APN: c.APN, PDPType: c.PDPType, PIN: c.PIN, ContextID: c.ContextID, DialString: c.DialString,
		RegistrationTimeout: c.RegistrationTimeout, GuardTime: c.GuardTime, Script: c.Script, Logger: log,
	}
}

// pinHint says where the PIN comes from, for the SIM errors that a
// configured PIN would solve or that ask to check it.
func pinHint(err error) string {
	if !errors.Is(err, ErrSIM) || errors.Is(err, dialer.ErrSIMPUK) || errors.Is(err, dialer.ErrSIMNotInserted) {
		return ""
	}
	return " (the PIN is Config.PIN; gprsppp connect and shim read it from --pin-file or GPRSPPP_PIN)"
}

package main

import (
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/spf13/pflag"
)

// cmuxFlags are the multiplexer's flags of connect and shim.
type cmuxFlags struct {
	on             bool
	frameSize      int
	statusInterval time.Duration
}

func addCMUXFlags(fl *pflag.FlagSet, f *cmuxFlags) {
	fl.BoolVar(&f.on, "cmux", false, "run a 27.010 multiplexer on the modem's line (AT+CMUX): PPP on DLCI 2, and an AT channel on DLCI 1 for the modem's status and gprsppp at")
	fl.IntVar(&f.frameSize, "cmux-frame-size", dialer.DefaultCMUXN1, "with --cmux, the frames' largest information field (N1), given to the modem with AT+CMUX")
	fl.DurationVar(&f.statusInterval, "status-interval", 30*time.Second, "with --cmux, how often the AT channel polls the signal, registration and operator")
}

// apply puts the flags into cfg.
func (f cmuxFlags) apply(cfg *gprsppp.Config) error {
	if !f.on {
		return nil
	}
	if f.frameSize < 1 || f.frameSize > 32768 {
		return fmt.Errorf("--cmux-frame-size %d: want 1 to 32768", f.frameSize)
	}
	if f.statusInterval <= 0 {
		return fmt.Errorf("--status-interval %v: must be positive", f.statusInterval)
	}
	cfg.CMUX, cfg.CMUXFrameSize, cfg.StatusInterval = true, f.frameSize, f.statusInterval
	return nil
}

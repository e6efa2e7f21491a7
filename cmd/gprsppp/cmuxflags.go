package main

import (
	"fmt"
	"slices"
	"strings"
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
	given          []string // the settings below --cmux given, which need it
}

func addCMUXFlags(fl *pflag.FlagSet, f *cmuxFlags) {
	fl.BoolVar(&f.on, "cmux", false, "run a 27.010 multiplexer on the modem's line (AT+CMUX): PPP on DLCI 2, and an AT channel on DLCI 1 for the modem's status and gprsppp at")
	fl.IntVar(&f.frameSize, "cmux-frame-size", dialer.DefaultCMUXN1, "with --cmux, the frames' largest information field (N1), given to the modem with AT+CMUX")
	fl.DurationVar(&f.statusInterval, "status-interval", 30*time.Second, "with --cmux, how often the AT channel polls the signal, registration and operator")
	for _, name := range []string{"cmux-frame-size", "status-interval"} {
		fg := fl.Lookup(name)
		fg.Value = givenValue{Value: fg.Value, name: "--" + name, given: &f.given}
	}
}

// givenValue is a flag's value that notes its flag's name in given when
// set, from the command line or a named configuration.
type givenValue struct {
	pflag.Value
	name  string
	given *[]string
}

func (v givenValue) Set(s string) error {
	if !slices.Contains(*v.given, v.name) {
		*v.given = append(*v.given, v.name)
	}
	return v.Value.Set(s)
}

// apply puts the flags into cfg. Without --cmux it refuses the
// multiplexer's settings, which would otherwise be ignored unsaid.
func (f cmuxFlags) apply(cfg *gprsppp.Config) error {
	if !f.on {
		switch len(f.given) {
		case 0:
		case 1:
			return fmt.Errorf("%s needs --cmux", f.given[0])
		default:
			return fmt.Errorf("%s need --cmux", strings.Join(f.given, " and "))
		}
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

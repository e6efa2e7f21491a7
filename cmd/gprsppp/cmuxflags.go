package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/internal/linkstate"
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

// atRequest is the control socket's "at" command: a command line for
// the modem's AT channel, and how long to wait for its final result.
type atRequest struct {
	Command string        `json:"command"`
	Timeout time.Duration `json:"timeout_ns"`
}

// answerAT is the control socket's "at" handler: it sends the command on
// the current link's AT channel.
func answerAT(tracker *linkstate.Tracker) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, arg json.RawMessage) (any, error) {
		var req atRequest
		if err := json.Unmarshal(arg, &req); err != nil {
			return nil, fmt.Errorf("at: bad request: %w", err)
		}
		if !tracker.Status().ATChannel {
			return nil, errors.New("at: this link runs without --cmux: the modem's only line carries PPP, and it has no AT channel")
		}
		l := tracker.Link()
		if l == nil {
			return nil, errors.New("at: no link is up: the modem's AT channel opens with the link")
		}
		ctx, cancel := context.WithTimeout(ctx, min(req.Timeout, dialer.MaxCommandTimeout)+time.Second)
		defer cancel()
		reply, err := l.ModemCommand(ctx, req.Command, req.Timeout)
		if errors.Is(err, dialer.ErrTimeout) {
			return atAnswer{Reply: reply, Timeout: true}, nil
		}
		if err != nil {
			return nil, err
		}
		return atAnswer{Reply: reply}, nil
	}
}

// atAnswer is the reply to "at": the modem's answer, or what came of it
// before the command's timeout.
type atAnswer struct {
	dialer.Reply
	Timeout bool `json:"timeout,omitempty"`
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gprsppp/gprsppp/dialer"
	"github.com/gprsppp/gprsppp/internal/linkstate"
)

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

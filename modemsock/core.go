package modemsock

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
)

// DefaultRecvBuffer is Config.RecvBuffer's default: 64 KiB per socket.
const DefaultRecvBuffer = 64 << 10

// TxQueue is how many writes a socket queues before Write refuses more.
const TxQueue = 16

// readChunk is the most a stream socket's reader takes per Read.
const readChunk = 4096

// Config configures a Core.
type Config struct {
	// Post runs f on the embedder's goroutine, the one that owns the
	// core, and reports false once that goroutine has stopped taking
	// closures (f then never runs). It must not block for long: the
	// core's goroutines post at most a few closures each at a time.
	// Required.
	Post func(f func()) bool
	// Events receives every event, on the embedder's goroutine. Required.
	Events func(Event)
	// RecvBuffer is how many received bytes each socket holds before its
	// reader stops reading, so that TCP flow control holds the sender
	// back. Zero means DefaultRecvBuffer.
	RecvBuffer int
	// Logger receives debug logs. Nil means silent.
	Logger *slog.Logger
}

// Core is one host's sockets and contexts. Its methods, and those of its
// sockets, listeners and contexts, belong to the embedder's goroutine.
type Core struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	open   map[*Socket]struct{}
}

// New returns a core whose goroutines end with ctx or Close.
func New(ctx context.Context, cfg Config) *Core {
	cfg.RecvBuffer = cmp.Or(max(cfg.RecvBuffer, 0), DefaultRecvBuffer)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	return &Core{cfg: cfg, ctx: ctx, cancel: cancel, open: map[*Socket]struct{}{}}
}

// RecvBuffer is the receive buffer of each socket, in bytes.
func (c *Core) RecvBuffer() int { return c.cfg.RecvBuffer }

// Close closes every socket and waits for the core's goroutines. Data
// still buffered stays readable.
func (c *Core) Close() {
	for s := range c.open {
		s.Close()
	}
	c.cancel()
	c.wg.Wait()
}

// Go runs work in a goroutine that Close waits for, then runs the closure
// it returns (if any) on the embedder's goroutine.
func (c *Core) Go(work func(ctx context.Context) func()) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if done := work(c.ctx); done != nil {
			c.cfg.Post(done)
		}
	}()
}

func (c *Core) emit(ev Event) { c.cfg.Events(ev) }

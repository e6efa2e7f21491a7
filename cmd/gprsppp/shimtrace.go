package main

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/shim"
	"github.com/spf13/pflag"
)

// shimTraceFlags are shim's --trace and --trace-hex.
type shimTraceFlags struct {
	text, hex bool
}

func (t *shimTraceFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&t.text, "trace", false, "log every line each host sends and every reply and URC it gets, at info level (category shim-trace)")
	fl.BoolVar(&t.hex, "trace-hex", false, "as --trace, with the data in hex")
}

func (t shimTraceFlags) on() bool { return t.text || t.hex }

// shown is what the trace needs of the logger: its category at info
// level, whatever --log-level says.
func (t shimTraceFlags) shown() []catLevel {
	if !t.on() {
		return nil
	}
	return []catLevel{{catShimTrace, slog.LevelInfo}}
}

// shimHostName names the host on rw, served by the listener spec (without
// its options), in the shim's logs: a TCP client's address, a pty's path,
// a serial device.
func shimHostName(spec string, rw io.ReadWriteCloser) string {
	switch c := rw.(type) {
	case net.Conn:
		return c.RemoteAddr().String()
	case interface{ Path() string }:
		return c.Path()
	}
	dev, _, _ := strings.Cut(strings.TrimPrefix(spec, "serial:"), "@")
	return dev
}

// serveHost answers one host on rw with a shim configured by cfg (its
// listener's) whose logs name the host, tracing the dialogue with --trace.
func (h *shimHosts) serveHost(ctx context.Context, cfg shim.Config, host string, rw io.ReadWriteCloser) error {
	log := h.log.With("host", host)
	cfg.Logger = log
	if h.trace.on() {
		t := newShimTrace(rw, log.With(catKey, catShimTrace), h.trace.hex)
		defer t.flush()
		rw = t.withDTR()
	}
	return shim.New(cfg).Serve(ctx, rw)
}

// traced is rw with --trace's logging, if on, naming host.
func (h *shimHosts) traced(rw io.ReadWriteCloser, host string) io.ReadWriter {
	if !h.trace.on() {
		return rw
	}
	return newShimTrace(rw, h.log.With("host", host, catKey, catShimTrace), h.trace.hex).withDTR()
}

// startCapture opens --pcap, if set, and has cfg's link write to it. The
// closer closes the file once the link is gone.
func startCapture(cfg *gprsppp.Config, path string, log *slog.Logger) (io.Closer, error) {
	if path == "" {
		return io.NopCloser(nil), nil
	}
	trace, file, err := openCapture(path, log)
	if err != nil {
		return nil, err
	}
	cfg.Trace = trace
	return file, nil
}

// traceRecordMax bounds a trace record: data without line ends, as in
// transparent mode, is logged in pieces this long.
const traceRecordMax = 1024

// shimTrace is a host's line that logs, at info level, every line the
// host sends and every line the shim sends it, CR and LF included: as
// escaped text (the log handler quotes control characters) or in hex.
// Data without a line end (AT+QISEND's, the "> " prompt) is logged when
// the other side next speaks, so that the records keep the dialogue's
// order.
type shimTrace struct {
	io.ReadWriteCloser
	log *slog.Logger
	hex bool
	// mu orders the records of the two directions, which Read and Write
	// log from different goroutines; it guards the pending data. The
	// log handler is called under it: it writes to a file, and calls
	// nothing that could come back here.
	mu      sync.Mutex
	in, out []byte // pending: a line not yet ended
}

func newShimTrace(rw io.ReadWriteCloser, log *slog.Logger, hex bool) *shimTrace {
	return &shimTrace{ReadWriteCloser: rw, log: log, hex: hex}
}

// withDTR returns t, with a DTR method where the line has one, for the
// shim to watch DTR through the trace.
func (t *shimTrace) withDTR() io.ReadWriteCloser {
	if d, ok := t.ReadWriteCloser.(dtrLine); ok {
		return shimTraceDTR{t, d}
	}
	return t
}

type dtrLine interface{ DTR() (bool, error) }

type shimTraceDTR struct {
	*shimTrace
	line dtrLine
}

func (t shimTraceDTR) DTR() (bool, error) { return t.line.DTR() }

const (
	traceFromHost = "shim: from host"
	traceToHost   = "shim: to host"
)

func (t *shimTrace) Read(b []byte) (int, error) {
	n, err := t.ReadWriteCloser.Read(b)
	if n > 0 {
		t.mu.Lock()
		t.out = t.logPending(traceToHost, t.out)
		t.in = t.logLines(traceFromHost, append(t.in, b[:n]...))
		t.mu.Unlock()
	}
	return n, err
}

func (t *shimTrace) Write(b []byte) (int, error) {
	t.mu.Lock()
	t.in = t.logPending(traceFromHost, t.in)
	t.out = t.logLines(traceToHost, append(t.out, b...))
	t.mu.Unlock()
	return t.ReadWriteCloser.Write(b)
}

// flush logs what is pending, when the host's session ends.
func (t *shimTrace) flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.in = t.logPending(traceFromHost, t.in)
	t.out = t.logPending(traceToHost, t.out)
}

// logLines logs the complete lines of p and returns the rest, or logs
// all of p if it is too long to wait for a line end.
func (t *shimTrace) logLines(msg string, p []byte) []byte {
	start := 0
	for {
		n := lineLen(p[start:])
		if n == 0 {
			break
		}
		t.record(msg, p[start:start+n])
		start += n
	}
	rest := append(p[:0], p[start:]...)
	if len(rest) >= traceRecordMax {
		return t.logPending(msg, rest)
	}
	return rest
}

func (t *shimTrace) logPending(msg string, p []byte) []byte {
	if len(p) > 0 {
		t.record(msg, p)
	}
	return p[:0]
}

func (t *shimTrace) record(msg string, p []byte) {
	if t.hex {
		t.log.Info(msg, "hex", hex.EncodeToString(p))
	} else {
		t.log.Info(msg, "line", string(p))
	}
}

// lineLen is the length of p's first line, 0 if it has not ended. A line
// ends with LF, CR LF or CR; the CR and LF that start p belong to the
// line after them ("\r\nOK\r\n" is one line), and so are never a line
// of their own.
func lineLen(p []byte) int {
	i := 0
	for i < len(p) && (p[i] == '\r' || p[i] == '\n') {
		i++
	}
	for ; i < len(p); i++ {
		switch p[i] {
		case '\n':
			return i + 1
		case '\r':
			if i+1 < len(p) && p[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		}
	}
	return 0
}

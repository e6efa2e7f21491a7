package cmux

import (
	"log/slog"
	"time"

	"github.com/gprsppp/gprsppp/internal/clock"
)

// Defaults of Config, those of 3GPP TS 27.007 §5.7 for AT+CMUX and of TS
// 27.010 §5.7 for the basic option.
const (
	DefaultN1 = 31
	DefaultT1 = 100 * time.Millisecond
	DefaultT2 = 300 * time.Millisecond
	DefaultN2 = 3
	// DefaultRxBuffer bounds what a channel holds for its reader.
	DefaultRxBuffer = 256 << 10
)

// Config configures a multiplexer. Zero values take the defaults given;
// both ends must agree on N1 unless PN negotiates it (AT+CMUX sets it on
// the modem).
type Config struct {
	// N1 is the longest information field sent or received, 1 to
	// MaxN1; zero means DefaultN1 (31, the TS 27.010 default for the
	// basic option; modems are usually set to 127 with AT+CMUX). The
	// initiator proposes it with PN for each DLC and takes a smaller
	// value from the responder's answer; a responder answers with the
	// smaller of the proposal and its own. When the peer answers PN with
	// NSC (Linux n_gsm 6.1) or not at all, N1 stays as configured. Longer
	// writes are split into frames of at most N1 octets; received frames
	// longer than N1 are dropped and counted.
	N1 int
	// T1 is the acknowledgement timer: how long SABM and DISC wait for
	// UA or DM before they are sent again. Zero means DefaultT1 (100 ms).
	T1 time.Duration
	// T2 is how long a control message on DLCI 0 waits for its response
	// before it is sent again. Zero means DefaultT2 (300 ms). A CLD is
	// not repeated: Close waits at most T2 for its response, which Linux
	// n_gsm 6.1 never sends.
	T2 time.Duration
	// N2 is how many times SABM, DISC and control messages are
	// retransmitted. Zero means DefaultN2 (3); negative means none.
	N2 int
	// NoPN skips the parameter negotiation the initiator sends before
	// opening each DLC. False sends it.
	NoPN bool
	// KeepAlive, if positive, sends a Test command on DLCI 0 whenever
	// that long passes without a frame from the peer; if it gets no
	// answer after N2 retransmissions T2 apart the multiplexer ends with
	// ErrPeerSilent. Zero sends none.
	KeepAlive time.Duration
	// RxBuffer bounds the octets each channel holds for its reader. When
	// more than a quarter of it waits, the channel asks the peer to stop
	// sending (MSC with FC), leaving the rest for the data already on
	// its way (Linux n_gsm behind a 16550 was seen to send up to 14 KiB
	// more); when the reader has taken it down to an eighth, to go on
	// (MSC without FC). Data past RxBuffer is dropped and counted in
	// Stats. Zero means DefaultRxBuffer (256 KiB, room for a 64 KiB pipe
	// of data on its way).
	RxBuffer int
	// Clock drives T1, T2, KeepAlive and read deadlines; nil means the
	// system clock.
	Clock clock.Clock
	// Logger receives the frames of DLCI 0, DLC state changes and drops
	// at debug level and the multiplexer's end at info level; nil is
	// silent. Data is never logged.
	Logger *slog.Logger
}

// withDefaults returns cfg with its zero values replaced.
func (cfg Config) withDefaults() Config {
	if cfg.N1 <= 0 {
		cfg.N1 = DefaultN1
	}
	cfg.N1 = min(cfg.N1, MaxN1)
	if cfg.T1 <= 0 {
		cfg.T1 = DefaultT1
	}
	if cfg.T2 <= 0 {
		cfg.T2 = DefaultT2
	}
	switch {
	case cfg.N2 == 0:
		cfg.N2 = DefaultN2
	case cfg.N2 < 0:
		cfg.N2 = 0
	}
	if cfg.RxBuffer <= 0 {
		cfg.RxBuffer = DefaultRxBuffer
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

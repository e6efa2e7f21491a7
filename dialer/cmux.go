package dialer

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// CMUXConfig configures EnterCMUX. The zero value asks for frames of 127
// octets at 115200 bit/s.
type CMUXConfig struct {
	// N1 is the longest information field of a frame, 1 to 32768; zero
	// means 127, the value of Linux n_gsm and most modules (3GPP TS
	// 27.007 §5.7 says 31, which few use).
	N1 int
	// Baud is the line's speed, told to the modem as AT+CMUX's
	// <port_speed> (9600 to 921600); zero, or a speed it has no code
	// for, means 115200 (code 5), which leaves a virtual port as it is.
	Baud int
	// GuardTime is as in DialConfig: the escape guard time for a modem
	// left in data mode. Zero means 1 s.
	GuardTime time.Duration
	// Logger receives the dialogue at debug level; nil is silent.
	Logger *slog.Logger
}

// DefaultCMUXN1 is CMUXConfig.N1's default.
const DefaultCMUXN1 = 127

// portSpeed returns the <port_speed> code of 3GPP TS 27.007 §5.7 for
// baud, 5 (115200) for a speed without one.
func portSpeed(baud int) int {
	for code, b := range [...]int{1: 9600, 2: 19200, 3: 38400, 4: 57600, 5: 115200, 6: 230400, 7: 460800, 8: 921600} {
		if b == baud && code > 0 {
			return code
		}
	}
	return 5
}

// Command returns the AT+CMUX command cfg stands for: basic option,
// UIH frames, the port speed and N1, the rest left to the modem.
func (cfg CMUXConfig) Command() string {
	n1 := cfg.N1
	if n1 <= 0 {
		n1 = DefaultCMUXN1
	}
	return fmt.Sprintf("AT+CMUX=0,0,%d,%d", portSpeed(cfg.Baud), n1)
}

// EnterCMUX brings the modem on l to the 27.010 multiplexer's basic
// option: it synchronises as Dial does (AT until answered, escaping and
// hanging up a modem left in data mode; ATE0, AT+CMEE=1) and sends
// AT+CMUX. Once it returns, the modem expects frames, DLCI 0 first.
// Cancelling ctx interrupts it; it leaves l without a read deadline.
func EnterCMUX(ctx context.Context, l Line, cfg CMUXConfig) error {
	if cfg.N1 < 0 || cfg.N1 > 32768 {
		return fmt.Errorf("dialer: CMUX frame size %d: want 1 to 32768", cfg.N1)
	}
	c := newChat(l, cfg.Logger)
	release := watchContext(ctx, l)
	defer release()
	d := &dialer{c: c, l: l, cfg: DialConfig{GuardTime: cfg.GuardTime}}
	c.urc = d.urcs()
	if err := d.sync(ctx); err != nil {
		return err
	}
	_, err := c.step(ctx, Step{Name: "cmux", Send: cfg.Command()})
	return err
}

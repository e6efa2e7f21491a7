package sim

import (
	"fmt"
	"strings"

	"github.com/gprsppp/gprsppp/at"
)

// parseDialResult maps ModemConfig.DialResult to the result of a dial:
// "" and CONNECT connect, an unknown text is ERROR.
func parseDialResult(s string) at.Result {
	r, ok := at.ParseResult(strings.ToUpper(strings.TrimSpace(s)))
	switch {
	case s == "":
		return at.Connect
	case !ok || r.Code == at.OK || r.Code == at.Ring:
		return at.Error
	}
	return r.Code
}

// Mobile termination error codes (3GPP TS 27.007 §9.2.1).
const (
	cmeNotAllowed    = 3
	cmeNotSupported  = 4
	cmeNoSIM         = 10
	cmeSIMPIN        = 11
	cmeSIMPUK        = 12
	cmeSIMFailure    = 13
	cmeWrongPassword = 16
	cmeBadParameters = 50
)

// cmeError is the +CME ERROR with code n.
func cmeError(n int) error { return at.NewCMEError(n) }

// info writes a line of information text.
func (d *dce) info(format string, args ...any) { d.eng.Info(fmt.Sprintf(format, args...)) }

// noCarrier reports the loss of the call.
func (d *dce) noCarrier() { d.eng.Result(at.NoCarrier) }

package auth

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// ErrRejected reports that the peer refused our credentials with a PAP
	// Authenticate-Nak or a CHAP Failure. The error passed to
	// ClientConfig.Done wraps it and quotes the peer's message.
	ErrRejected = errors.New("auth: authentication rejected by peer")

	// ErrTimeout reports that the peer stopped answering: a client ran out
	// of retransmissions or of time, or a server waited in vain for the
	// peer's credentials.
	ErrTimeout = errors.New("auth: no answer from peer")

	// ErrNoCredentials reports that the peer asked us to authenticate but
	// ClientConfig.Username is empty.
	ErrNoCredentials = errors.New("auth: no username configured")

	// ErrAuthFailed reports, to a Server's Done, that the peer sent an
	// unknown name or a wrong password or response.
	ErrAuthFailed = errors.New("auth: peer failed authentication")
)

// Unexported codec errors: callers drop malformed packets rather than
// branch on the reason.
var (
	errCode        = errors.New("unexpected code")
	errFieldLength = errors.New("field too long")
	errEmptyValue  = errors.New("empty Value field")
)

// maxShown bounds how many characters of a peer-supplied text (a PAP or
// CHAP message, a peer name) go into a log record or an error.
const maxShown = 128

// sanitize makes peer-supplied text safe to show: invalid UTF-8 and
// unprintable characters become '?', and the text is cut to maxShown
// characters.
func sanitize(b []byte) string {
	var sb strings.Builder
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if n == maxShown {
			sb.WriteString("…")
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}

package device

import "golang.org/x/sys/unix"

// The termios ioctls: tcgetattr and tcsetattr(TCSANOW); and the
// octets in the output queue (tcdrain's count) and in the input queue.
const (
	ioctlOutQ       = unix.TIOCOUTQ
	ioctlInQ        = unix.TIOCINQ
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)

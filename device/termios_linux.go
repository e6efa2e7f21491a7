package device

import "golang.org/x/sys/unix"

// The termios ioctls: tcgetattr and tcsetattr(TCSANOW); and the
// octets in the output queue (tcdrain's count).
const (
	ioctlOutQ       = unix.TIOCOUTQ
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)

//go:build darwin || freebsd || netbsd || openbsd

package device

import "golang.org/x/sys/unix"

// The termios ioctls: tcgetattr and tcsetattr(TCSANOW); and the
// octets in the output queue (tcdrain's count) and in the input queue.
const (
	ioctlOutQ       = unix.TIOCOUTQ
	ioctlInQ        = 0x4004667f // FIONREAD, _IOR('f', 127, int) in <sys/filio.h>; x/sys/unix lacks it here
	ioctlGetTermios = unix.TIOCGETA
	ioctlSetTermios = unix.TIOCSETA
)

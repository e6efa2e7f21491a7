package device

import "golang.org/x/sys/unix"

// The termios ioctls: tcgetattr and tcsetattr(TCSANOW).
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)

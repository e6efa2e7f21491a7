package device

import (
	"fmt"
	"io"
	"os"
	"testing"
)

// holdEnv makes the test binary a stand-in lock holder: it waits until its
// standard input closes (see startHolder).
const holdEnv = "DEVICE_TEST_HOLD"

// TestMain points the default lock directory at a temporary one, so that
// tests run as root leave nothing in /var/lock (TestLockDirs covers the
// default), and runs the binary as a lock holder when holdEnv is set.
func TestMain(m *testing.M) {
	if os.Getenv(holdEnv) == "1" {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "device-lock-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(lockDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

package sim

import (
	"fmt"
	"os"
	"testing"

	"github.com/gprsppp/gprsppp/internal/testenv"
)

// TestMain fails the run if the tests left a goroutine behind: every
// modem, call, paced line and pty must stop when closed.
func TestMain(m *testing.M) {
	before := testenv.Goroutines()
	code := m.Run()
	if leaked := testenv.WaitGoroutines(before); leaked != "" {
		fmt.Fprintln(os.Stderr, leaked)
		code = 1
	}
	os.Exit(code)
}

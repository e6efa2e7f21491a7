package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the gprsppp command: run
// with GPRSPPP_TEST_MAIN=1, it is main. Tests use it to run a command
// as a separate process.
func TestMain(m *testing.M) {
	if os.Getenv("GPRSPPP_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

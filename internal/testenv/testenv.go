// Package testenv lets tests that need an external program skip with a
// message saying how to get it, or fail instead where the environment
// sets GPRSPPP_REQUIRE_TOOLS=1 (as CI does), so that nothing passes
// silently for want of a tool.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTool returns the path of the program name, or skips (or fails) t
// with hint, such as "apt-get install curl".
func NeedTool(t testing.TB, name, hint string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := name + " not installed (" + hint + ")"
	if os.Getenv("GPRSPPP_REQUIRE_TOOLS") != "" {
		t.Fatal(msg + "; GPRSPPP_REQUIRE_TOOLS is set")
	}
	t.Skip(msg + ": skipping; set GPRSPPP_REQUIRE_TOOLS=1 to fail instead")
	return ""
}

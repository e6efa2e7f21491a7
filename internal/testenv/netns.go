package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// netnsEnv names the test that a run of the test binary executes inside
// the network namespace InNetns made for it.
const netnsEnv = "GPRSPPP_TEST_NETNS"

// NeedRoot skips t, saying why it needs root, unless the process runs as
// root; where GPRSPPP_REQUIRE_TOOLS is set (CI, which runs as root) it
// fails instead.
func NeedRoot(t testing.TB, why string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	msg := "needs root: " + why
	if os.Getenv("GPRSPPP_REQUIRE_TOOLS") != "" {
		t.Fatal(msg + "; GPRSPPP_REQUIRE_TOOLS is set")
	}
	t.Skip(msg + ": skipping (CI runs it as root)")
}

// InNetns runs the test t again, alone, in a network namespace of its
// own (unshare -n), which goes away with it, and reports the outcome as
// t's; it returns false then, and the caller returns. In that second
// run it returns true, and the caller does its work: whatever it makes
// of interfaces, addresses and routes stays in the namespace. It needs
// root (NeedRoot) and util-linux's unshare (NeedTool).
func InNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(netnsEnv) == t.Name() {
		return true
	}
	NeedRoot(t, "it makes network interfaces in a network namespace of its own")
	unshare := NeedTool(t, "unshare", "apt-get install util-linux")
	cmd := exec.Command(unshare, "--net", os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), netnsEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	t.Logf("in a network namespace of its own:\n%s", out)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return false
}

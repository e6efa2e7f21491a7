package portlist

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProcesses(t *testing.T) {
	got, err := testSystem.Processes()
	if err != nil {
		t.Fatal(err)
	}
	want := []Process{
		{PID: 812, Name: "ModemManager", Open: []string{"/dev/null", "/dev/ttyUSB2"}, OpenKnown: true},
		{PID: 1503, Name: "minicom", Open: []string{"/dev/pts/1", "/dev/ttyACM0"}, OpenKnown: true},
		{PID: 2210, Name: "bash", Open: []string{"/dev/pts/1"}, OpenKnown: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Without root, another user's /proc/PID/fd cannot be read, but its comm
// can: ModemManager is still found, with its open files unknown.
func TestProcessesUnreadableFDs(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "812")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "comm"), []byte("ModemManager\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	procs, err := System{ProcRoot: root}.Processes()
	if err != nil {
		t.Fatal(err)
	}
	want := []Process{{PID: 812, Name: "ModemManager"}}
	if diff := cmp.Diff(want, ModemManager(procs)); diff != "" {
		t.Errorf("ModemManager (-want +got):\n%s", diff)
	}
}

func TestHolders(t *testing.T) {
	procs, err := testSystem.Processes()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want []int
	}{
		{"/dev/ttyUSB2", []int{812}},
		{"/dev/ttyACM0", []int{1503}},
		{"/dev/pts/1", []int{1503, 2210}},
		{"/dev/ttyUSB0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var got []int
			for _, p := range Holders(procs, tt.path) {
				got = append(got, p.PID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if mm := ModemManager(procs); len(mm) != 1 || mm[0].PID != 812 {
		t.Errorf("ModemManager: %+v, want pid 812", mm)
	}
}

func TestIgnoreRules(t *testing.T) {
	ports, err := testSystem.List()
	if err != nil {
		t.Fatal(err)
	}
	var pick []Port
	for _, p := range ports {
		if p.Name == "ttyUSB2" || p.Name == "ttyUSB3" || p.Name == "ttyS0" {
			pick = append(pick, p)
		}
	}
	want := `ACTION!="add|change|move|bind", GOTO="gprsppp_mm_ignore_end"
KERNEL=="ttyS0", ENV{ID_MM_DEVICE_IGNORE}="1"
ATTRS{idVendor}=="2c7c", ATTRS{idProduct}=="0125", ENV{ID_MM_DEVICE_IGNORE}="1"
LABEL="gprsppp_mm_ignore_end"
`
	if diff := cmp.Diff(want, IgnoreRules(pick)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := IgnoreRules(nil); got != "" {
		t.Errorf("IgnoreRules(nil) = %q, want empty", got)
	}
}

package main

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestVersionText(t *testing.T) {
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"release", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}}, "v1.2.0 go1.26.8"},
		{"checkout", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "90e4a16"}, {Key: "vcs.modified", Value: "false"}}}, "(devel) 90e4a16 go1.26.8"},
		{"modified checkout", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "90e4a16"}, {Key: "vcs.modified", Value: "true"}}}, "(devel) 90e4a16 modified go1.26.8"},
		{"no VCS", debug.BuildInfo{GoVersion: "go1.26.8"}, "(devel) go1.26.8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(&tt.bi); got != tt.want {
				t.Errorf("versionText = %q, want %q", got, tt.want)
			}
		})
	}
}

// --version and the version command print the same line.
func TestVersion(t *testing.T) {
	want := "gprsppp " + version() + "\n"
	if !bytes.HasSuffix([]byte(want), []byte(" "+runtime.Version()+"\n")) {
		t.Errorf("%q does not end with the Go version %s", want, runtime.Version())
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		root := newRoot()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if out.String() != want {
			t.Errorf("%v printed %q, want %q", args, out.String(), want)
		}
	}
}

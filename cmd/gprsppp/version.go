package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version says which gprsppp this is: the main module's version, or for
// a build from a checkout "(devel)" with the commit it was built from
// (and "modified" when the work tree had changes), and the Go release
// that built it.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown) " + runtime.Version()
	}
	return versionText(bi)
}

// versionText is version for the build information bi.
func versionText(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	if v == "(devel)" {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			v += " " + rev
		}
		if modified == "true" {
			v += " modified"
		}
	}
	return v + " " + bi.GoVersion
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print gprsppp's version and the Go release that built it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "gprsppp", version())
			return err
		},
	}
}

package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// globals holds flags shared by every command.
type globals struct {
	verbose bool
	logs    logFlags
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "gprsppp",
		Short:         "Userspace PPP and TCP/IP over cellular modems",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("gprsppp {{.Version}}\n")
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "log everything at debug level, the PPP negotiation pppd style among it")
	g.logs.register(root.PersistentFlags())
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newDemo(g))
	root.AddCommand(newSim(g))
	root.AddCommand(newAt(g))
	root.AddCommand(newPorts(g))
	root.AddCommand(newConnect(g))
	root.AddCommand(newShim(g))
	root.AddCommand(newStatus(g))
	root.AddCommand(newConfig())
	root.AddCommand(newVersion())
	return root
}

// flagError adds a hint to a flag error where one helps: the flags that
// users try for secrets do not exist, because a secret on the command
// line shows in ps(1) and shell history, and the hint names where the
// secret goes instead.
func flagError(_ *cobra.Command, err error) error {
	flag, ok := strings.CutPrefix(err.Error(), "unknown flag: ")
	if !ok {
		return err
	}
	flag, _, _ = strings.Cut(flag, "=")
	name, _ := strings.CutPrefix(flag, "--")
	env, ok := secretKeys[name]
	if !ok {
		return err
	}
	return fmt.Errorf("%w: secrets never go on the command line; use --%s-file FILE or %s", err, name, env)
}

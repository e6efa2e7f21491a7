package main

import (
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// globals holds flags shared by every command.
type globals struct {
	verbose bool
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "gprsppp",
		Short:         "Userspace PPP and TCP/IP over cellular modems",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "log the PPP negotiation, pppd style")
	root.AddCommand(newDemo(g))
	root.AddCommand(newSim(g))
	root.AddCommand(newAt(g))
	root.AddCommand(newConnect(g))
	root.AddCommand(newShim(g))
	return root
}

// logger returns the command's logger: the negotiation at debug level
// with -v, otherwise warnings only.
func (g *globals) logger(w io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if g.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

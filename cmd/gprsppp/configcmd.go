package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// checkKey marks a context in which connect and shim check their
// configuration and stop before opening anything.
type checkKey struct{}

// checking reports whether ctx is config check's.
func checking(ctx context.Context) bool {
	return ctx != nil && ctx.Value(checkKey{}) != nil
}

func newConfig() *cobra.Command {
	cfg := &cobra.Command{
		Use:   "config",
		Short: "Named configurations: check NAME",
		Args:  cobra.NoArgs,
	}
	var command string
	check := &cobra.Command{
		Use:   "check [--command connect|shim] NAME",
		Short: "Check a named configuration without opening anything",
		Long: `config check reads the named configuration NAME as the command would
("gprsppp connect NAME", or with --command shim "gprsppp shim NAME": the
user's NAME.toml, else /etc/gprsppp's, or a path ending in .toml), applies
it to the command's flags and checks all that can be checked without
opening the device or a listener: the file's syntax, keys and types, the
flags' values, forwards, allow lists, listen specs, and that the secrets'
files and the chat script can be read. It prints "FILE: ok" and exits 0,
or prints the error, with the file's line where it concerns one key, and
exits 1.`,
		Example: `  gprsppp config check office
  gprsppp config check --command shim ./quectel.toml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConfigCheck(cmd.Context(), cmd.OutOrStdout(), command, args[0])
		},
	}
	check.Flags().StringVar(&command, "command", "connect", "the command the configuration is for: connect or shim")
	cfg.AddCommand(check)
	return cfg
}

// runConfigCheck runs command with the configuration name in checking
// mode.
func runConfigCheck(ctx context.Context, out io.Writer, command, name string) error {
	if command != "connect" && command != "shim" {
		return exit(exitUsage, fmt.Errorf("--command %q: want connect or shim", command))
	}
	path, err := resolveName(name)
	if err != nil {
		return exit(exitUsage, err)
	}
	root := newRoot()
	root.SetArgs([]string{command, path})
	root.SetOut(out)
	root.SetErr(io.Discard)
	if ctx == nil {
		ctx = context.Background()
	}
	if err := root.ExecuteContext(context.WithValue(ctx, checkKey{}, true)); err != nil {
		if !strings.HasPrefix(err.Error(), path) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		return exit(exitUsage, err)
	}
	fmt.Fprintf(out, "%s: ok\n", path)
	return nil
}

// checkConnect checks connect's flags as runConnect would use them,
// opening nothing.
func checkConnect(f connectFlags) error {
	log := slog.New(slog.DiscardHandler)
	if _, err := connectConfig(f, log); err != nil {
		return err
	}
	if _, err := readProxyPassword(f); err != nil {
		return err
	}
	if _, err := parseFrontEnds(f); err != nil {
		return err
	}
	if f.pcapFile != "" {
		if err := checkDir("--pcap", f.pcapFile); err != nil {
			return err
		}
	}
	return nil
}

// checkShim checks shim's flags as runShim would use them, opening
// nothing.
func checkShim(f shimFlags) error {
	listens, err := parseShimListens(f)
	if err != nil {
		return err
	}
	if _, err := connectConfig(f.modem, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	for _, l := range listens {
		addrs := l.ports
		if addrs == nil {
			addrs = []string{l.addr}
		}
		for _, addr := range addrs {
			if err := checkShimListen(addr); err != nil {
				return fmt.Errorf("--listen %s: %w", l.spec, err)
			}
		}
	}
	return nil
}

// checkShimListen checks a --listen spec, without its options, as
// openShimListener parses it.
func checkShimListen(spec string) error {
	kind, arg, _ := strings.Cut(spec, ":")
	switch {
	case kind == "pty":
		if arg != "" {
			return checkDir("pty link", arg)
		}
		return nil
	case kind == "serial":
		dev, baud, hasBaud := strings.Cut(arg, "@")
		if dev == "" {
			return errors.New("name the serial device: serial:DEV[@BAUD]")
		}
		if _, err := strconv.Atoi(baud); hasBaud && err != nil {
			return fmt.Errorf("bad baud rate %q", baud)
		}
		return nil
	case strings.HasPrefix(spec, "tcp://"):
		_, port, err := net.SplitHostPort(strings.TrimPrefix(spec, "tcp://"))
		if err != nil {
			return err
		}
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return fmt.Errorf("port %q is not 0 to 65535", port)
		}
		return nil
	}
	return errors.New("want pty[:LINK], serial:DEV[@BAUD] or tcp://ADDR:PORT")
}

// checkDir checks that the directory of the file that what names exists.
func checkDir(what, file string) error {
	dir := filepath.Dir(file)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, file, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s %s: %s is not a directory", what, file, dir)
	}
	return nil
}

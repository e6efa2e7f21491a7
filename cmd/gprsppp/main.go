// Command gprsppp gives a host its own TCP/IP over a cellular modem's PPP
// link, in userspace. See the README for the commands.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "gprsppp:", errorText(err))
		var e *exitError
		if errors.As(err, &e) {
			os.Exit(e.code)
		}
		os.Exit(1)
	}
}

// errorText is err's message as the command prints it after its own
// "gprsppp: ": the library's errors carry the package prefix at every
// level of wrapping ("gprsppp: too many failed dials (3): gprsppp:
// device ..."), which says nothing more on a terminal.
func errorText(err error) string {
	return strings.ReplaceAll(strings.TrimPrefix(err.Error(), "gprsppp: "), ": gprsppp: ", ": ")
}

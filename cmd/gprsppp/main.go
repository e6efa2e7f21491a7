// Command gprsppp gives a host its own TCP/IP over a cellular modem's PPP
// link, in userspace. See the README for the commands.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "gprsppp:", err)
		os.Exit(1)
	}
}

package main

import (
	"errors"
	"log/slog"

	"github.com/gprsppp/gprsppp"
	"github.com/spf13/pflag"
)

// tunFlags are connect's flags for a TUN interface.
type tunFlags struct {
	name         string
	defaultRoute bool
	resolvConf   string
}

func addTUNFlags(fl *pflag.FlagSet, f *tunFlags) {
	fl.StringVar(&f.name, "tun", "", "also give the link to this host's own TCP/IP through a TUN interface of this `NAME` (Linux; needs CAP_NET_ADMIN and /dev/net/tun)")
	fl.BoolVar(&f.defaultRoute, "tun-default-route", false, "with --tun, add a default route through the interface, unless there is one already")
	fl.StringVar(&f.resolvConf, "tun-resolv-conf", "", "with --tun, rewrite this `FILE` (e.g. /etc/resolv.conf) with the link's DNS servers at each link up, and put it back at exit")
}

// check refuses the TUN options without --tun.
func (f tunFlags) check() error {
	if f.name == "" && (f.defaultRoute || f.resolvConf != "") {
		return errors.New("--tun-default-route and --tun-resolv-conf need --tun NAME")
	}
	return nil
}

// openTUN creates the --tun interface, or returns nil without --tun. It
// fails with exitDevice when the interface cannot be made.
func openTUN(f tunFlags, log *slog.Logger) (*gprsppp.TUN, error) {
	if f.name == "" {
		return nil, nil
	}
	t, err := gprsppp.OpenTUN(gprsppp.TUNConfig{
		Name: f.name, DefaultRoute: f.defaultRoute, ResolvConf: f.resolvConf,
		Logger: log.With(catKey, catTUN),
	})
	if err != nil {
		return nil, exit(exitDevice, err)
	}
	return t, nil
}

// attachTUN gives link l to the interface t, if any; a link the
// interface cannot take is ended, to be redialled with --persist.
func attachTUN(t *gprsppp.TUN, l *gprsppp.Link, log *slog.Logger) {
	if t == nil {
		return
	}
	if err := t.Attach(l); err != nil {
		log.Error("the link cannot be given to the interface; ending it", "err", err)
		go l.Close()
	}
}

package main

import (
	"fmt"
	"net/netip"

	"github.com/gprsppp/gprsppp/forward"
)

// frontEndSpecs are connect's front-end flags, parsed and checked
// without opening anything: what openFrontEnds listens on.
type frontEndSpecs struct {
	socks5, http string // listen addresses; "" serves none
	locals       []forward.Local
	localArgs    []string // each -L as given, for messages
	remotes      []forward.Remote
	allow        []netip.Prefix
}

// parseFrontEnds parses and checks the front ends' flags. Its errors
// carry exitUsage.
func parseFrontEnds(f connectFlags) (spec frontEndSpecs, err error) {
	for _, p := range []struct {
		what      string
		flag, dst *string
	}{{"socks5", &f.socks5, &spec.socks5}, {"http-proxy", &f.httpProxy, &spec.http}} {
		if *p.flag == "" {
			continue
		}
		if *p.dst, err = listenAddr(*p.flag); err != nil {
			return spec, exit(exitUsage, fmt.Errorf("--%s %w", p.what, err))
		}
	}
	binds := map[string]string{} // "tcp 127.0.0.1:8022" -> the -L that has it
	for _, s := range f.locals {
		l, err := forward.ParseLocal(s)
		if err != nil {
			return spec, exit(exitUsage, err)
		}
		if err := checkTarget(l.Network, l.Target); err != nil {
			return spec, exit(exitUsage, fmt.Errorf("-L %s: %w", s, err))
		}
		key := l.Network + " " + l.Bind.String()
		if other, ok := binds[key]; ok {
			return spec, exit(exitUsage, fmt.Errorf("-L %s: port %d is already forwarded by -L %s", s, l.Bind.Port(), other))
		}
		binds[key] = s
		spec.locals = append(spec.locals, l)
		spec.localArgs = append(spec.localArgs, s)
	}
	ports := map[uint16]string{}
	for _, s := range f.remotes {
		r, err := forward.ParseRemote(s)
		if err != nil {
			return spec, exit(exitUsage, err)
		}
		if other, ok := ports[r.Port]; ok {
			return spec, exit(exitUsage, fmt.Errorf("-R %s: port %d is already forwarded by -R %s", s, r.Port, other))
		}
		ports[r.Port] = s
		spec.remotes = append(spec.remotes, r)
	}
	for _, s := range f.allow {
		p, err := forward.ParseAllow(s)
		if err != nil {
			return spec, exit(exitUsage, err)
		}
		spec.allow = append(spec.allow, p)
	}
	return spec, nil
}

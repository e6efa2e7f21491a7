package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp/shim"
)

// A --listen spec naming several ports, comma-separated, is one module
// with those AT ports; a comma inside a pty link's path stays in it, and
// ,dialect=NAME still ends the spec.
func TestShimListenPorts(t *testing.T) {
	tests := []struct {
		spec  string
		def   shim.Dialect
		ports []string
		err   string
	}{
		{spec: "pty:/tmp/mdm,pty:/tmp/mdm2", def: shim.DialectTelit, ports: []string{"pty:/tmp/mdm", "pty:/tmp/mdm2"}},
		{spec: "pty:/tmp/mdm,pty:/tmp/mdm2,dialect=telit", ports: []string{"pty:/tmp/mdm", "pty:/tmp/mdm2"}},
		{spec: "pty:/tmp/a,b,serial:/dev/ttyS1@9600,dialect=telit", ports: []string{"pty:/tmp/a,b", "serial:/dev/ttyS1@9600"}},
		{spec: "pty:/tmp/a,b,dialect=telit"},
		{spec: "pty:/tmp/mdm,pty:/tmp/mdm2", def: shim.DialectM95, err: "has one AT port"},
		{spec: "pty:/tmp/mdm,tcp://127.0.0.1:5000,dialect=telit", err: "not tcp://"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			l, err := parseShimListen(tt.spec, tt.def)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.ports, l.ports); diff != "" {
				t.Errorf("ports (-want +got):\n%s", diff)
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// The README's first command.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := runDemo(ctx, &out, &globals{}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"link up: local 10.64.64.2",
		"lookup sim.gprsppp: [10.64.64.1]",
		"hello from the gprsppp simulated network",
		"pattern.bin: 200 OK, 4194304 octets",
		"sha256 0069fc0a49e7352d",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

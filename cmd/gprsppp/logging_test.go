package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

// The logger's levels per category, as the global flags set them: each
// case logs one record per category at each level and lists the records
// that come out, as "cat level msg".
func TestLoggerCategories(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		shown []catLevel
		want  []string
	}{
		{
			name: "default info",
			want: []string{"ppp INFO ppp info", "forward INFO forward info", " INFO none info"},
		},
		{
			name: "verbose",
			args: []string{"-v"},
			want: []string{
				"ppp DEBUG ppp debug", "ppp INFO ppp info",
				"forward DEBUG forward debug", "forward INFO forward info",
				" DEBUG none debug", " INFO none info",
			},
		},
		{
			name: "debug forward only",
			args: []string{"--debug", "forward"},
			want: []string{"ppp INFO ppp info", "forward DEBUG forward debug", "forward INFO forward info", " INFO none info"},
		},
		{
			name: "warn, debug forward",
			args: []string{"--log-level", "warn", "--debug", "forward"},
			want: []string{"forward DEBUG forward debug", "forward INFO forward info"},
		},
		{
			name: "error",
			args: []string{"--log-level=error"},
		},
		{
			name:  "trace shown at error level",
			args:  []string{"--log-level", "error"},
			shown: []catLevel{{catForward, slog.LevelInfo}},
			want:  []string{"forward INFO forward info"},
		},
		{
			name:  "shown never raises a level",
			args:  []string{"--debug", "forward"},
			shown: []catLevel{{catForward, slog.LevelInfo}},
			want:  []string{"ppp INFO ppp info", "forward DEBUG forward debug", "forward INFO forward info", " INFO none info"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := parseGlobals(t, append(tt.args, "--log-format", "json")...)
			var out bytes.Buffer
			log := g.logger(&out, tt.shown...)
			loggers := map[string]*slog.Logger{
				"ppp": log.With(catKey, catPPP), "forward": log.With(catKey, catForward), "none": log,
			}
			for _, name := range []string{"ppp", "forward", "none"} {
				loggers[name].Debug(name + " debug")
				loggers[name].Info(name + " info")
			}
			var got []string
			for _, r := range jsonRecords(t, out.Bytes()) {
				got = append(got, strings.Join([]string{str(r[catKey]), str(r["level"]), str(r["msg"])}, " "))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// A logger narrowed from one category into another logs in the second
// alone, and names it once, first, in text and in JSON.
func TestLoggerRecategorised(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			g := parseGlobals(t, "--log-format", format, "--debug", "forward")
			var out bytes.Buffer
			log := g.logger(&out).With(catKey, catConnect, "side", "client")
			log.With(catKey, catPPP).Debug("hidden")
			log.With(catKey, catForward, "port", 22).Debug("shown", "from", "a")
			line := strings.TrimSpace(out.String())
			if strings.Contains(line, "hidden") || strings.Count(line, "\n") != 0 {
				t.Fatalf("want only the forward record:\n%s", out.String())
			}
			want := `msg=shown cat=forward side=client port=22 from=a`
			if format == "json" {
				want = `"msg":"shown","cat":"forward","side":"client","port":22,"from":"a"`
			}
			if !strings.Contains(line, want) || strings.Count(line, "cat") != 1 {
				t.Errorf("record %s\nwant it to hold %s, and one cat", line, want)
			}
		})
	}
}

// Bad values of the logging flags are refused when the flags are parsed.
func TestLogFlagsRefused(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--log-level", "verbose"}, "want debug, info, warn or error"},
		{[]string{"--log-format", "xml"}, "want text or json"},
		{[]string{"--debug", "forward,lcp"}, `unknown category "lcp"`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			root := newRoot()
			err := root.PersistentFlags().Parse(tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: %v, want an error saying %q", tt.args, err, tt.want)
			}
		})
	}
}

// parseGlobals returns the global logging flags as args set them.
func parseGlobals(t *testing.T, args ...string) *globals {
	t.Helper()
	g := &globals{}
	fs := pflag.NewFlagSet("gprsppp", pflag.ContinueOnError)
	fs.BoolVarP(&g.verbose, "verbose", "v", false, "")
	g.logs.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return g
}

// jsonRecords decodes a JSON log, one record a line, failing the test on
// a line that is not a JSON object.
func jsonRecords(t *testing.T, log []byte) []map[string]any {
	t.Helper()
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(log)), "\n") {
		if line == "" {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Errorf("not a JSON record: %s: %v", line, err)
			continue
		}
		records = append(records, r)
	}
	return records
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

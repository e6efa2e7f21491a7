package hook

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// syncBuffer is a bytes.Buffer safe for the log's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunner(t *testing.T) {
	t.Setenv("SECRET", "not for scripts") // as GPRSPPP_PASSWORD may be
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	var log syncBuffer
	r := Start(Config{Timeout: 500 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	// Values reach the script as they are: no shell reads them.
	r.Run(script(t, dir, "env", `printf '%s|' "$@" > `+out+`; printf '%s\n' "$IPLOCAL" "$PATH" "$SECRET" >> `+out+"\necho said so\n"),
		[]string{"a b", "$(touch " + dir + "/pwned)"}, []string{"IPLOCAL=`id`"})
	r.Run(script(t, dir, "fail", "echo failing >&2\nexit 3\n"), nil, nil)
	r.Run(script(t, dir, "slow", "sleep 60\n"), nil, nil)
	r.Run("/nonexistent/script", nil, nil)
	r.Close()
	r.Run(script(t, dir, "late", "touch "+dir+"/late-ran\n"), nil, nil) // after Close: ignored
	r.Close()

	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "a b|$(touch " + dir + "/pwned)|`id`\n" + Path + "\n\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("script saw (-want +got):\n%s", diff)
	}
	for _, f := range []string{"pwned", "late-ran"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s exists", f)
		}
	}
	logged := log.String()
	for _, want := range []string{
		`msg="env: said so"`, `msg="fail: failing"`, `msg="hook: script failed" script=` + dir + `/fail err="exit status 3"`,
		`msg="hook: script killed after its time limit" script=` + dir + `/slow`,
		`msg="hook: script failed" script=/nonexistent/script`,
	} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lacks %s:\n%s", want, logged)
		}
	}
}

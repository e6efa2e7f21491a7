package sdnotify

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// listen opens a unixgram socket as systemd does and returns its name
// and the datagrams it receives.
func listen(t *testing.T, name string) <-chan string {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ch := make(chan string, 100)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			ch <- string(buf[:n])
		}
	}()
	return ch
}

func receive(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no datagram within 10 s")
		return ""
	}
}

func TestNotify(t *testing.T) {
	dir, err := os.MkdirTemp("", "sd") // short: sun_path holds 108 octets
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, tc := range []struct{ name, socket string }{
		{"path", filepath.Join(dir, "notify")},
		{"abstract", "@gprsppp-sdnotify-test-" + strconv.Itoa(os.Getpid())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := listen(t, tc.socket)
			n := New(func(string) string { return tc.socket })
			if err := n.Notify("READY=1", "STATUS=up\nnow"); err != nil {
				t.Fatal(err)
			}
			if got, want := receive(t, ch), "READY=1\nSTATUS=up now"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestNilNotifier(t *testing.T) {
	n := New(func(string) string { return "" })
	if n != nil {
		t.Fatal("a Notifier without NOTIFY_SOCKET")
	}
	if err := n.Notify("READY=1"); err != nil {
		t.Error(err)
	}
	n.RoutineWatchdog(context.Background(), time.Second, func() bool { return true }) // returns at once
}

func TestWatchdogInterval(t *testing.T) {
	for _, tc := range []struct {
		name       string
		usec, wpid string
		want       time.Duration
		ok         bool
	}{
		{"unset", "", "", 0, false},
		{"30s", "30000000", "", 15 * time.Second, true},
		{"this process", "2000000", "42", time.Second, true},
		{"another process", "2000000", "43", 0, false},
		{"zero", "0", "", 0, false},
		{"garbage", "x", "", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"WATCHDOG_USEC": tc.usec, "WATCHDOG_PID": tc.wpid}
			got, ok := WatchdogInterval(func(k string) string { return env[k] }, 42)
			if got != tc.want || ok != tc.ok {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestRoutineWatchdog(t *testing.T) {
	dir, err := os.MkdirTemp("", "sd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	socket := filepath.Join(dir, "notify")
	ch := listen(t, socket)
	n := New(func(string) string { return socket })
	ctx, cancel := context.WithCancel(context.Background())
	healthy := make(chan bool, 10)
	healthy <- false // the first tick sends nothing
	done := make(chan struct{})
	go func() {
		n.RoutineWatchdog(ctx, time.Millisecond, func() bool {
			select {
			case h := <-healthy:
				return h
			default:
				return true
			}
		})
		close(done)
	}()
	for range 3 {
		if got := receive(t, ch); got != "WATCHDOG=1" {
			t.Errorf("got %q", got)
		}
	}
	cancel()
	<-done
}

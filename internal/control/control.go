// Package control is the control socket of a running gprsppp connect or
// shim: a unix stream socket, readable by its owner only, at DIR/NAME.sock,
// that answers one JSON request line with one JSON reply line:
//
//	→ {"cmd":"status"}
//	← {"status":{...}}
//	← {"error":"unknown command \"x\""}
//	→ {"cmd":"at","arg":{"command":"AT+CSQ"}}
//	← {"at":{"lines":["+CSQ: 20,99"],"result":"OK"}}
//
// DIR is, in this order: $GPRSPPP_RUNTIME_DIR; $RUNTIME_DIRECTORY (set by
// systemd's RuntimeDirectory=); /run/gprsppp for root;
// $XDG_RUNTIME_DIR/gprsppp. The directory is made 0700, the socket 0600.
//
// Wiring, with status a func returning a JSON-encodable value:
//
//	ln, err := control.Listen(path)
//	go control.Serve(ctx, ln, map[string]control.Handler{"status": status}, log)
//	...
//	var st linkstate.Status
//	err = control.Query(ctx, path, "status", &st)
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gprsppp/gprsppp/internal/acceptloop"
)

// SystemDir is the directory of the control sockets of root's links,
// and of a systemd service's with RuntimeDirectory=gprsppp.
const SystemDir = "/run/gprsppp"

// Suffix ends a control socket's file name.
const Suffix = ".sock"

// Limits of one exchange.
const (
	maxRequest = 4 << 10
	ioTimeout  = 5 * time.Second
)

// ErrNoDir reports that no runtime directory is known.
var ErrNoDir = errors.New("control: no runtime directory: set XDG_RUNTIME_DIR or GPRSPPP_RUNTIME_DIR")

// Dir returns the directory of this user's control sockets; getenv is
// os.Getenv, euid os.Geteuid().
func Dir(getenv func(string) string, euid int) (string, error) {
	if d := getenv("GPRSPPP_RUNTIME_DIR"); d != "" {
		return d, nil
	}
	if d, _, _ := strings.Cut(getenv("RUNTIME_DIRECTORY"), ":"); d != "" {
		return d, nil
	}
	if euid == 0 {
		return SystemDir, nil
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "gprsppp"), nil
	}
	return "", ErrNoDir
}

// ValidName reports whether name can name a link's socket: 1 to 64
// letters, digits, '.', '_', '-' or '@', not starting with '.'.
func ValidName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '.' {
		return false
	}
	for i := range len(name) {
		if !nameByte(name[i]) {
			return false
		}
	}
	return true
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-@", c) >= 0
}

// NameFrom makes a valid name from s, such as a device's base name: other
// bytes become '_', and so does a leading '.'.
func NameFrom(s string) string {
	b := []byte(s[max(0, len(s)-64):])
	for i, c := range b {
		if !nameByte(c) || c == '.' && i == 0 {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "gprsppp"
	}
	return string(b)
}

// ErrInUse reports a control socket another process answers on.
var ErrInUse = errors.New("control: in use by a running gprsppp")

// Listen makes dir (0700) if needed and listens at path, which must be
// in it. A socket file nobody answers on (left by a process that was
// killed) is replaced; one that answers fails with ErrInUse.
func Listen(path string) (net.Listener, error) {
	dir := filepath.Dir(path)
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("control: %s exists and is not a socket", path)
		}
		c, err := net.DialTimeout("unix", path, time.Second)
		if err == nil {
			c.Close()
			return nil, fmt.Errorf("%w: %s", ErrInUse, path)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("control: %s: %w", path, err)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("control: removing the stale %s: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	// The directory keeps others out already; the mode says so too.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control: %w", err)
	}
	return ln, nil
}

// privateDir makes dir if needed and sees that only its owner, this
// process's user, can enter it.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("control: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("control: %w", err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("control: %s belongs to user %d, not this one", dir, st.Uid)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("control: %w", err)
		}
	}
	return nil
}

// Handler answers one command with a JSON-encodable value.
type Handler func() (any, error)

// ArgHandler answers one command that takes an argument, the request's
// "arg" (nil if it has none), with a JSON-encodable value. It may take
// its time (an AT command's answer, say): ctx ends when Serve's does, and
// the client waits as long as its own context allows.
type ArgHandler func(ctx context.Context, arg json.RawMessage) (any, error)

// request is one request line.
type request struct {
	Cmd string          `json:"cmd"`
	Arg json.RawMessage `json:"arg,omitempty"`
}

// Serve answers requests on ln until ctx ends, then closes ln (which
// removes the socket file) and waits for the exchanges under way.
func Serve(ctx context.Context, ln net.Listener, handlers map[string]Handler, log *slog.Logger) error {
	return ServeArgs(ctx, ln, handlers, nil, log)
}

// ServeArgs is Serve with commands that take an argument besides.
func ServeArgs(ctx context.Context, ln net.Listener, handlers map[string]Handler, withArg map[string]ArgHandler, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	// Out of file descriptors, accept is retried rather than the
	// socket given up for good.
	loop := acceptloop.Config{Name: "control socket", Logger: log}
	err := acceptloop.Serve(ctx, loop, ln.Accept, func(c net.Conn) {
		wg.Go(func() {
			defer c.Close()
			if err := answer(ctx, c, handlers, withArg); err != nil {
				log.Debug("control: exchange failed", "err", err)
			}
		})
	})
	if err != nil {
		ln.Close()
		return fmt.Errorf("control: %w", err)
	}
	return nil
}

// answer reads one request from c and writes its reply.
func answer(ctx context.Context, c net.Conn, handlers map[string]Handler, withArg map[string]ArgHandler) error {
	c.SetDeadline(time.Now().Add(ioTimeout))
	line, err := bufio.NewReader(&limitReader{c, maxRequest}).ReadSlice('\n')
	if err != nil {
		return err
	}
	var req request
	reply := map[string]any{}
	if v, err := run(ctx, c, line, &req, handlers, withArg); err != nil {
		reply["error"] = err.Error()
	} else {
		reply[req.Cmd] = v
	}
	b, err := json.Marshal(reply)
	if err != nil {
		return err
	}
	_, err = c.Write(append(b, '\n'))
	return err
}

// run decodes the request line into req and runs its handler.
func run(ctx context.Context, c net.Conn, line []byte, req *request, handlers map[string]Handler, withArg map[string]ArgHandler) (any, error) {
	if err := json.Unmarshal(line, req); err != nil {
		return nil, fmt.Errorf("bad request: %w", err)
	}
	if h, ok := handlers[req.Cmd]; ok {
		return h()
	}
	h, ok := withArg[req.Cmd]
	if !ok {
		return nil, fmt.Errorf("unknown command %q", req.Cmd)
	}
	c.SetDeadline(time.Time{}) // the handler bounds its own time
	defer func() { c.SetDeadline(time.Now().Add(ioTimeout)) }()
	return h(ctx, req.Arg)
}

// limitReader is io.LimitReader for a reader that ReadSlice buffers.
type limitReader struct {
	c net.Conn
	n int
}

func (r *limitReader) Read(b []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("request too long")
	}
	b = b[:min(len(b), r.n)]
	n, err := r.c.Read(b)
	r.n -= n
	return n, err
}

// Query sends cmd to the socket at path and decodes the reply's value
// into v. An error reply becomes the error. It waits 5 s at most, less
// if ctx says so.
func Query(ctx context.Context, path, cmd string, v any) error {
	deadline := time.Now().Add(ioTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	return exchange(ctx, path, deadline, request{Cmd: cmd}, v)
}

// Call sends cmd with arg, JSON-encoded, to the socket at path and
// decodes the reply's value into v, waiting as long as ctx allows (5 s
// without a deadline). An error reply becomes the error.
func Call(ctx context.Context, path, cmd string, arg, v any) error {
	b, err := json.Marshal(arg)
	if err != nil {
		return fmt.Errorf("control: %s: %w", cmd, err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(ioTimeout)
	}
	return exchange(ctx, path, deadline, request{Cmd: cmd, Arg: b}, v)
}

// exchange sends req and decodes the reply's value into v.
func exchange(ctx context.Context, path string, deadline time.Time, req request, v any) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	cmd := req.Cmd
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		return err
	}
	var reply map[string]json.RawMessage
	if err := json.NewDecoder(c).Decode(&reply); err != nil {
		return fmt.Errorf("control: reading the reply: %w", err)
	}
	if e, ok := reply["error"]; ok {
		var s string
		json.Unmarshal(e, &s)
		return errors.New(s)
	}
	return json.Unmarshal(reply[cmd], v)
}

// List returns the names of the sockets in dir, sorted; none if dir is
// missing.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), Suffix); ok && e.Type() == fs.ModeSocket {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

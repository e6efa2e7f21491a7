package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// catKey is the attribute that names a logger's category. The command
// sets it with Logger.With on every logger it hands to a library, and
// --debug turns debug logs on by category.
const catKey = "cat"

// The categories. Each is one library, or one part of the command, so
// that --debug can show one without the others.
const (
	catPPP       = "ppp"        // the link: LCP, IPCP, authentication, the stack; -v's negotiation trace
	catAT        = "at"         // the modem dialogue: dial script, hang-up
	catDevice    = "device"     // serial ports and their lock files
	catLink      = "link"       // dialling and redialling
	catProxy     = "proxy"      // the SOCKS5 and HTTP proxies
	catForward   = "forward"    // -L and -R
	catShim      = "shim"       // the QI* shim and its listeners
	catShimTrace = "shim-trace" // shim --trace: every line to and from its hosts
	catSim       = "sim"        // the built-in simulator
	catConnect   = "connect"    // connect's own notes
	catTUN       = "tun"        // connect --tun: the interface's changes and drops
)

// categories lists the categories --debug accepts.
var categories = []string{catPPP, catAT, catDevice, catLink, catProxy, catForward, catShim, catShimTrace, catSim, catConnect, catTUN}

// logFlags are the global logging flags. The zero value logs text at
// info level, as the flags' defaults do.
type logFlags struct {
	level  levelFlag
	format formatFlag
	debug  catsFlag
}

func (l *logFlags) register(fl *pflag.FlagSet) {
	fl.Var(&l.level, "log-level", "least severe level logged: debug, info, warn or error")
	fl.Var(&l.format, "log-format", "log format: text or json")
	fl.Var(&l.debug, "debug", "debug level for these categories only, comma-separated: "+strings.Join(categories, ", "))
}

// catLevel shows a category from level on, whatever --log-level says.
type catLevel struct {
	cat   string
	level slog.Level
}

// logger returns the command's logger, writing to w: every category at
// --log-level (info by default), the --debug categories at debug, and
// everything at debug with -v. shown lowers the level of some categories
// further, as shim --trace does for its trace.
func (g *globals) logger(w io.Writer, shown ...catLevel) *slog.Logger {
	levels := catLevels{def: slog.Level(g.logs.level), cats: map[string]slog.Level{}}
	if g.verbose {
		levels.def = slog.LevelDebug
	}
	for _, c := range g.logs.debug {
		levels.cats[c] = min(slog.LevelDebug, levels.def)
	}
	for _, s := range shown {
		levels.cats[s.cat] = min(s.level, levels.level(s.cat))
	}
	opts := &slog.HandlerOptions{Level: levels.lowest()}
	var out slog.Handler = slog.NewTextHandler(w, opts)
	if g.logs.format == "json" {
		out = slog.NewJSONHandler(w, opts)
	}
	return slog.New(newCatHandler(out, levels))
}

// catLevels is the least severe level logged in each category. It is
// not changed once a logger uses it.
type catLevels struct {
	def  slog.Level            // categories not in cats, and loggers without one
	cats map[string]slog.Level // the exceptions
}

func (l catLevels) level(cat string) slog.Level {
	if v, ok := l.cats[cat]; ok {
		return v
	}
	return l.def
}

func (l catLevels) lowest() slog.Level {
	low := l.def
	for _, v := range l.cats {
		low = min(low, v)
	}
	return low
}

// catHandler filters records by their logger's category, the last value
// that Logger.With gave catKey (before any group). A category set again
// replaces the first: a logger for one category can be narrowed into
// another, and the output names it once, as the first attribute.
type catHandler struct {
	out     slog.Handler // the output, without attributes
	levels  catLevels
	cat     string
	attrs   []slog.Attr  // given to With before any group, but catKey
	next    slog.Handler // out with the category, attrs and any groups
	grouped bool         // WithGroup was called: later attrs belong to the group
}

var _ slog.Handler = (*catHandler)(nil)

func newCatHandler(out slog.Handler, levels catLevels) *catHandler {
	return &catHandler{out: out, levels: levels, next: out}
}

func (h *catHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.levels.level(h.cat)
}

func (h *catHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.next.Handle(ctx, r)
}

func (h *catHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	if h.grouped {
		c.next = h.next.WithAttrs(attrs)
		return &c
	}
	c.attrs = slices.Clip(h.attrs)
	for _, a := range attrs {
		if a.Key == catKey {
			c.cat = a.Value.String()
			continue
		}
		c.attrs = append(c.attrs, a)
	}
	c.next = c.out
	if c.cat != "" {
		c.next = c.next.WithAttrs([]slog.Attr{slog.String(catKey, c.cat)})
	}
	if len(c.attrs) > 0 {
		c.next = c.next.WithAttrs(c.attrs)
	}
	return &c
}

func (h *catHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.next = h.next.WithGroup(name)
	c.grouped = true
	return &c
}

// levelFlag is --log-level; the zero value is info.
type levelFlag slog.Level

func (l *levelFlag) String() string { return strings.ToLower(slog.Level(*l).String()) }
func (l *levelFlag) Type() string   { return "level" }

func (l *levelFlag) Set(s string) error {
	for _, v := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		if strings.EqualFold(s, v.String()) {
			*l = levelFlag(v)
			return nil
		}
	}
	return fmt.Errorf("want debug, info, warn or error")
}

// formatFlag is --log-format; the zero value is text.
type formatFlag string

func (f *formatFlag) String() string {
	if *f == "" {
		return "text"
	}
	return string(*f)
}

func (f *formatFlag) Type() string { return "format" }

func (f *formatFlag) Set(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("want text or json")
	}
	*f = formatFlag(s)
	return nil
}

// catsFlag is --debug: categories, comma-separated or repeated.
type catsFlag []string

func (c *catsFlag) String() string { return strings.Join(*c, ",") }
func (c *catsFlag) Type() string   { return "categories" }

func (c *catsFlag) Set(s string) error {
	for _, cat := range strings.Split(s, ",") {
		cat = strings.TrimSpace(cat)
		if !slices.Contains(categories, cat) {
			return fmt.Errorf("unknown category %q: want %s", cat, strings.Join(categories, ", "))
		}
		if !slices.Contains(*c, cat) {
			*c = append(*c, cat)
		}
	}
	return nil
}

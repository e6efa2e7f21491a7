package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/gprsppp/gprsppp/internal/control"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// namedHelp is the part of connect's and shim's help that explains NAME.
const namedHelp = `

Named configurations: "gprsppp CMD NAME" reads the command's flags from
$XDG_CONFIG_HOME/gprsppp/NAME.toml (default ~/.config/gprsppp/NAME.toml),
else from /etc/gprsppp/NAME.toml: the user's file, when there is one,
hides the system's (they are not merged). NAME may also be a path ending
in .toml. Each key is a long flag's name ("device", "apn", "persist",
"holdoff", "verbose"; not the one-letter forms); a repeatable flag takes an
array (local = ["8022:10.0.0.5:22"]); a flag with an optional value also
takes true, meaning the flag given alone (socks5 = true). Flags on the
command line override the file. Secrets are refused in the file as on the
command line: use the *-file keys or the environment variables. Check a file
with "gprsppp config check NAME".`

// systemConfigDir is where the system's named configurations live.
var systemConfigDir = "/etc/gprsppp"

// userConfigDir is where the user's named configurations live: XDG's
// $XDG_CONFIG_HOME/gprsppp, ~/.config/gprsppp when it is unset or not an
// absolute path (as the XDG Base Directory specification says).
func userConfigDir() (string, error) {
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "gprsppp"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".config", "gprsppp"), nil
}

// resolveName finds the file that the named configuration name denotes:
// a path ending in .toml as it is, else NAME.toml in the user's
// configuration directory, else in the system's.
func resolveName(name string) (string, error) {
	if strings.HasSuffix(name, ".toml") {
		return name, nil
	}
	var tried, dirs []string
	user, err := userConfigDir()
	if err == nil {
		tried = append(tried, filepath.Join(user, name+".toml"))
		dirs = append(dirs, user)
	}
	if name == "" || strings.ContainsRune(name, '/') || strings.HasPrefix(name, ".") {
		dirs = append(dirs, systemConfigDir)
		return "", fmt.Errorf("%q: a configuration is a NAME (for NAME.toml in %s) or a path ending in .toml", name, strings.Join(dirs, " or "))
	}
	tried = append(tried, filepath.Join(systemConfigDir, name+".toml"))
	for _, p := range tried {
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no configuration %q: none of %s exists", name, strings.Join(tried, ", "))
}

// secretKeys are the secrets that have neither a flag nor a key, each
// with the environment variable that may hold it (beside its NAME-file
// flag): a secret on the command line shows in ps(1) and shell history,
// and a configuration file is often readable by more than its owner.
var secretKeys = map[string]string{
	"password":       "GPRSPPP_PASSWORD",
	"pin":            "GPRSPPP_PIN",
	"proxy-password": "GPRSPPP_PROXY_PASSWORD",
}

// applyConfigFile sets the flags of fl that the command line left alone
// from the TOML file at path. Every flag but help has a key named as the
// flag. Errors name the file and, where they concern one key, its line.
func applyConfigFile(fl *pflag.FlagSet, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var values map[string]any
	md, err := toml.Decode(string(data), &values)
	if pe := (toml.ParseError{}); errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, k := range md.Keys() {
		if len(k) != 1 {
			continue // inside a table, which is already wrong for its key
		}
		key := k[0]
		if err := applyKey(fl, key, values[key]); err != nil {
			if line := keyLine(data, key); line > 0 {
				return fmt.Errorf("%s:%d: %w", path, line, err)
			}
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// applyKey sets the flag named key to the TOML value v, unless it was
// given on the command line.
func applyKey(fl *pflag.FlagSet, key string, v any) error {
	if env, ok := secretKeys[key]; ok {
		return fmt.Errorf("%s: secrets never go in a configuration file; use %s-file or %s", key, key, env)
	}
	f := fl.Lookup(key)
	if f == nil || key == "help" {
		return fmt.Errorf("unknown key %q: not a flag of this command", key)
	}
	if f.Changed {
		return nil // the command line wins
	}
	if _, ok := f.Value.(pflag.SliceValue); ok {
		elems, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want an array, not %s", key, tomlType(v))
		}
		if len(elems) == 0 {
			f.Changed = true
			return f.Value.(pflag.SliceValue).Replace(nil)
		}
		elem := strings.TrimSuffix(strings.TrimSuffix(f.Value.Type(), "Slice"), "Array")
		for _, e := range elems {
			s, err := flagText(elem, e)
			if err != nil {
				return fmt.Errorf("%s: in the array: %w", key, err)
			}
			if err := fl.Set(key, s); err != nil {
				return err
			}
		}
		return nil
	}
	if b, ok := v.(bool); ok && f.NoOptDefVal != "" && f.Value.Type() != "bool" {
		if b {
			return fl.Set(key, f.NoOptDefVal)
		}
		return nil // false: as if not given
	}
	s, err := flagText(f.Value.Type(), v)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return fl.Set(key, s)
}

// flagText is the TOML value v as the text a flag of pflag type typ
// parses, if v has the TOML type that typ wants: a boolean for a bool, an
// integer for an integer, a number for a float, a string for anything
// else (strings, durations, addresses).
func flagText(typ string, v any) (string, error) {
	switch typ {
	case "bool":
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b), nil
		}
		return "", fmt.Errorf("want true or false, not %s", tomlType(v))
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "count":
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10), nil
		}
		return "", fmt.Errorf("want an integer, not %s", tomlType(v))
	case "float32", "float64":
		switch n := v.(type) {
		case float64:
			return strconv.FormatFloat(n, 'g', -1, 64), nil
		case int64:
			return strconv.FormatInt(n, 10), nil
		}
		return "", fmt.Errorf("want a number, not %s", tomlType(v))
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", fmt.Errorf("want a string, not %s", tomlType(v))
}

// tomlType names v's TOML type for a message.
func tomlType(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case int64:
		return fmt.Sprintf("the integer %d", v)
	case float64:
		return fmt.Sprintf("the float %v", v)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("the %T %v", v, v) // dates and times
}

// lineProbe stops a decode at the key it is decoded from, so that the
// decoder's error says the key's line.
type lineProbe struct{}

var errLineProbe = errors.New("line probe")

// UnmarshalTOML implements toml.Unmarshaler.
func (lineProbe) UnmarshalTOML(any) error { return errLineProbe }

// keyLine is the line of the top-level key in the TOML document data, or
// 0 if it cannot tell. The toml package keeps its keys' positions to
// itself but puts them in its errors, so keyLine decodes data into a
// struct whose one field, tagged key, fails.
func keyLine(data []byte, key string) int {
	if key == "" || key == "-" || strings.ContainsRune(key, ',') {
		return 0 // not expressible as a struct tag
	}
	t := reflect.StructOf([]reflect.StructField{{
		Name: "V",
		Type: reflect.TypeFor[lineProbe](),
		Tag:  reflect.StructTag("toml:" + strconv.Quote(key)),
	}})
	_, err := toml.Decode(string(data), reflect.New(t).Interface())
	var pe toml.ParseError
	if !errors.As(err, &pe) || pe.Message != errLineProbe.Error() || pe.LastKey != key {
		return 0
	}
	return pe.Position.Line
}

// namedArgs applies the named configuration among args, if any, to cmd's
// flags.
func namedArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	path, err := resolveName(args[0])
	if err != nil {
		return exit(exitUsage, err)
	}
	if err := applyConfigFile(cmd.Flags(), path); err != nil {
		return exit(exitUsage, err)
	}
	// The link is known by its configuration's name ("gprsppp status
	// NAME", the systemd instance) unless the file or a flag names it.
	name := strings.TrimSuffix(filepath.Base(args[0]), ".toml")
	if fl := cmd.Flags(); fl.Lookup("name") != nil && !fl.Changed("name") && control.ValidName(name) {
		if err := fl.Set("name", name); err != nil {
			return exit(exitUsage, err)
		}
	}
	return nil
}

// connectArgs sorts connect's arguments out and applies its named
// configuration. "--socks5 ADDR" written with a space gives ADDR as an
// argument (the flag's value is optional): an argument that is a PORT or
// HOST:PORT (and does not end in .toml) after a bare --socks5 is its
// address; any other argument is NAME. "--socks5=ADDR" is never in doubt.
func connectArgs(cmd *cobra.Command, args []string) error {
	fl := cmd.Flags()
	bare := fl.Changed("socks5") && fl.Lookup("socks5").Value.String() == defaultSOCKS5
	if len(args) > 0 && bare && looksLikeAddr(args[0]) {
		if err := fl.Set("socks5", args[0]); err != nil {
			return exit(exitUsage, err)
		}
		args = args[1:]
	}
	if len(args) > 1 {
		return exit(exitUsage, fmt.Errorf("unexpected argument %q", args[1]))
	}
	return namedArgs(cmd, args)
}

// looksLikeAddr reports whether s is meant as PORT or HOST:PORT.
func looksLikeAddr(s string) bool {
	if strings.HasSuffix(s, ".toml") {
		return false
	}
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return true
	}
	_, port, err := net.SplitHostPort(s)
	return err == nil && port != "" && strings.Trim(port, "0123456789") == ""
}

//go:build !linux

package tun

import (
	"errors"
	"fmt"
	"runtime"
)

// Device is a TUN interface; only Linux has them here.
type Device struct{}

var errUnsupported = fmt.Errorf("tun: TUN interfaces are supported on Linux only, not %s: %w", runtime.GOOS, errors.ErrUnsupported)

// Create fails: TUN interfaces are supported on Linux only.
func Create(string) (*Device, error) { return nil, errUnsupported }

// Name, Index, Read, Write, Close, Up, Down and AddDefaultRoute are never
// reached, as Create fails.
func (*Device) Name() string              { return "" }
func (*Device) Index() int                { return 0 }
func (*Device) Read([]byte) (int, error)  { return 0, errUnsupported }
func (*Device) Write([]byte) (int, error) { return 0, errUnsupported }
func (*Device) Close() error              { return nil }
func (*Device) Up(Settings) error         { return errUnsupported }
func (*Device) Down() error               { return errUnsupported }
func (*Device) AddDefaultRoute(int) error { return errUnsupported }

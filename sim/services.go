package sim

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/gprsppp/gprsppp/internal/dnsserver"
)

// Network is where services listen: the network side of a link.
type Network interface {
	Listen(network, address string) (net.Listener, error)
	ListenPacket(network, address string) (net.PacketConn, error)
}

// Services configures what Serve runs. Zero values take the defaults
// given.
type Services struct {
	// Names maps DNS names (lower case, no trailing dot) to addresses;
	// nil serves none.
	Names map[string][]netip.Addr
	// PatternSize is the size of /pattern.bin; zero means 4 MiB.
	PatternSize int
	// Logger receives service errors; nil is silent.
	Logger *slog.Logger
	// Inbound, if set, opens host connections toward the client (see
	// ListenInbound): a Modem attaches each call to it, and the call's
	// network side owns its source addresses. Serve does not use it.
	// Nil means none.
	Inbound *Inbound
}

// Server runs the services until Close.
type Server struct {
	closers []io.Closer
	wg      sync.WaitGroup
	log     *slog.Logger
}

// Serve starts every service on n.
func Serve(n Network, s Services) (*Server, error) {
	srv := &Server{log: s.Logger}
	if srv.log == nil {
		srv.log = slog.New(slog.DiscardHandler)
	}
	if s.PatternSize == 0 {
		s.PatternSize = 4 << 20
	}
	start := []func(Network, Services) error{srv.echo, srv.discard, srv.udpEcho, srv.http, srv.dns}
	for _, f := range start {
		if err := f(n, s); err != nil {
			srv.Close()
			return nil, fmt.Errorf("sim: %w", err)
		}
	}
	return srv, nil
}

// Close stops every service and waits for them.
func (srv *Server) Close() error {
	for _, c := range srv.closers {
		c.Close()
	}
	srv.wg.Wait()
	return nil
}

func (srv *Server) goServe(c io.Closer, f func()) {
	srv.closers = append(srv.closers, c)
	srv.wg.Add(1)
	go func() {
		defer srv.wg.Done()
		f()
	}()
}

// acceptLoop serves each TCP connection of l with handle.
func (srv *Server) acceptLoop(n Network, addr string, handle func(net.Conn)) error {
	l, err := n.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv.goServe(l, func() {
		var conns sync.WaitGroup
		defer conns.Wait()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer conns.Done()
				defer c.Close()
				handle(c)
			}()
		}
	})
	return nil
}

func (srv *Server) echo(n Network, _ Services) error {
	return srv.acceptLoop(n, ":7", func(c net.Conn) { io.Copy(c, c) })
}

func (srv *Server) discard(n Network, _ Services) error {
	return srv.acceptLoop(n, ":9", func(c net.Conn) { io.Copy(io.Discard, c) })
}

func (srv *Server) udpEcho(n Network, _ Services) error {
	pc, err := n.ListenPacket("udp", ":7")
	if err != nil {
		return err
	}
	srv.goServe(pc, func() {
		buf := make([]byte, 65536)
		for {
			k, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:k], from)
		}
	})
	return nil
}

func (srv *Server) dns(n Network, s Services) error {
	pc, err := n.ListenPacket("udp", ":53")
	if err != nil {
		return err
	}
	d := &dnsserver.Server{Records: s.Names, Logger: s.Logger}
	srv.goServe(pc, func() { d.Serve(pc) })
	return nil
}

func (srv *Server) http(n Network, s Services) error {
	l, err := n.Listen("tcp", ":80")
	if err != nil {
		return err
	}
	pattern := Pattern(s.PatternSize)
	sum := sha256.Sum256(pattern)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from the gprsppp simulated network\n/pattern.bin: %d octets, sha256 %x\n", len(pattern), sum)
	})
	mux.HandleFunc("GET /pattern.bin", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(pattern)))
		w.Write(pattern)
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	srv.goServe(hs, func() {
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			srv.log.Debug("sim: http", "err", err)
		}
	})
	return nil
}

// Pattern returns n deterministic octets covering every byte value: the
// SHA-256 counter stream SHA256("gprsppp-pattern-0") ||
// SHA256("gprsppp-pattern-1") || ..., the same as the pppd test VM serves.
func Pattern(n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	for i := 0; len(out) < n; i++ {
		d := sha256.Sum256([]byte("gprsppp-pattern-" + strconv.Itoa(i)))
		out = append(out, d[:]...)
	}
	return out[:n]
}

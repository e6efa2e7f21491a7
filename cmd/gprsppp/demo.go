package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/sim"
	"github.com/spf13/cobra"
)

// simName is the simulated network's own host name.
const simName = "sim.gprsppp"

func newDemo(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Bring a PPP link up against the built-in network side and fetch a page through it",
		Long: `demo joins a gprsppp client and the built-in network side (an operator's
gateway with DNS, echo and HTTP services) over an in-process serial line,
negotiates LCP, IPCP and DNS, then resolves a name, fetches a page and a
4 MiB file through the client's own TCP/IP stack. No hardware needed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
			defer cancel()
			return runDemo(ctx, cmd.OutOrStdout(), g)
		},
	}
}

func runDemo(ctx context.Context, out io.Writer, g *globals) error {
	clientEnd, networkEnd, err := linePair()
	if err != nil {
		return err
	}
	log := g.logger(os.Stderr)
	dns := netip.MustParseAddr("10.64.64.1")
	nch := make(chan *gprsppp.Link, 1)
	go func() {
		l, err := gprsppp.OpenNetwork(ctx, networkEnd, gprsppp.NetworkConfig{DNS: []netip.Addr{dns}, Logger: log.With("side", "network", catKey, catPPP)})
		if err != nil {
			fmt.Fprintln(out, "network side:", err)
		}
		nch <- l
	}()
	client, err := gprsppp.Open(ctx, clientEnd, gprsppp.Config{Logger: log.With("side", "client", catKey, catPPP)})
	network := <-nch
	if err != nil || network == nil {
		return fmt.Errorf("link setup: %v", err)
	}
	defer network.Close()
	defer client.Close()
	fmt.Fprintf(out, "link up: local %v, peer %v, DNS %v, MTU %d\n", client.LocalAddr(), client.PeerAddr(), client.DNSServers(), client.MTU())

	srv, err := sim.Serve(network, sim.Services{Names: map[string][]netip.Addr{simName: {network.LocalAddr()}}})
	if err != nil {
		return err
	}
	defer srv.Close()

	addrs, err := client.LookupNetIP(ctx, simName)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "lookup %s: %v\n", simName, addrs)
	web := &http.Client{Transport: &http.Transport{DialContext: client.DialContext}}
	if err := get(ctx, out, web, "http://"+simName+"/", true); err != nil {
		return err
	}
	if err := get(ctx, out, web, "http://"+simName+"/pattern.bin", false); err != nil {
		return err
	}
	s := client.Stats()
	fmt.Fprintf(out, "link stats: %d frames in, %d out, %d FCS errors\n", s.FramesIn, s.FramesOut, s.FCSErrors)
	return nil
}

func get(ctx context.Context, out io.Writer, c *http.Client, url string, show bool) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	h := sha256.New()
	var body io.Writer = h
	if show {
		body = io.MultiWriter(h, out)
	}
	n, err := io.Copy(body, resp.Body)
	if err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Fprintf(out, "GET %s: %s, %d octets in %v, sha256 %x\n", url, resp.Status, n, d.Round(time.Millisecond), h.Sum(nil)[:8])
	return nil
}

// linePair returns the two ends of an in-process serial line: a pair of
// OS pipes, buffered by the kernel like a real port.
func linePair() (a, b duplex, err error) {
	ar, bw, err := os.Pipe()
	if err != nil {
		return duplex{}, duplex{}, err
	}
	br, aw, err := os.Pipe()
	if err != nil {
		ar.Close()
		bw.Close()
		return duplex{}, duplex{}, err
	}
	return duplex{ar, aw}, duplex{br, bw}, nil
}

type duplex struct {
	r *os.File
	w *os.File
}

func (d duplex) Read(p []byte) (int, error)        { return d.r.Read(p) }
func (d duplex) Write(p []byte) (int, error)       { return d.w.Write(p) }
func (d duplex) SetReadDeadline(t time.Time) error { return d.r.SetReadDeadline(t) }
func (d duplex) Close() error {
	d.r.Close()
	return d.w.Close()
}

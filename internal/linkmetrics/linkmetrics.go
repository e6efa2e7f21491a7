// Package linkmetrics exports a link's status as Prometheus metrics: a
// Collector reads linkstate.Status at each scrape, and Handler serves it,
// alone in a private registry, in the text exposition format.
//
// The counters add up every link since the start, so that they only
// grow across redials; gauges describe the current link.
//
// Wiring:
//
//	http.Handle("/metrics", linkmetrics.Handler(tracker.Status, "ttyUSB2"))
package linkmetrics

import (
	"net/http"
	"net/netip"
	"slices"

	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Collector is a prometheus.Collector over a status source.
type Collector struct {
	status func() linkstate.Status
	descs  descs
}

type descs struct {
	up, uptime, redials                      *prometheus.Desc
	bytesIn, bytesOut, framesIn, framesOut   *prometheus.Desc
	packetsIn, packetsOut, fcsErrors, drops  *prometheus.Desc
	signalRSSI, signalDBm, signalTime, state *prometheus.Desc
	address, dnsServer                       *prometheus.Desc
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector returns a Collector over status; name, the link's name,
// becomes the constant label "link".
func NewCollector(status func() linkstate.Status, name string) *Collector {
	labels := prometheus.Labels{"link": name}
	d := func(metric, help string, variable ...string) *prometheus.Desc {
		return prometheus.NewDesc("gprsppp_"+metric, help, variable, labels)
	}
	return &Collector{status: status, descs: descs{
		up:         d("link_up", "1 while a PPP link is up, else 0."),
		state:      d("link_state", "1 for the supervisor's current state (dialing, up, down, stopped).", "state"),
		uptime:     d("link_uptime_seconds", "How long the current link has been up; 0 if none is."),
		redials:    d("redials_total", "Dials after the first."),
		bytesIn:    d("received_bytes_total", "Octets of good PPP frames received, all links."),
		bytesOut:   d("sent_bytes_total", "Octets of PPP frames sent (HDLC-encoded), all links."),
		framesIn:   d("received_frames_total", "Good PPP frames received, all links."),
		framesOut:  d("sent_frames_total", "PPP frames sent, all links."),
		packetsIn:  d("received_packets_total", "IPv4 packets received, all links."),
		packetsOut: d("sent_packets_total", "IPv4 packets sent, all links."),
		fcsErrors:  d("fcs_errors_total", "Frames dropped for a bad FCS, all links."),
		drops:      d("dropped_total", "Frames and packets dropped, by reason, all links.", "reason"),
		signalRSSI: d("modem_signal_rssi", "The modem's AT+CSQ <rssi> at the last dial: 0 (-113 dBm or less) to 31 (-51 dBm or more); absent if unknown."),
		signalDBm:  d("modem_signal_dbm", "The modem's signal strength at the last dial, in dBm, from AT+CSQ; absent if unknown."),
		signalTime: d("modem_signal_timestamp_seconds", "When the signal quality was read (Unix time); absent if it never was."),
		address:    d("link_address_info", "1 for each address of the link up: IPv4 from IPCP, IPv6 link-local from IPv6CP and global from router advertisements.", "family", "address"),
		dnsServer:  d("link_dns_server_info", "1 for each DNS server of the link up: IPv4 from IPCP, IPv6 from router advertisements (RDNSS).", "family", "address"),
	}}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	d := c.descs
	for _, desc := range []*prometheus.Desc{
		d.up, d.state, d.uptime, d.redials, d.bytesIn, d.bytesOut, d.framesIn, d.framesOut,
		d.packetsIn, d.packetsOut, d.fcsErrors, d.drops, d.signalRSSI, d.signalDBm, d.signalTime,
		d.address, d.dnsServer,
	} {
		ch <- desc
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st, d := c.status(), c.descs
	gauge := func(desc *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	}
	counter := func(desc *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(v), labels...)
	}
	up := 0.0
	if st.State == linkstate.Up {
		up = 1
	}
	gauge(d.up, up)
	for s := linkstate.Dialing; s <= linkstate.Stopped; s++ {
		v := 0.0
		if st.State == s {
			v = 1
		}
		gauge(d.state, v, s.String())
	}
	gauge(d.uptime, st.Uptime.Seconds())
	counter(d.redials, uint64(st.Redials))
	t := st.Total
	counter(d.bytesIn, t.OctetsIn)
	counter(d.bytesOut, t.OctetsOut)
	counter(d.framesIn, t.FramesIn)
	counter(d.framesOut, t.FramesOut)
	counter(d.packetsIn, t.IPIn)
	counter(d.packetsOut, t.IPOut)
	counter(d.fcsErrors, t.FCSErrors)
	for _, r := range []struct {
		reason string
		n      uint64
	}{
		{"abort", t.Aborts}, {"too_long", t.TooLong}, {"runt", t.Runts}, {"bad_header", t.BadHeaders},
		{"control_busy", t.ControlDrops}, {"ip_not_ready", t.IPDrops}, {"queue_full", t.QueueDrops},
		{"codel", t.CodelDrops}, {"ack_filtered", t.ACKsFiltered},
	} {
		counter(d.drops, r.n, r.reason)
	}
	if st.TUN != "" {
		counter(d.drops, st.TUNDrops, "tun")
	}
	if rssi, ok := linkstate.RSSI(st.Signal); ok {
		gauge(d.signalRSSI, float64(rssi))
		gauge(d.signalDBm, float64(linkstate.DBm(rssi)))
	}
	if !st.SignalAt.IsZero() {
		gauge(d.signalTime, float64(st.SignalAt.UnixNano())/1e9)
	}
	if st.State == linkstate.Up {
		info(ch, d.address, append([]netip.Addr{st.Address}, st.IPv6...))
		info(ch, d.dnsServer, append(slices.Clone(st.DNS), st.IPv6DNS...))
	}
}

// info sends desc at 1 for each valid address, labelled with its family
// and text; a repeat is sent once, as the registry requires.
func info(ch chan<- prometheus.Metric, desc *prometheus.Desc, addrs []netip.Addr) {
	var seen []netip.Addr
	for _, a := range addrs {
		if !a.IsValid() || slices.Contains(seen, a) {
			continue
		}
		seen = append(seen, a)
		family := "ipv4"
		if a.Is6() {
			family = "ipv6"
		}
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, 1, family, a.String())
	}
}

// Handler serves the metrics of status, and nothing else, in a registry
// of its own.
func Handler(status func() linkstate.Status, name string) http.Handler {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(NewCollector(status, name))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

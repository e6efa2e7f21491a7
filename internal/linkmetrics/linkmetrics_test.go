package linkmetrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/internal/linkstate"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches url and returns each sample as "name{label="value"}"
// (labels sorted, "link" left out) → value.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				if l.GetName() != "link" {
					labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
				} else if l.GetValue() != "ttyUSB2" {
					t.Errorf("%s: link=%q", name, l.GetValue())
				}
			}
			slices.Sort(labels)
			key := name
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.Counter != nil:
				got[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				got[key] = m.Gauge.GetValue()
			}
		}
	}
	return got
}

func TestMetrics(t *testing.T) {
	readAt := time.Unix(1_700_000_000, 0)
	for _, tc := range []struct {
		name string
		st   linkstate.Status
		want map[string]float64 // a subset
		none []string           // absent
	}{{
		name: "up",
		st: linkstate.Status{
			State: linkstate.Up, Address: netip.MustParseAddr("10.64.64.2"), Uptime: 90 * time.Second, Redials: 2,
			Total: gprsppp.Stats{OctetsIn: 1000, OctetsOut: 500, FramesIn: 10, FramesOut: 5, IPIn: 9, IPOut: 4,
				FCSErrors: 3, QueueDrops: 7, Runts: 1},
			Signal: "20,99", SignalAt: readAt,
		},
		want: map[string]float64{
			"gprsppp_link_up": 1, `gprsppp_link_state{state="up"}`: 1, `gprsppp_link_state{state="dialing"}`: 0,
			"gprsppp_link_uptime_seconds": 90, "gprsppp_redials_total": 2,
			"gprsppp_received_bytes_total": 1000, "gprsppp_sent_bytes_total": 500,
			"gprsppp_received_frames_total": 10, "gprsppp_sent_frames_total": 5,
			"gprsppp_received_packets_total": 9, "gprsppp_sent_packets_total": 4,
			"gprsppp_fcs_errors_total": 3, `gprsppp_dropped_total{reason="queue_full"}`: 7, `gprsppp_dropped_total{reason="runt"}`: 1,
			"gprsppp_modem_signal_rssi": 20, "gprsppp_modem_signal_dbm": -73, "gprsppp_modem_signal_timestamp_seconds": 1_700_000_000,
		},
		none: []string{`gprsppp_dropped_total{reason="tun"}`},
	}, {
		name: "with a TUN interface",
		st:   linkstate.Status{State: linkstate.Up, TUN: "gprs0", TUNDrops: 12},
		want: map[string]float64{`gprsppp_dropped_total{reason="tun"}`: 12},
	}, {
		name: "up, dual stack",
		st: linkstate.Status{
			State: linkstate.Up, Address: netip.MustParseAddr("10.64.64.2"), DNS: []netip.Addr{netip.MustParseAddr("10.64.64.1")},
			IPv6:    []netip.Addr{netip.MustParseAddr("fe80::2"), netip.MustParseAddr("2001:db8:64::2")},
			IPv6DNS: []netip.Addr{netip.MustParseAddr("2001:db8:64::1"), netip.MustParseAddr("10.64.64.1")},
		},
		want: map[string]float64{
			`gprsppp_link_address_info{address="10.64.64.2",family="ipv4"}`:        1,
			`gprsppp_link_address_info{address="fe80::2",family="ipv6"}`:           1,
			`gprsppp_link_address_info{address="2001:db8:64::2",family="ipv6"}`:    1,
			`gprsppp_link_dns_server_info{address="10.64.64.1",family="ipv4"}`:     1,
			`gprsppp_link_dns_server_info{address="2001:db8:64::1",family="ipv6"}`: 1,
		},
	}, {
		name: "up, IPv6 only",
		st:   linkstate.Status{State: linkstate.Up, IPv6: []netip.Addr{netip.MustParseAddr("fe80::2")}},
		want: map[string]float64{`gprsppp_link_address_info{address="fe80::2",family="ipv6"}`: 1},
		none: []string{`gprsppp_link_address_info{address="invalid IP",family="ipv4"}`},
	}, {
		name: "down: the last link's addresses are not shown",
		st:   linkstate.Status{State: linkstate.Down, Address: netip.MustParseAddr("10.64.64.2"), IPv6: []netip.Addr{netip.MustParseAddr("fe80::2")}},
		want: map[string]float64{"gprsppp_link_up": 0},
		none: []string{`gprsppp_link_address_info{address="10.64.64.2",family="ipv4"}`, `gprsppp_link_address_info{address="fe80::2",family="ipv6"}`},
	}, {
		name: "dialing, signal unknown",
		st:   linkstate.Status{State: linkstate.Dialing, Signal: "99,99", SignalAt: readAt},
		want: map[string]float64{"gprsppp_link_up": 0, `gprsppp_link_state{state="dialing"}`: 1, "gprsppp_link_uptime_seconds": 0},
		none: []string{"gprsppp_modem_signal_rssi", "gprsppp_modem_signal_dbm"},
	}, {
		name: "never dialled",
		st:   linkstate.Status{State: linkstate.Stopped},
		want: map[string]float64{`gprsppp_link_state{state="stopped"}`: 1},
		none: []string{"gprsppp_modem_signal_rssi", "gprsppp_modem_signal_timestamp_seconds"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(Handler(func() linkstate.Status { return tc.st }, "ttyUSB2"))
			defer srv.Close()
			got := scrape(t, srv.URL)
			sub := map[string]float64{}
			for k := range tc.want {
				sub[k] = got[k]
			}
			if diff := cmp.Diff(tc.want, sub); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, k := range tc.none {
				if v, ok := got[k]; ok {
					t.Errorf("%s = %v, want none", k, v)
				}
			}
		})
	}
}

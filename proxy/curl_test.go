package proxy

import (
	"context"
	"github.com/gprsppp/gprsppp/internal/testenv"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestCurl uses curl, an independent client, through both proxies. Host
// names are ones only the link's DNS knows, so a lookup on the host would
// fail the request.
func TestCurl(t *testing.T) {
	curl := testenv.NeedTool(t, "curl", "apt-get install curl")
	const page = "http://web.example/info"
	const page6 = "http://[2001:db8:64::1]/info"
	tests := []struct {
		name       string
		http       bool   // the HTTP proxy, else SOCKS5
		user, pass string // the server's
		args       func(proxy string) []string
		wantOut    string // substring of curl's output
		wantFail   bool   // curl exits non-zero
	}{
		{name: "socks5-hostname", args: func(p string) []string { return []string{"--socks5-hostname", p, page} },
			wantOut: "host=web.example path=/info"},
		{name: "socks5h with password", user: "u", pass: "pw",
			args:    func(p string) []string { return []string{"-x", "socks5h://u:pw@" + p, page} },
			wantOut: "host=web.example path=/info"},
		{name: "socks5h with wrong password", user: "u", pass: "pw",
			args:     func(p string) []string { return []string{"-x", "socks5h://u:bad@" + p, page} },
			wantFail: true},
		{name: "http proxy", http: true, args: func(p string) []string { return []string{"-x", "http://" + p, page} },
			wantOut: "host=web.example path=/info proxy-authorization=false x-forwarded-for=false proxy-connection=false"},
		{name: "http proxy with password", http: true, user: "u", pass: "pw",
			args:    func(p string) []string { return []string{"-x", "http://" + p, "--proxy-user", "u:pw", page} },
			wantOut: "host=web.example path=/info proxy-authorization=false"},
		{name: "http proxy without password", http: true, user: "u", pass: "pw",
			args: func(p string) []string {
				return []string{"-x", "http://" + p, "-o", os.DevNull, "-w", "%{http_code}", page}
			},
			wantOut: "407"},
		{name: "http proxy tunnel", http: true, args: func(p string) []string { return []string{"--proxytunnel", "-x", "http://" + p, page} },
			wantOut: "host=web.example path=/info"},
		// IPv6 over the link: SOCKS5 ATYP 4 (curl --socks5 resolves
		// nothing for a literal), a name with an AAAA record, an HTTP
		// proxy's absolute URI and CONNECT [v6]:port.
		{name: "socks5 IPv6 literal", args: func(p string) []string { return []string{"--socks5", p, page6} },
			wantOut: "host=[2001:db8:64::1] path=/info"},
		{name: "socks5-hostname AAAA", args: func(p string) []string { return []string{"--socks5-hostname", p, "http://web6.example/info"} },
			wantOut: "host=web6.example path=/info"},
		{name: "http proxy IPv6", http: true, args: func(p string) []string { return []string{"-x", "http://" + p, page6} },
			wantOut: "host=[2001:db8:64::1] path=/info"},
		{name: "http proxy tunnel IPv6", http: true, args: func(p string) []string { return []string{"--proxytunnel", "-x", "http://" + p, page6} },
			wantOut: "host=[2001:db8:64::1] path=/info"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link := newLink(t)
			var addr string
			if tt.http {
				addr, _ = startHTTP(t, HTTPConfig{Dialer: link, Username: tt.user, Password: tt.pass})
			} else {
				addr, _ = startSOCKS5(t, SOCKS5Config{Dialer: link, Username: tt.user, Password: tt.pass})
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitTime)
			defer cancel()
			args := append([]string{"-sS", "--max-time", "8"}, tt.args(addr)...)
			cmd := exec.CommandContext(ctx, curl, args...)
			// No proxy variables and no ~/.curlrc from the environment.
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
			out, err := cmd.CombinedOutput()
			if tt.wantFail {
				if err == nil {
					t.Fatalf("curl %s succeeded:\n%s", strings.Join(args, " "), out)
				}
				return
			}
			if err != nil {
				t.Fatalf("curl %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			if !strings.Contains(string(out), tt.wantOut) {
				t.Errorf("curl %s:\n%s\nwant output containing %q", strings.Join(args, " "), out, tt.wantOut)
			}
		})
	}
}

package proxy

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// startHTTP serves the HTTP proxy for the link on a loopback port.
func startHTTP(t *testing.T, cfg HTTPConfig) (addr string, stop func()) {
	t.Helper()
	l := loopback(t)
	stop = serve(t, func(ctx context.Context) error { return ServeHTTP(ctx, l, cfg) })
	return l.Addr().String(), stop
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// connectTunnel sends CONNECT (and early data right behind it) and
// returns the connection and the response.
func connectTunnel(t *testing.T, proxyAddr, target, auth string, early []byte) (net.Conn, *bufio.Reader, *http.Response) {
	t.Helper()
	c, err := net.Dial("tcp", proxyAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(waitTime))
	req := "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n"
	if auth != "" {
		req += "Proxy-Authorization: " + auth + "\r\n"
	}
	if _, err := c.Write(append([]byte(req+"\r\n"), early...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil {
		t.Fatal(err)
	}
	return c, br, resp
}

func TestHTTPConnect(t *testing.T) {
	tests := []struct {
		name       string
		user, pass string // the server's
		target     string
		auth       string // Proxy-Authorization
		wantStatus int
		wantBody   string // in the body of a failure
	}{
		{name: "by name over the link", target: "echo.example:7", wantStatus: 200},
		{name: "by address", target: "10.64.0.1:7", wantStatus: 200},
		{name: "password", user: "u", pass: "pw", target: "echo.example:7", auth: basic("u", "pw"), wantStatus: 200},
		{name: "lower-case scheme", user: "u", pass: "pw", target: "echo.example:7", auth: "basic " + base64.StdEncoding.EncodeToString([]byte("u:pw")), wantStatus: 200},
		{name: "no credentials", user: "u", pass: "pw", target: "echo.example:7", wantStatus: 407},
		{name: "wrong password", user: "u", pass: "pw", target: "echo.example:7", auth: basic("u", "nope"), wantStatus: 407},
		{name: "not Basic", user: "u", pass: "pw", target: "echo.example:7", auth: "Bearer abc", wantStatus: 407},
		{name: "refused port", target: "10.64.0.1:1", wantStatus: 502},
		{name: "unknown name", target: "nowhere.example:7", wantStatus: 502},
		{name: "loopback refused here", target: "127.0.0.1:22", wantStatus: 502, wantBody: "127.0.0.1 is a loopback address (RFC 1122"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link := newLink(t)
			addr, _ := startHTTP(t, HTTPConfig{Dialer: link, Username: tt.user, Password: tt.pass})
			early := []byte("sent right behind CONNECT|")
			c, br, resp := connectTunnel(t, addr, tt.target, tt.auth, early)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %s, want %d", resp.Status, tt.wantStatus)
			}
			if resp.StatusCode == http.StatusProxyAuthRequired && !strings.HasPrefix(resp.Header.Get("Proxy-Authenticate"), "Basic ") {
				t.Errorf("407 with Proxy-Authenticate %q, want a Basic challenge", resp.Header.Get("Proxy-Authenticate"))
			}
			if resp.StatusCode != http.StatusOK {
				body, _ := io.ReadAll(resp.Body)
				if !strings.Contains(string(body), tt.wantBody) {
					t.Errorf("body %q, want it to contain %q", body, tt.wantBody)
				}
				return
			}
			// The early data and more, then a FIN that must come back.
			msg := "and after the reply"
			if _, err := c.Write([]byte(msg)); err != nil {
				t.Fatal(err)
			}
			if err := c.(*net.TCPConn).CloseWrite(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(br)
			if err != nil {
				t.Fatalf("read tunnel: %v", err)
			}
			if want := string(early) + msg; string(got) != want {
				t.Errorf("echo through the tunnel %q, want %q", got, want)
			}
		})
	}
}

func TestHTTPForward(t *testing.T) {
	tests := []struct {
		name       string
		user, pass string        // the server's
		proxyUser  *url.Userinfo // the client's
		url        string
		wantStatus int
		wantBody   string
	}{
		{name: "by name over the link", url: "http://web.example/info", wantStatus: 200,
			wantBody: "host=web.example path=/info proxy-authorization=false x-forwarded-for=false proxy-connection=false\n"},
		{name: "by address with port", url: "http://10.64.0.1:80/a/b", wantStatus: 200,
			wantBody: "host=10.64.0.1:80 path=/a/b proxy-authorization=false x-forwarded-for=false proxy-connection=false\n"},
		{name: "password not passed on", user: "u", pass: "pw", proxyUser: url.UserPassword("u", "pw"), url: "http://web.example/info", wantStatus: 200,
			wantBody: "host=web.example path=/info proxy-authorization=false x-forwarded-for=false proxy-connection=false\n"},
		{name: "no credentials", user: "u", pass: "pw", url: "http://web.example/info", wantStatus: 407},
		{name: "unknown name", url: "http://nowhere.example/", wantStatus: 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link := newLink(t)
			addr, _ := startHTTP(t, HTTPConfig{Dialer: link, Username: tt.user, Password: tt.pass})
			proxyURL := &url.URL{Scheme: "http", Host: addr, User: tt.proxyUser}
			tr := &http.Transport{Proxy: http.ProxyURL(proxyURL)}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr, Timeout: waitTime}
			req, err := http.NewRequest(http.MethodGet, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Proxy-Connection", "keep-alive") // as curl sends it
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %s, want %d (body %q)", resp.Status, tt.wantStatus, body)
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
		})
	}
}

func TestHTTPNotProxyRequests(t *testing.T) {
	link := newLink(t)
	addr, _ := startHTTP(t, HTTPConfig{Dialer: link})
	tests := []struct {
		name    string
		request string
		want    int
	}{
		{"origin form", "GET /info HTTP/1.1\r\nHost: web.example\r\n\r\n", 400},
		{"https in absolute form", "GET https://web.example/ HTTP/1.1\r\nHost: web.example\r\n\r\n", 400},
		{"CONNECT without a port", "CONNECT web.example HTTP/1.1\r\nHost: web.example\r\n\r\n", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(waitTime))
			if _, err := io.WriteString(c, tt.request); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %s, want %d", resp.Status, tt.want)
			}
		})
	}
}

// Stopping the proxy closes open tunnels too, which net/http leaves alone
// once hijacked.
func TestHTTPStop(t *testing.T) {
	link := newLink(t)
	addr, stop := startHTTP(t, HTTPConfig{Dialer: link})
	c, br, resp := connectTunnel(t, addr, "echo.example:7", "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(br, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := br.ReadByte(); err == nil || isTimeout(err) {
		t.Errorf("read after stop: %v, want the tunnel closed", err)
	}
}

func TestHTTPNilDialer(t *testing.T) {
	if err := ServeHTTP(context.Background(), loopback(t), HTTPConfig{}); err == nil {
		t.Error("ServeHTTP without a Dialer: no error")
	}
}

package test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gprsppp/gprsppp"
	"github.com/gprsppp/gprsppp/ppp"
	"github.com/gprsppp/gprsppp/ppptest"
)

const secret = "s3cr3t-Pa55"

func TestPipeAuthentication(t *testing.T) {
	for _, proto := range []ppp.Protocol{ppp.ProtocolPAP, ppp.ProtocolCHAP} {
		t.Run(proto.String()+" right password", func(t *testing.T) {
			var logs syncBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			a, b := ppptest.Pipe()
			client, _ := pair(t, a, b,
				gprsppp.Config{Username: "user", Password: secret, Logger: logger},
				gprsppp.NetworkConfig{Auth: proto, Secrets: map[string]string{"user": secret}, Logger: logger})
			if !client.LocalAddr().IsValid() {
				t.Fatal("no address")
			}
			if strings.Contains(logs.String(), secret) {
				t.Error("the password appears in the debug log")
			}
			if !strings.Contains(logs.String(), "rcvd [LCP ConfReq") {
				t.Error("the debug log lacks the negotiation")
			}
		})
		t.Run(proto.String()+" wrong password", func(t *testing.T) {
			a, b := ppptest.Pipe()
			err := openFails(t, a, b,
				gprsppp.Config{Username: "user", Password: "wrong"},
				gprsppp.NetworkConfig{Auth: proto, Secrets: map[string]string{"user": secret}})
			if !isErr(err, gprsppp.ErrAuthFailed) {
				t.Errorf("Open: %v, want ErrAuthFailed", err)
			}
		})
		t.Run(proto.String()+" no credentials", func(t *testing.T) {
			a, b := ppptest.Pipe()
			err := openFails(t, a, b, gprsppp.Config{},
				gprsppp.NetworkConfig{Auth: proto, Secrets: map[string]string{"user": secret}})
			if !isErr(err, gprsppp.ErrAuthFailed) {
				t.Errorf("Open: %v, want ErrAuthFailed", err)
			}
		})
	}
}

// openFails runs both sides and returns the client's error, which must
// come well before the deadline.
func openFails(t *testing.T, a, b io.ReadWriteCloser, cc gprsppp.Config, nc gprsppp.NetworkConfig) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cc.Restart, nc.Restart = time.Second, time.Second
	go func() {
		if l, err := gprsppp.OpenNetwork(ctx, b, nc); err == nil {
			l.Close()
		}
	}()
	l, err := gprsppp.Open(ctx, a, cc)
	if err == nil {
		l.Close()
		t.Fatal("Open succeeded")
	}
	if ctx.Err() != nil {
		t.Fatalf("Open failed only at the deadline: %v", err)
	}
	return err
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

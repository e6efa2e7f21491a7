package gprsppp_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/gprsppp/gprsppp"
)

// Open brings PPP up on a line already in data mode; here the line is a
// pipe to gprsppp's own network side, where a real program would pass a
// serial port after the modem's CONNECT.
func ExampleOpen() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	line, gateway := pipeLine()
	go serveGateway(ctx, gateway)

	link, err := gprsppp.Open(ctx, line, gprsppp.Config{Username: "user", Password: "pass"})
	if err != nil {
		log.Fatal(err)
	}
	defer link.Close()
	fmt.Println("address:", link.LocalAddr())

	conn, err := link.DialContext(ctx, "tcp", "10.64.64.1:7")
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "hello")
	reply := make([]byte, 5)
	if _, err := io.ReadFull(conn, reply); err != nil {
		log.Fatal(err)
	}
	fmt.Println("echo:", string(reply))
	// Output:
	// address: 10.64.64.2
	// echo: hello
}

// serveGateway plays the operator: PAP, an address, and a TCP echo on 7,
// listening from Ready so that it is there before the first packet.
func serveGateway(ctx context.Context, rw io.ReadWriteCloser) {
	var l net.Listener
	gw, err := gprsppp.OpenNetwork(ctx, rw, gprsppp.NetworkConfig{
		Auth:    0xc023, // PAP
		Secrets: map[string]string{"user": "pass"},
		Ready: func(gw *gprsppp.Link) (err error) {
			l, err = gw.Listen("tcp", ":7")
			return err
		},
	})
	if err != nil {
		log.Print(err)
		return
	}
	defer gw.Close()
	go func() {
		<-gw.Done()
		l.Close()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			io.Copy(c, c)
		}(c)
	}
}

// pipeLine returns two ends of an in-process serial line.
func pipeLine() (a, b io.ReadWriteCloser) {
	ar, bw, _ := os.Pipe()
	br, aw, _ := os.Pipe()
	return duplex{ar, aw}, duplex{br, bw}
}

type duplex struct{ r, w *os.File }

func (d duplex) Read(p []byte) (int, error)  { return d.r.Read(p) }
func (d duplex) Write(p []byte) (int, error) { return d.w.Write(p) }
func (d duplex) Close() error {
	d.r.Close()
	return d.w.Close()
}

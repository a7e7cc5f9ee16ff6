package web

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestIdleConnectionsCannotStarveOthers opens many more idle keep-alive connections than the
// limit, then asks a question on a new connection: it is answered at once, because idle
// connections give way.
func TestIdleConnectionsCannotStarveOthers(t *testing.T) {
	const limit = 20
	h := Handler(engine(t), Options{})
	srv := NewServer("127.0.0.1:0", h)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ll := LimitConns(ln, srv, limit).(*limitListener)
	go srv.Serve(ll)
	defer srv.Close()
	addr := ln.Addr().String()

	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for i := range 5 * limit {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		idle = append(idle, c)
		// One request with keep-alive; read the response and leave the connection idle.
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			resp.Body.Close()
		}
	}
	ll.mu.Lock()
	open := len(ll.open)
	ll.mu.Unlock()
	if open > limit {
		t.Errorf("%d connections open after %d clients; want at most %d", open, len(idle), limit)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	start := time.Now()
	resp, err := client.Get("http://" + addr + "/api/ask?q=hvad+er+fgu")
	if err != nil {
		t.Fatalf("a new client after %d idle connections: %v", len(idle), err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("answered after %s; idle connections held it up", d)
	}
}
